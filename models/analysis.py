"""Analysis of a model without its weights: parameters, multiply-accumulates, layers, stages.

The default engine builds the model on PyTorch's meta device (no memory, no weights) and counts
one forward pass with `torch.utils.flop_counter.FlopCounterMode`, which counts 2 FLOPs per
multiply-add: we report MACs = FLOPs / 2, the convention of the papers and of torchvision's
`_ops`. The "fvcore" engine (models.fvcore_engine) counts a real CPU forward instead.
Results are cached in memory and on disk (keyed by library versions).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import torch
import torchvision
from torch import nn
from torch.utils._python_dispatch import TorchDispatchMode
from torch.utils.flop_counter import FlopCounterMode, flop_registry

from models import hook_guard, registry
from models.registry import ModelSpec, get_spec

ENGINES = ("torch", "fvcore")
ROOT_ROW = "(top level)"  # the layer row of the model's own parameters or compute (e.g. ViT's class token)
WEIGHT_LAYER_TYPES = (nn.Conv1d, nn.Conv2d, nn.Conv3d, nn.Linear)
# What `uncounted` leaves out: aten ops that only create, move, re-view or mask data. Everything else
# the forward ran without a FLOP formula is listed (pooling, normalization, activations, softmax,
# elementwise arithmetic such as residual adds): cheap next to convolutions, but not free.
DATA_MOVEMENT = frozenset({
    "view", "_unsafe_view", "reshape", "permute", "transpose", "t", "expand", "clone", "cat", "split",
    "split_with_sizes", "slice", "select", "unsqueeze", "squeeze", "flatten", "detach", "contiguous",
    "empty", "zeros", "ones", "copy_", "_to_copy", "stack", "roll", "new_zeros", "new_empty", "new_ones",
    "index", "embedding", "alias", "lift_fresh", "zero_", "fill_", "as_strided", "as_strided_", "unbind",
    "chunk", "arange", "full", "masked_fill", "_local_scalar_dense", "constant_pad_nd", "pad", "eq", "ne",
    "lt", "gt", "all", "any", "scalar_tensor", "where", "clamp_min", "tril", "triu",
})

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
        return ("torch's FlopCounterMode counts convolutions and matrix products only; fvcore also counts "
                "normalization and pooling (one per element), so its totals are slightly higher.")
    extra = {op: macs for op, macs in analysis.operators.items() if op not in MATRIX_OPS and macs}
    if not extra:
        return "fvcore counted only convolutions and matrix products here, as torch's FlopCounterMode does."
    listed = ", ".join(f"{op_name(op)} ({macs / 1e6:.1f} M)" for op, macs in extra.items())
    return (f"fvcore also counts {listed}, which torch's FlopCounterMode leaves out: {sum(extra.values()) / 1e6:.1f} M "
            "MACs of the difference between the two engines.")


class AnalysisError(ValueError):
    """A model could not be analysed at the requested input (e.g. too small for its pooling)."""


@dataclass(frozen=True)
class LayerRow:
    """One module with its own parameters or compute (its children's excluded)."""

    name: str
    type: str
    output_shape: tuple[int, ...]
    params: int
    macs: int
    share: float  # of the model's total MACs


@dataclass(frozen=True)
class StageRow:
    """A top-level child of the model (e.g. ResNet's layer1), everything inside it summed."""

    name: str
    params: int
    macs: int


@dataclass(frozen=True)
class Analysis:
    """Everything the Inspect page and `python -m models summary` show about one model.

    weight_layers: architectural layers with weights (`count_weight_layers`): nn.Conv1d/2d/3d and
        nn.Linear modules, attention's packed Q/K/V in-projection as one, and a module that says it
        is one layer (`is_weight_layer = True`, e.g. LeNet-5's C3 built from 16 convolutions) as one;
        LeNet's subsampling coefficients are not layers in this count.
    activation_bytes: 4 bytes (float32) × the elements of every leaf module's output, summed over
        every call of the forward for one input: the memory of all intermediate outputs if none
        were freed (what training keeps for backward, roughly), not inference's peak.
    uncounted: aten ops the engine ran but did not count (see DATA_MOVEMENT for what is left out).
    notes: anything else the engine reported (fallbacks, modules never called, tracer warnings).
    """

    id: str
    node: str
    engine: str
    input_size: int | None
    input_desc: str
    params: int
    trainable_params: int
    macs: int
    weight_layers: int
    activation_bytes: int
    layers: tuple[LayerRow, ...]
    stages: tuple[StageRow, ...]
    uncounted: tuple[str, ...]
    device_used: str
    seconds: float
    operators: dict[str, int] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    @property
    def flops(self) -> int:
        """FLOPs under the 1 multiply-add = 2 FLOPs convention."""
        return 2 * self.macs

    def to_dict(self) -> dict:
        """Plain JSON-ready data (shapes as lists), with `flops` alongside `macs`."""
        data = asdict(self)
        data["flops"] = self.flops
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Analysis:
        """The inverse of to_dict (used by the disk cache)."""
        data = {k: v for k, v in data.items() if k != "flops"}
        data["layers"] = tuple(LayerRow(**{**row, "output_shape": tuple(row["output_shape"])}) for row in data["layers"])
        data["stages"] = tuple(StageRow(**row) for row in data["stages"])
        data["uncounted"], data["notes"] = tuple(data["uncounted"]), tuple(data["notes"])
        return cls(**data)


@dataclass(frozen=True)
class Count:
    """What an engine measured: MACs per module path (children included; "" = the whole model)."""

    macs_by_module: dict[str, int]
    uncounted: tuple[str, ...]
    operators: dict[str, int] = field(default_factory=dict)
    notes: tuple[str, ...] = ()


CountEngine = Callable[[nn.Module, tuple[torch.Tensor, ...]], Count]
_memory_cache: dict[tuple[str, int | None, str], Analysis] = {}
# Serialises every analysis: FlopCounterMode's hooks are process-global, and a second session asking
# for the same model waits for the first count instead of repeating it.
_analysis_lock = threading.Lock()


def analyse(model_id: str, input_size: int | None = None, engine: str = "torch", use_cache: bool = True) -> Analysis:
    """Analyse a registered model at an input size (its default when None; ignored for token models).

    use_cache=False recounts (the result still refreshes both caches).
    """
    spec = get_spec(model_id)
    if engine not in ENGINES:
        raise AnalysisError(f"Unknown engine '{engine}'. Choose one of: {', '.join(ENGINES)}.")
    if spec.kind == "image" and input_size is not None and input_size < 1:
        raise AnalysisError(f"{spec.id} cannot take {input_size}×{input_size} input: the side must be positive.")
    size = (input_size or spec.input_size) if spec.kind == "image" else None
    key = (spec.id, size, engine)
    if use_cache and key in _memory_cache:
        return _memory_cache[key]
    if engine == "fvcore":
        _require_memory_for_forward(spec, size)
    with _analysis_lock:
        result = (_memory_cache.get(key) or _read_disk(key)) if use_cache else None
        if result is None:
            result = _analyse_uncached(spec, size, engine)
            _write_disk(key, result)
        _memory_cache[key] = result
    return result


def forward_memory_estimate(model_id: str, input_size: int | None = None) -> int:
    """Bytes a real forward pass may hold at most: float32 weights plus every layer's output (the
    meta-device count's activation_bytes; tracing keeps them alive), an upper bound measured
    against EfficientNet-B7 at 1111 px (estimate 11.3 GiB, peak 7.9 GB)."""
    counted = analyse(model_id, input_size, "torch")
    return 4 * counted.params + counted.activation_bytes


def _require_memory_for_forward(spec: ModelSpec, size: int | None) -> None:
    from models.runtime import available_ram

    needed, free = forward_memory_estimate(spec.id, size), available_ram()
    if needed > free:
        where = f"{size}×{size}" if size else "this input"
        raise AnalysisError(f"fvcore runs a real forward pass on the CPU: {spec.name} at {where} may need up to "
                            f"{needed / 2**30:.1f} GiB and this machine has {free / 2**30:.1f} GiB free. Use the "
                            "torch engine (no memory) or a smaller input.")


def _analyse_uncached(spec: ModelSpec, size: int | None, engine: str) -> Analysis:
    started = time.perf_counter()
    try:
        if engine == "fvcore":
            from models.fvcore_engine import count_fvcore

            model, count, recorder = _run(spec, size, "cpu", count_fvcore)
            device_used = "cpu"
        else:
            model, count, recorder, device_used = _run_torch(spec, size)
    except (RuntimeError, AssertionError, ValueError, IndexError) as error:
        where = f"{size}×{size} input" if size else "this input"
        raise AnalysisError(f"{spec.id} cannot take {where}: {_first_line(error)}") from error
    return _assemble(spec, size, engine, model, count, recorder, device_used, time.perf_counter() - started)


def _run_torch(spec: ModelSpec, size: int | None) -> tuple[nn.Module, Count, _Recorder, str]:
    """Count on the meta device; only where an op has no meta kernel, build and count on the CPU."""
    try:
        return (*_run(spec, size, "meta", _count_torch), "meta")
    except (NotImplementedError, RuntimeError) as error:
        if not isinstance(error, NotImplementedError) and "meta" not in str(error).lower():
            raise
        return (*_run(spec, size, "cpu", _count_torch), f"cpu (meta failed: {_first_line(error)})")


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0][:200]


def _run(spec: ModelSpec, size: int | None, device: str, counter: CountEngine) -> tuple[nn.Module, Count, _Recorder]:
    """Build on `device` and count one forward, with output-recording hooks that are always removed."""
    model = spec.build(device)
    recorder = _Recorder(model)
    try:
        count = counter(model, spec.example_inputs(size, device))
    finally:
        recorder.remove()
    return model, count, recorder


class _Recorder:
    """Forward hooks on every module: each one's output shape, and every leaf call's output size."""

    def __init__(self, model: nn.Module) -> None:
        self.shapes: dict[str, tuple[int, ...]] = {}
        self.leaf_elements = 0
        self.handles = [module.register_forward_hook(self._hook(name, not any(module.children())))
                        for name, module in model.named_modules()]

    def _hook(self, name: str, leaf: bool) -> Callable:
        def record(_module: nn.Module, _inputs: object, output: object) -> None:
            tensor = next((t for t in (output if isinstance(output, (tuple, list)) else (output,))
                           if isinstance(t, torch.Tensor)), None)
            if tensor is not None:
                self.shapes[name] = shape = tuple(int(side) for side in tensor.shape)
                self.leaf_elements += math.prod(shape) if leaf else 0  # not numel(): a traced numel is a tensor

        return record

    def remove(self) -> None:
        for handle in self.handles:
            handle.remove()


class _OpRecorder(TorchDispatchMode):
    """Notes every aten op the forward runs, to report the compute the counter ignores."""

    def __init__(self) -> None:
        super().__init__()
        self.packets: set = set()

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        self.packets.add(func._overloadpacket)
        return func(*args, **(kwargs or {}))


def _count_torch(model: nn.Module, inputs: tuple[torch.Tensor, ...]) -> Count:
    """FlopCounterMode over one forward (FLOPs halved into MACs), keyed by module path."""
    counter, recorder = FlopCounterMode(display=False), _OpRecorder()
    with hook_guard.exclusive(), torch.no_grad(), counter, recorder:
        model(*inputs)
    per_module = counter.get_flop_counts()  # keys: "Global", then "<RootClass>.<module path>"
    root = type(model).__name__
    macs = {"": sum(per_module.get("Global", {}).values()) // 2}
    for name, ops in per_module.items():
        if name.startswith(f"{root}."):
            macs[name[len(root) + 1:]] = sum(ops.values()) // 2
    uncounted = sorted(p.__name__ for p in recorder.packets
                       if p not in flop_registry and p.__name__ not in DATA_MOVEMENT)
    return Count(macs, tuple(uncounted))


def _assemble(spec: ModelSpec, size: int | None, engine: str, model: nn.Module, count: Count, recorder: _Recorder,
              device_used: str, seconds: float) -> Analysis:
    modules = list(model.named_modules())
    children = {name: [f"{name}.{child}" if name else child for child, _ in module.named_children()]
                for name, module in modules}
    seen: set[int] = set()  # a tied parameter (e.g. a shared embedding) counts once, at its first module
    own_params: dict[str, int] = {}
    for name, module in modules:
        fresh = [p for p in module.parameters(recurse=False) if id(p) not in seen]
        seen.update(id(p) for p in fresh)
        own_params[name] = sum(p.numel() for p in fresh)
    macs: dict[str, int] = {}  # inclusive MACs; a module never called itself (a ModuleList) sums its children
    params: dict[str, int] = {}
    for name, _ in reversed(modules):
        macs[name] = count.macs_by_module.get(name, sum(macs[c] for c in children[name]))
        params[name] = own_params[name] + sum(params[c] for c in children[name])
    total = macs[""]
    layers = []
    for name, module in modules:
        own_macs = max(macs[name] - sum(macs[c] for c in children[name]), 0)
        if own_macs or own_params[name] or (name and not children[name]):
            layers.append(LayerRow(name or ROOT_ROW, type(module).__name__, recorder.shapes.get(name, ()),
                                   own_params[name], own_macs, own_macs / total if total else 0.0))
    stages = tuple(StageRow(name, params[name], macs[name]) for name in children[""])
    return Analysis(
        id=spec.id, node=spec.node, engine=engine, input_size=size, input_desc=spec.describe_inputs(size),
        params=sum(p.numel() for p in model.parameters()),
        trainable_params=sum(p.numel() for p in model.parameters() if p.requires_grad),
        macs=int(total), weight_layers=count_weight_layers(model),
        activation_bytes=4 * recorder.leaf_elements, layers=tuple(layers), stages=stages,
        uncounted=count.uncounted, device_used=device_used, seconds=seconds, operators=count.operators,
        notes=count.notes,
    )


def count_weight_layers(module: nn.Module) -> int:
    """Layers with weights as the architecture has them, not as the code builds them: a module
    marked `is_weight_layer` counts once (its inner pieces not again); nn.MultiheadAttention's
    in-projection (Q, K and V packed, or separate) is one layer beside its out_proj Linear."""
    if getattr(module, "is_weight_layer", False) or isinstance(module, WEIGHT_LAYER_TYPES):
        return 1
    own = int(isinstance(module, nn.MultiheadAttention))
    return own + sum(count_weight_layers(child) for child in module.children())


def cache_dir() -> Path:
    """Where analyses persist between runs: $LINEAGE_CACHE_DIR/analysis, else ~/.cache/lineage-explorer/analysis."""
    return Path(os.environ.get("LINEAGE_CACHE_DIR") or Path.home() / ".cache" / "lineage-explorer") / "analysis"


def _disk_path(key: tuple[str, int | None, str]) -> Path:
    """One JSON file per (id, size, engine), under the library versions and a digest of our own code."""
    import timm

    model_id, size, engine = key
    versions = f"torch{torch.__version__}-tv{torchvision.__version__}-timm{timm.__version__}"
    return cache_dir() / versions / f"{model_id}-{size}-{engine}-{_code_digest(get_spec(model_id))}.json"


def _code_digest(spec: ModelSpec) -> str:
    """Changes whenever the counting code, the registry or a local model's module is edited."""
    files = [__file__, registry.__file__, Path(__file__).with_name("fvcore_engine.py")]
    if spec.source == "local":
        files.append(registry.local_module(spec.builder).__file__)
    digest = hashlib.sha1()
    for file in files:
        digest.update(Path(file).read_bytes())
    return digest.hexdigest()[:12]


def _read_disk(key: tuple[str, int | None, str]) -> Analysis | None:
    """A cached analysis, or None when absent or unreadable (then it is simply recounted)."""
    try:
        return Analysis.from_dict(json.loads(_disk_path(key).read_text()))
    except (OSError, ValueError, TypeError, KeyError):
        return None


def _write_disk(key: tuple[str, int | None, str], result: Analysis) -> None:
    path = _disk_path(key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
        temporary.write_text(json.dumps(result.to_dict(), allow_nan=False))
        temporary.replace(path)
    except (OSError, ValueError):
        pass  # a read-only home only costs the next launch a recount
