"""Build models for real, on the best device, and share them safely across sessions.

Built models are cached (least recently used goes first, within a budget of bytes) and shared by every browser session,
so they are treated as read-only: eval mode, parameters frozen (`requires_grad=False`, which
also keeps Grad-CAM from writing `.grad` into them), never re-weighted in place.
"""

from __future__ import annotations

import contextlib
import functools
import time
import zlib
from dataclasses import dataclass

import torch
from torch import nn

from lineage.text import Text
from models import hook_guard
from models.memory import ByteLRU, budget_bytes
from models.prediction.preprocessing import Preprocess
from models.registry import ModelSpec, get_spec
from models.weights import (UNTRAINED, Checkpoint, Pretrained, Progress, ResolvedWeights, WeightsChoice, option_for,
                            resolve)

MODEL_CACHE_ENV = "LINEAGE_MODEL_CACHE_MB"


class ModelTooLargeError(RuntimeError):
    """The model does not fit in the free memory of the chosen device."""


@dataclass(frozen=True)
class BuiltModel:
    """A model on a device with the facts the UI reports about it."""

    spec: ModelSpec
    model: nn.Module
    device: str
    dtype: torch.dtype
    weights_label: str
    trained: bool
    param_bytes: int
    memory_bytes: int
    build_seconds: float
    categories: tuple[str, ...] = ()
    preprocess: Preprocess | None = None  # what its inputs need (None for a sequence model)
    choice: WeightsChoice = UNTRAINED  # what it was built from: a remote worker builds the same model from it


def available_devices() -> list[str]:
    """The devices this machine has, in the order 'auto' prefers them."""
    found = {"cuda": torch.cuda.is_available(), "mps": torch.backends.mps.is_available(), "cpu": True}
    return [device for device, present in found.items() if present]


def pick_device(preference: str = "auto") -> str:
    """'auto' gives cuda, then mps, then cpu; an explicit device must exist on this machine."""
    available = available_devices()
    if preference == "auto":
        return available[0]
    if preference not in available:
        raise ValueError(Text("Device '{device}' is not available here; choose one of {devices} or auto.",
                              device=preference, devices=", ".join(sorted(available))))
    return preference


def new_model_cache() -> ByteLRU[BuiltModel]:
    """The shared models, bounded by their bytes (LINEAGE_MODEL_CACHE_MB, see models/memory.py)."""
    return ByteLRU(budget_bytes(MODEL_CACHE_ENV, 2048), weigh=lambda built: built.memory_bytes)


_cache = new_model_cache()


def build_model(model_id: str, device: str, weights: WeightsChoice = UNTRAINED,
                progress: Progress | None = None) -> BuiltModel:
    """The model for (id, device, weights): shared and cached for untrained and pretrained weights
    (never mutate what it returns), private to the caller for a checkpoint. `progress(done, total)`
    hears how a download of the weights goes, if building the model needs one."""
    spec = get_spec(model_id)
    if isinstance(weights, Checkpoint):
        return _build(spec, device, resolve(spec, weights), weights)
    if isinstance(weights, Pretrained):  # the default option by its name: one cache entry, not two
        weights = Pretrained(option_for(spec, weights).name)
    return _cache.get((spec.id, device, weights),
                      lambda: _build(spec, device, resolve(spec, weights, progress=progress), weights))


def _build(spec: ModelSpec, device: str, weights: ResolvedWeights, choice: WeightsChoice) -> BuiltModel:
    _check_fits(spec, device)
    started = time.perf_counter()
    before = torch.cuda.memory_allocated() if device == "cuda" else 0
    try:
        with seeded_init(spec):
            model = spec.build("cpu" if weights.state_dict is not None else device)
        if weights.state_dict is not None:
            weights.load_into(model)  # into this fresh model, never a cached one
            model = model.to(device)
    except torch.cuda.OutOfMemoryError as error:
        raise ModelTooLargeError(Text("{name} does not fit in the GPU's free memory; try the CPU.", name=spec.name)) from error
    model.requires_grad_(False)
    param_bytes = sum(t.numel() * t.element_size() for t in [*model.parameters(), *model.buffers()])
    memory = torch.cuda.memory_allocated() - before if device == "cuda" else param_bytes
    return BuiltModel(spec, model, device, next(model.parameters()).dtype, weights.label, weights.trained,
                      param_bytes, memory, time.perf_counter() - started, weights.categories, weights.preprocess,
                      choice)


@contextlib.contextmanager
def seeded_init(spec: ModelSpec):
    """Random initialization from a seed of the model's own (its id's CRC-32), so an untrained model
    gives the same outputs in every session and after every reload; the global RNG is left as it was."""
    with torch.random.fork_rng():
        torch.manual_seed(zlib.crc32(spec.id.encode()))
        yield


def _check_fits(spec: ModelSpec, device: str) -> None:
    needed = param_count(spec) * 4 * 2  # float32 weights, twice for headroom while building
    free = torch.cuda.mem_get_info()[0] if device == "cuda" else available_ram()
    if needed > free:
        template = ("{name} needs about {needed:.1f} GiB but the GPU's free memory is {free:.1f} GiB. Try the CPU."
                    if device == "cuda" else "{name} needs about {needed:.1f} GiB but this machine's free memory is "
                    "{free:.1f} GiB.")
        raise ModelTooLargeError(Text(template, name=spec.name, needed=needed / 2**30, free=free / 2**30))


@functools.lru_cache(maxsize=None)
def param_count(spec: ModelSpec) -> int:
    """Parameters counted on the meta device (no memory, no weights, no counting hooks); a model
    whose construction cannot run there (RegNet's initialization reads values) is built on the CPU
    once, and the count is cached."""
    try:
        model = spec.build("meta")
    except NotImplementedError:
        model = spec.build("cpu")
    return sum(p.numel() for p in model.parameters())


def available_ram() -> int:
    """This machine's free memory in bytes (MemAvailable; huge when unknown, so nothing is refused)."""
    try:
        with open("/proc/meminfo") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 1 << 62  # unknown: don't refuse


def measure_latency(built: BuiltModel, repeats: int = 3) -> float:
    """Median seconds of one forward pass with a batch of one, after a warm-up."""
    inputs = built.spec.example_inputs(device=built.device)
    timings = []
    with hook_guard.shared(), torch.inference_mode():
        for attempt in range(repeats + 1):
            started = time.perf_counter()
            built.model(*inputs)
            if built.device == "cuda":
                torch.cuda.synchronize()
            if attempt:
                timings.append(time.perf_counter() - started)
    return sorted(timings)[len(timings) // 2]
