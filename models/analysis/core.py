"""Analysis of a model without its weights: parameters, multiply-accumulates, layers, stages.

The default engine builds the model on PyTorch's meta device (no memory, no weights) and counts
one forward pass with `torch.utils.flop_counter.FlopCounterMode`, which counts 2 FLOPs per
multiply-add: we report MACs = FLOPs / 2, the convention of the papers and of torchvision's
`_ops`. The "fvcore" engine (models.analysis.fvcore_engine) counts a real CPU forward instead.
Results are cached in memory and on disk (keyed by library versions).
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import torch
from torch import nn
from torch.utils._python_dispatch import TorchDispatchMode
from torch.utils.flop_counter import FlopCounterMode, flop_registry

from models import hook_guard
from models.analysis.cache import read_disk, write_disk
from models.analysis.count import Count, CountEngine
from models.analysis.layers import count_weight_layers
from models.analysis.memory import forward_bytes, memory_shortfall
from models.registry import ModelSpec, get_spec

ENGINES = ("torch", "fvcore")
ROOT_ROW = "(top level)"  # the layer row of the model's own parameters or compute (e.g. ViT's class token)
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
    if engine == "fvcore" and (shortfall := memory_shortfall(spec, size, analyse(spec.id, size, "torch"))):
        raise AnalysisError(shortfall)
    with _analysis_lock:
        result = (_memory_cache.get(key) or _from_disk(key)) if use_cache else None
        if result is None:
            result = _analyse_uncached(spec, size, engine)
            write_disk(key, result.to_dict())
        _memory_cache[key] = result
    return result


def _from_disk(key: tuple[str, int | None, str]) -> Analysis | None:
    data = read_disk(key)
    try:
        return Analysis.from_dict(data) if data else None
    except (TypeError, KeyError, ValueError):  # written by another version of Analysis: recount
        return None


def forward_memory_estimate(model_id: str, input_size: int | None = None) -> int:
    """Bytes a real forward pass may hold at most (`memory.forward_bytes` of the meta-device count)."""
    return forward_bytes(analyse(model_id, input_size, "torch"))


def _analyse_uncached(spec: ModelSpec, size: int | None, engine: str) -> Analysis:
    started = time.perf_counter()
    try:
        if engine == "fvcore":
            from models.analysis.fvcore_engine import count_fvcore

            model, count, recorder = _run(spec, size, "cpu", count_fvcore)
            device_used = "cpu"
        else:
            model, count, recorder, device_used = _run_torch(spec, size)
    except (RuntimeError, AssertionError, ValueError, IndexError) as error:
        where = f"{size}×{size} input" if size else "this input"
        raise AnalysisError(f"{spec.id} cannot take {where}: {_first_line(error)}") from error
    return _assemble(spec, size, engine, model, count, recorder, device_used, time.perf_counter() - started)


def _run_torch(spec: ModelSpec, size: int | None) -> tuple[nn.Module, Count, LayerRecorder, str]:
    """Count on the meta device; only where an op has no meta kernel, build and count on the CPU."""
    try:
        return (*_run(spec, size, "meta", count_torch), "meta")
    except (NotImplementedError, RuntimeError) as error:
        if not isinstance(error, NotImplementedError) and "meta" not in str(error).lower():
            raise
        return (*_run(spec, size, "cpu", count_torch), f"cpu (meta failed: {_first_line(error)})")


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0][:200]


def _run(spec: ModelSpec, size: int | None, device: str, counter: CountEngine) -> tuple[nn.Module, Count, LayerRecorder]:
    """Build on `device` and count one forward, with output-recording hooks that are always removed."""
    model = spec.build(device)
    recorder = LayerRecorder(model)
    try:
        count = counter(model, spec.example_inputs(size, device))
    finally:
        recorder.remove()
    return model, count, recorder


class LayerRecorder:
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


def count_torch(model: nn.Module, inputs: tuple[torch.Tensor, ...]) -> Count:
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


def _assemble(spec: ModelSpec, size: int | None, engine: str, model: nn.Module, count: Count, recorder: LayerRecorder,
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
