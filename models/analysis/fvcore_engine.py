"""fvcore, the second counting engine: it traces a real CPU forward with TorchScript and counts
one multiply-add as one flop, so its totals are MACs already. Its warnings go into the result."""

from __future__ import annotations

import warnings

import torch
from torch import nn

from models import hook_guard
from models.analysis.count import Count

with warnings.catch_warnings():
    warnings.simplefilter("ignore", FutureWarning)  # fvcore's import calls the deprecated torch.jit.script
    from fvcore.nn import FlopCountAnalysis

MAX_NAMES = 6


def count_fvcore(model: nn.Module, inputs: tuple[torch.Tensor, ...]) -> Count:
    """Per-module and per-operator MACs of one traced forward; unsupported ops and warnings are listed."""
    analysis = FlopCountAnalysis(model, inputs).unsupported_ops_warnings(False).uncalled_modules_warnings(False)
    # A traced forward fires the global module hooks a FlopCounterMode count may have installed.
    with hook_guard.shared(), torch.no_grad(), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        by_module = analysis.by_module()
        operators = {op: int(macs) for op, macs in analysis.by_operator().items()}
        unsupported = tuple(sorted(analysis.unsupported_ops()))
        uncalled = _outermost(analysis.uncalled_modules())
    notes = [f"modules never called in this forward, so not counted: {_some(uncalled)}"] if uncalled else []
    notes += dict.fromkeys(f"{w.category.__name__}: {str(w.message).splitlines()[0]}" for w in caught)
    return Count({name: int(macs) for name, macs in by_module.items()}, unsupported, operators, tuple(notes))


def _outermost(names: set[str]) -> list[str]:
    """Module paths without those inside another listed one (AuxLogits, not AuxLogits.fc too)."""
    return sorted(n for n in names if not any(n.startswith(f"{other}.") for other in names))


def _some(names: list[str]) -> str:
    shown = ", ".join(names[:MAX_NAMES])
    return shown + (f" and {len(names) - MAX_NAMES} more" if len(names) > MAX_NAMES else "")
