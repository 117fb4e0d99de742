"""Aten ops as a reader names them, and why the two counting engines' totals differ."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lineage.text import Text

if TYPE_CHECKING:
    from models.analysis.core import Analysis

# Human names of the aten ops the engines report (torch: "add_", fvcore: "aten::add_").
OP_NAMES = {
    "add": "addition", "add_": "in-place add", "sub": "subtraction", "rsub": "subtraction", "mul": "multiplication",
    "mul_": "in-place multiplication", "div": "division", "mean": "mean (global average pooling)", "sum": "sum",
    "native_batch_norm": "batch norm", "batch_norm": "batch norm",
    "_native_batch_norm_legit_no_training": "batch norm", "native_layer_norm": "layer norm",
    "layer_norm": "layer norm", "group_norm": "group norm", "relu": "ReLU", "relu_": "ReLU", "gelu": "GELU",
    "silu": "SiLU (swish)", "silu_": "SiLU (swish)", "sigmoid": "sigmoid", "tanh": "tanh",
    "hardswish": "hard swish", "hardswish_": "hard swish", "hardsigmoid": "hard sigmoid",
    "softmax": "softmax", "_softmax": "softmax", "_safe_softmax": "softmax",
    "max_pool2d": "max pooling", "max_pool2d_with_indices": "max pooling", "avg_pool2d": "average pooling",
    "adaptive_avg_pool2d": "adaptive average pooling", "dropout": "dropout",
    "conv": "convolution", "linear": "linear layer", "matmul": "matrix product", "bmm": "matrix product",
    "addmm": "matrix product", "mm": "matrix product", "einsum": "matrix product",
}
# What torch's FlopCounterMode has formulas for; fvcore has these too, and more (OP_NAMES above).
MATRIX_OPS = frozenset({"conv", "linear", "matmul", "bmm", "addmm", "mm", "einsum", "_convolution"})


def op_name(op: str) -> str:
    """An aten op as a reader says it ("aten::add_" → "in-place add"); unknown ops lose only the prefix."""
    bare = op.removeprefix("aten::")
    return OP_NAMES.get(bare, bare.strip("_").replace("_", " "))


def op_names(ops: tuple[str, ...]) -> list[str]:
    """The human names of ops, each once, in the given order."""
    return list(dict.fromkeys(op_name(op) for op in ops))


def engine_difference(analysis: Analysis) -> str:
    """Why the two engines' totals differ, from what this count itself measured."""
    if analysis.engine != "fvcore":
        return Text("torch's FlopCounterMode counts convolutions and matrix products only; fvcore also counts "
                    "normalization and pooling (one per element), so its totals are slightly higher.")
    extra = {op: macs for op, macs in analysis.operators.items() if op not in MATRIX_OPS and macs}
    if not extra:
        return Text("fvcore counted only convolutions and matrix products here, as torch's FlopCounterMode does.")
    listed = ", ".join(f"{op_name(op)} ({macs / 1e6:.1f} M)" for op, macs in extra.items())
    return Text("fvcore also counts {listed}, which torch's FlopCounterMode leaves out: {macs:.1f} M MACs of the "
                "difference between the two engines.", listed=listed, macs=sum(extra.values()) / 1e6)
