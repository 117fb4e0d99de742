"""Counting blocks built in code the way models.analysis counts registry models (FlopCounterMode,
MACs = FLOPs / 2), plus receptive field by gradient and CPU latency."""

from __future__ import annotations

import copy
import statistics
import time

import torch
from torch import nn

from models import hook_guard
from models.analysis.core import LayerRecorder, count_torch
from models.experiments.base import Variant


def count(block: nn.Module, inputs: torch.Tensor) -> tuple[int, int, int]:
    """(parameters, MACs, activation bytes) of one forward of `block` on `inputs`, counted as
    models.analysis counts a model: FlopCounterMode on a meta-device copy (no memory, no time), and
    4 bytes × every leaf module's output elements."""
    probe = copy.deepcopy(block).to("meta").eval()
    recorder = LayerRecorder(probe)
    try:
        macs = count_torch(probe, (inputs.to("meta"),)).macs_by_module[""]
    finally:
        recorder.remove()
    return sum(p.numel() for p in block.parameters()), int(macs), 4 * recorder.leaf_elements


def variant(name: str, with_innovation: bool, block: nn.Module, inputs: torch.Tensor, **metrics: float) -> Variant:
    """A measured variant: its counted parameters, MACs and activation memory, plus extra metrics."""
    params, macs, activation_bytes = count(block, inputs)
    return Variant(name, with_innovation, params, macs, {"activation_bytes": activation_bytes, **metrics})


def receptive_field(stack: nn.Module, channels: int, size: int = 33) -> int:
    """The side of the input square that the centre output pixel depends on, read off the gradient
    of that output with respect to the input (weights set to 1 so no path cancels or dies)."""
    probe = copy.deepcopy(stack).eval()
    with torch.no_grad():
        for parameter in probe.parameters():
            parameter.fill_(1.0)
    image = torch.ones(1, channels, size, size, requires_grad=True)
    out = probe(image)
    out[0, :, out.shape[2] // 2, out.shape[3] // 2].sum().backward()
    rows = image.grad[0].abs().sum(dim=(0, 2)).nonzero()
    return int(rows.max() - rows.min() + 1)


def cpu_latency_ms(block: nn.Module, inputs: torch.Tensor, repeats: int = 15) -> float:
    """Median wall-clock milliseconds of one forward on the CPU (after one warm-up): real timing,
    so it varies between runs and machines, and is reported apart from the counted figures."""
    block = block.eval()
    times = []
    with hook_guard.shared(), torch.no_grad():
        block(inputs)
        for _ in range(repeats):
            started = time.perf_counter()
            block(inputs)
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def ratio(numerator: float, denominator: float) -> float:
    """numerator / denominator, rounded to 6 places so figures compare exactly between runs."""
    return round(numerator / denominator, 6)
