"""What a counting engine returns, shared by the torch and fvcore engines."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import torch
from torch import nn


@dataclass(frozen=True)
class Count:
    """What an engine measured: MACs per module path (children included; "" = the whole model)."""

    macs_by_module: dict[str, int]
    uncounted: tuple[str, ...]
    operators: dict[str, int] = field(default_factory=dict)
    notes: tuple[str, ...] = ()


CountEngine = Callable[[nn.Module, tuple[torch.Tensor, ...]], Count]
