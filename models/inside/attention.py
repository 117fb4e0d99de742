"""Where a transformer attends for one image, recomputed on a private copy with the attention
weights the library's forward does not return.

ViT (torchvision): every encoder block's heads-averaged attention from its own MultiheadAttention
(`need_weights=True`) on the block's normalised input; shown as attention rollout (Abnar & Zuidema,
2020: (A + I)/2 per block, rows renormalised, multiplied through the blocks) or the last block's
class-token attention. Swin (torchvision): no class token, so the last block's attention received
by each token (heads and queries averaged), where the last stage is one window; any block's window
attention, for one patch, is `swin_windows`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch
from torchvision.models.swin_transformer import ShiftedWindowAttention
from torchvision.models.vision_transformer import EncoderBlock

from models import hook_guard
from models.inside.adapter import BuiltModel, private_copy
from models.inside.swin_windows import window_weights

ROLLOUT = "attention rollout (Abnar & Zuidema 2020), heads averaged"
LAST_CLASS_TOKEN = "last block's class-token attention, heads averaged"
SWIN_LAST = "last block's attention received per token, heads and queries averaged (Swin has no class token)"


@dataclass(frozen=True)
class AttentionMap:
    """A grid (h, w) of attention over the image's patches, summing to 1, and what it is."""

    grid: np.ndarray
    method: str


def has_attention(built: BuiltModel) -> bool:
    """Whether this model has attention this module knows how to read (torchvision's ViT or Swin)."""
    return any(isinstance(m, (EncoderBlock, ShiftedWindowAttention)) for m in built.model.modules())


def attention_maps(built: BuiltModel, batch: torch.Tensor) -> list[AttentionMap]:
    """The attention maps this model offers for one image (empty when it has none)."""
    model = private_copy(built.model)
    blocks = [m for m in model.modules() if isinstance(m, EncoderBlock)]
    windows = [m for m in model.modules() if isinstance(m, ShiftedWindowAttention)]
    inputs: dict[int, torch.Tensor] = {}
    for index, module in enumerate(blocks or windows[-1:]):
        target = module.ln_1 if blocks else module  # a block's normalised input; the window attention's input
        target.register_forward_hook(_keep(inputs, index, output=bool(blocks)))
    with hook_guard.shared(), torch.inference_mode():
        model(batch)
        if blocks:
            weights = [block.self_attention(inputs[i], inputs[i], inputs[i], need_weights=True)[1][0]
                       for i, block in enumerate(blocks)]
            return [AttentionMap(_grid(_rollout(weights)[0, 1:]), ROLLOUT),
                    AttentionMap(_grid(weights[-1][0, 1:]), LAST_CLASS_TOKEN)]
        if windows and (received := _swin_received(windows[-1], inputs[0])) is not None:
            return [AttentionMap(received, SWIN_LAST)]
    return []


def _keep(store: dict[int, torch.Tensor], index: int, output: bool):
    def record(_module, inputs, result) -> None:
        store.setdefault(index, (result if output else inputs[0]).detach())
    return record


def _rollout(weights: list[torch.Tensor]) -> torch.Tensor:
    """Attention rollout over the blocks' (N, N) attention matrices."""
    eye = torch.eye(weights[0].shape[-1], dtype=weights[0].dtype)
    rolled = eye
    for attention in weights:
        mixed = 0.5 * attention.float().cpu() + 0.5 * eye
        rolled = (mixed / mixed.sum(dim=-1, keepdim=True)) @ rolled
    return rolled


def _grid(row: torch.Tensor) -> np.ndarray:
    side = math.isqrt(row.numel())
    grid = row.float().cpu().reshape(side, side)
    return (grid / grid.sum()).numpy()


def _swin_received(attention: ShiftedWindowAttention, x: torch.Tensor) -> np.ndarray | None:
    """Heads- and queries-averaged attention each token of the last stage receives, when that stage
    is a single window (as at 224 px); None otherwise."""
    found = window_weights(attention, x)
    if len(found.weights) > 1 or (found.cells < 0).any():
        return None
    received = found.weights[0].mean(dim=(0, 1)).float().cpu().numpy()
    grid = np.zeros(found.grid, dtype=np.float32)
    grid[found.cells[0, :, 0], found.cells[0, :, 1]] = received
    return grid / grid.sum()
