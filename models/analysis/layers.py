"""Weight layers counted as the architecture has them, not as the code happens to build them."""

from __future__ import annotations

from torch import nn

WEIGHT_LAYER_TYPES = (nn.Conv1d, nn.Conv2d, nn.Conv3d, nn.Linear)


def count_weight_layers(module: nn.Module) -> int:
    """Layers with weights as the architecture has them, not as the code builds them: a module
    marked `is_weight_layer` counts once (its inner pieces not again); nn.MultiheadAttention's
    in-projection (Q, K and V packed, or separate) is one layer beside its out_proj Linear."""
    if getattr(module, "is_weight_layer", False) or isinstance(module, WEIGHT_LAYER_TYPES):
        return 1
    own = int(isinstance(module, nn.MultiheadAttention))
    return own + sum(count_weight_layers(child) for child in module.children())
