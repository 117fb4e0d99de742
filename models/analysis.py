"""Analysis of a model without its weights: parameters, multiply-accumulates, layers, stages.

The default engine builds the model on PyTorch's meta device (no memory, no weights) and counts
one forward pass with `torch.utils.flop_counter.FlopCounterMode`, which counts 2 FLOPs per
multiply-add: we report MACs = FLOPs / 2, the convention of the papers and of torchvision's
`_ops`. Results are cached in memory and on disk (keyed by library versions).
"""

from __future__ import annotations

import json
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

from models import hook_guard
from models.registry import ModelSpec, get_spec

ENGINES = ("torch", "fvcore")
WEIGHT_LAYER_TYPES = (nn.Conv1d, nn.Conv2d, nn.Conv3d, nn.Linear)
# aten ops that only move or re-view data: not "uncounted compute", so not reported.
_DATA_MOVEMENT = {
    "view", "_unsafe_view", "reshape", "permute", "transpose", "t", "expand", "clone", "cat", "split",
    "split_with_sizes", "slice", "select", "unsqueeze", "squeeze", "flatten", "detach", "contiguous",
    "empty", "zeros", "ones", "copy_", "_to_copy", "stack", "roll", "new_zeros", "new_empty", "index",
    "embedding", "alias", "lift_fresh", "zero_", "fill_", "as_strided", "unbind", "chunk", "arange",
    "full", "masked_fill", "_local_scalar_dense", "constant_pad_nd", "pad", "eq", "ne", "lt", "gt",
    "all", "any", "scalar_tensor", "where", "clamp_min",
}


class AnalysisError(ValueError):
    """A model could not be analysed at the requested input (e.g. too small for its pooling)."""


@dataclass(frozen=True)
class LayerRow:
    """One module with its own parameters or compute (children excluded)."""

    name: str
    type: str
    output_shape: tuple[int, ...]
    params: int
    macs: int
    share: float


@dataclass(frozen=True)
class StageRow:
    """A top-level child of the model (e.g. ResNet's layer1), everything inside it summed."""

    name: str
    params: int
    macs: int


@dataclass(frozen=True)
class Analysis:
    """Everything the Inspect page and `python -m models summary` show about one model."""

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

    @property
    def flops(self) -> int:
        """FLOPs under the 1 multiply-add = 2 FLOPs convention."""
        return 2 * self.macs

    def to_dict(self) -> dict:
        """Plain JSON-ready data (shapes as lists)."""
        data = asdict(self)
        data["flops"] = self.flops
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Analysis:
        data = {k: v for k, v in data.items() if k != "flops"}
        data["layers"] = tuple(LayerRow(**{**row, "output_shape": tuple(row["output_shape"])}) for row in data["layers"])
        data["stages"] = tuple(StageRow(**row) for row in data["stages"])
        data["uncounted"] = tuple(data["uncounted"])
        return cls(**data)


@dataclass(frozen=True)
class Count:
    """What an engine measured: compute per module path (inclusive of children; "" = whole model)."""

    macs_by_module: dict[str, int]
    uncounted: tuple[str, ...]
    operators: dict[str, int] = field(default_factory=dict)


_memory_cache: dict[tuple[str, int | None, str], Analysis] = {}
_count_lock = threading.Lock()


def analyse(model_id: str, input_size: int | None = None, engine: str = "torch", use_cache: bool = True) -> Analysis:
    """Analyse a registered model at an input size (its default when None) with an engine."""
    spec = get_spec(model_id)
    if engine not in ENGINES:
        raise AnalysisError(f"Unknown engine '{engine}'. Choose one of: {', '.join(ENGINES)}.")
    size = (input_size or spec.input_size) if spec.kind == "image" else None
    key = (spec.id, size, engine)
    if use_cache and key in _memory_cache:
        return _memory_cache[key]
    disk = _disk_path(key)
    if use_cache and disk.exists():
        result = Analysis.from_dict(json.loads(disk.read_text()))
    else:
        result = _analyse_uncached(spec, size, engine)
        _write_disk(disk, result)
    _memory_cache[key] = result
    return result


def example_inputs(spec: ModelSpec, size: int | None, device: str | torch.device) -> tuple[torch.Tensor, ...]:
    """The batch of one a model is counted with: an image, or the Transformer's token batches."""
    if spec.kind == "sequence":
        from models.local.transformer import example_inputs as token_inputs

        return token_inputs(device=device)
    channels = 1 if spec.id == "lenet5" else 3
    return (torch.zeros(1, channels, size, size, device=device),)


def describe_inputs(spec: ModelSpec, size: int | None) -> str:
    """The input in words, e.g. '1×3×224×224 image'."""
    if spec.kind == "sequence":
        from models.local.transformer import EXAMPLE_SOURCE_LENGTH, EXAMPLE_TARGET_LENGTH

        return f"1×{EXAMPLE_SOURCE_LENGTH} source + 1×{EXAMPLE_TARGET_LENGTH} target tokens"
    return "×".join(map(str, example_inputs(spec, size, "meta")[0].shape)) + " image"


def _analyse_uncached(spec: ModelSpec, size: int | None, engine: str) -> Analysis:
    started = time.perf_counter()
    if engine == "fvcore":
        from models.fvcore_engine import count_fvcore

        model, count, shapes, device_used = _run(spec, size, "cpu", count_fvcore)
    else:
        try:
            model, count, shapes, device_used = _run(spec, size, "meta", _count_torch)
        except NotImplementedError as error:  # an op without a meta kernel: count for real on the CPU
            model, count, shapes, _ = _run(spec, size, "cpu", _count_torch)
            device_used = f"cpu (meta failed: {str(error).splitlines()[0][:120]})"
    return _assemble(spec, size, engine, model, count, shapes, device_used, time.perf_counter() - started)


def _run(spec: ModelSpec, size: int | None, device: str, counter: Callable) -> tuple:
    model = spec.build(device)
    inputs = example_inputs(spec, size, device)
    shapes: dict[str, tuple[int, ...]] = {}
    handles = [module.register_forward_hook(_shape_recorder(shapes, name)) for name, module in model.named_modules()]
    try:
        count = counter(model, inputs)
    except (RuntimeError, AssertionError, ValueError, IndexError) as error:
        first_line = (str(error).strip().splitlines() or [type(error).__name__])[0]
        where = f"{size}×{size} input" if size else "this input"
        raise AnalysisError(f"{spec.id} cannot take {where}: {first_line[:200]}") from error
    finally:
        for handle in handles:
            handle.remove()
    return model, count, shapes, device


def _shape_recorder(shapes: dict, name: str) -> Callable:
    def record(_module, _inputs, output) -> None:
        if isinstance(output, torch.Tensor):
            shapes[name] = tuple(int(side) for side in output.shape)

    return record


class _OpRecorder(TorchDispatchMode):
    """Notes every aten op the forward runs, to report the compute the counter ignores."""

    def __init__(self) -> None:
        super().__init__()
        self.packets: set = set()

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        self.packets.add(func._overloadpacket)
        return func(*args, **(kwargs or {}))


def _count_torch(model: nn.Module, inputs: tuple[torch.Tensor, ...]) -> Count:
    counter, recorder = FlopCounterMode(display=False), _OpRecorder()
    with _count_lock, hook_guard.exclusive(), torch.no_grad(), counter, recorder:
        model(*inputs)
    per_module = counter.get_flop_counts()
    root = next((name for name in per_module if name != "Global" and "." not in name), None)
    macs = {"": sum(per_module.get("Global", {}).values()) // 2}
    for name, ops in per_module.items():
        if name not in ("Global", root) and name.startswith(f"{root}."):
            macs[name[len(root) + 1:]] = sum(ops.values()) // 2
    uncounted = sorted(
        p.__name__ for p in recorder.packets if p not in flop_registry and p.__name__ not in _DATA_MOVEMENT
    )
    return Count(macs, tuple(uncounted))


def _assemble(spec, size, engine, model: nn.Module, count: Count, shapes, device_used: str, seconds: float) -> Analysis:
    total = count.macs_by_module.get("", 0)
    layers = []
    for name, module in model.named_modules():
        children = [f"{name}.{child}" if name else child for child, _ in module.named_children()]
        own_macs = count.macs_by_module.get(name, 0) - sum(count.macs_by_module.get(c, 0) for c in children)
        own_params = sum(p.numel() for p in module.parameters(recurse=False))
        is_leaf = not children
        if name and (own_macs > 0 or own_params > 0 or is_leaf):
            layers.append(LayerRow(name, type(module).__name__, shapes.get(name, ()), own_params, max(own_macs, 0),
                                   max(own_macs, 0) / total if total else 0.0))
    stages = tuple(
        StageRow(name, sum(p.numel() for p in child.parameters()), count.macs_by_module.get(name, 0))
        for name, child in model.named_children()
    )
    leaf_outputs = [shapes[n] for n, m in model.named_modules() if n in shapes and not list(m.children())]
    params = sum(p.numel() for p in model.parameters())
    return Analysis(
        id=spec.id, node=spec.node, engine=engine, input_size=size, input_desc=describe_inputs(spec, size),
        params=params, trainable_params=sum(p.numel() for p in model.parameters() if p.requires_grad),
        macs=int(total), weight_layers=sum(isinstance(m, WEIGHT_LAYER_TYPES) for m in model.modules()),
        activation_bytes=4 * sum(_numel(shape) for shape in leaf_outputs),
        layers=tuple(layers), stages=stages, uncounted=count.uncounted, device_used=device_used,
        seconds=seconds, operators=count.operators,
    )


def _numel(shape: tuple[int, ...]) -> int:
    result = 1
    for side in shape:
        result *= side
    return result


def cache_dir() -> Path:
    """Where analyses persist between runs: $LINEAGE_CACHE_DIR or ~/.cache/lineage-explorer."""
    return Path(os.environ.get("LINEAGE_CACHE_DIR") or Path.home() / ".cache" / "lineage-explorer") / "analysis"


def _disk_path(key: tuple[str, int | None, str]) -> Path:
    import timm

    versions = f"torch{torch.__version__}-tv{torchvision.__version__}-timm{timm.__version__}"
    model_id, size, engine = key
    return cache_dir() / versions / f"{model_id}-{size}-{engine}.json"


def _write_disk(path: Path, result: Analysis) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(result.to_dict()))
        temporary.replace(path)
    except OSError:
        pass  # a read-only home only costs the next launch a recount
