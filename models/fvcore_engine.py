"""fvcore, the second counting engine: it traces a real CPU forward with TorchScript and counts
one multiply-add as one flop, so its totals are MACs already."""

from __future__ import annotations

import logging
import warnings

import torch
from torch import nn

from models import hook_guard
from models.analysis import Count


def count_fvcore(model: nn.Module, inputs: tuple[torch.Tensor, ...]) -> Count:
    """Per-module and per-operator MACs of one traced forward; unsupported ops are listed."""
    from fvcore.nn import FlopCountAnalysis

    analysis = FlopCountAnalysis(model, inputs).unsupported_ops_warnings(False).uncalled_modules_warnings(False)
    with hook_guard.shared(), torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        logging.getLogger("fvcore").setLevel(logging.ERROR)
        by_module = analysis.by_module()
        operators = {op: int(macs) for op, macs in analysis.by_operator().items()}
        unsupported = tuple(sorted(analysis.unsupported_ops()))
    return Count({name: int(macs) for name, macs in by_module.items()}, unsupported, operators)
