"""Swin's window attention for any block: the attention of one patch to the patches of its window,
recomputed on a private copy from the block's own input, as torchvision's `shifted_window_attention`
computes it (pad to whole windows, roll by the block's shift, relative position bias, the mask that
keeps patches from across the roll apart, softmax); its output is not changed and is not returned
by the library, so it is recomputed here from the same weights.

A shifted block's windows are the shifted ones: the window of a patch may wrap round the map's
edges, and patches that arrive from across the wrap are masked out (they get almost no attention).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torchvision.models.swin_transformer import ShiftedWindowAttention, SwinTransformerBlock

from models import hook_guard
from models.inside.adapter import BuiltModel, private_copy


@dataclass(frozen=True)
class WindowBlock:
    """A Swin block with window attention: its module name, its stage and place (from 1), window and shift."""

    name: str
    stage: int
    index: int
    window: tuple[int, int]
    shift: tuple[int, int]


@dataclass(frozen=True)
class WindowWeights:
    """A block's attention for one image: (windows, heads, N, N) weights over each window's N patches
    (rows sum to 1), the stage's grid (H, W), and where each window's patches sit on it ((windows, N, 2),
    -1 for padding); the shift actually applied (none where one window covers the map)."""

    weights: torch.Tensor
    grid: tuple[int, int]
    cells: np.ndarray
    shift: tuple[int, int]

    def window_of(self, row: int, column: int) -> tuple[int, int]:
        """(window, position in it) of the patch at (row, column) of the stage's grid."""
        found = np.argwhere((self.cells[..., 0] == row) & (self.cells[..., 1] == column))
        if not len(found):
            raise ValueError(f"patch ({row}, {column}) is outside the {self.grid[0]}×{self.grid[1]} grid")
        return int(found[0, 0]), int(found[0, 1])

    def patch_map(self, row: int, column: int) -> np.ndarray:
        """(H, W): the heads-averaged attention of the patch at (row, column) to every patch of its
        window, zero outside the window (a padding patch's share is not drawn)."""
        window, query = self.window_of(row, column)
        attention = self.weights[window, :, query].mean(dim=0).float().cpu().numpy()
        grid = np.zeros(self.grid, dtype=np.float32)
        for (r, c), value in zip(self.cells[window], attention):
            if r >= 0:
                grid[r, c] = value
        return grid


def window_blocks(built: BuiltModel) -> list[WindowBlock]:
    """The blocks of torchvision's Swin (v1) with window attention, in forward order (empty for other models)."""
    blocks, stages = [], []
    for name, module in built.model.named_modules():
        if isinstance(module, SwinTransformerBlock) and type(module.attn) is ShiftedWindowAttention:
            parent = name.rpartition(".")[0]
            stages += [parent] if parent not in stages else []
            index = sum(1 for b in blocks if b.stage == len(stages)) + 1
            blocks.append(WindowBlock(name, len(stages), index, tuple(module.attn.window_size),
                                      tuple(module.attn.shift_size)))
    return blocks


class _Seen(Exception):
    """Raised once the block's input is seen: the rest of the forward need not run."""


def block_input(built: BuiltModel, batch: torch.Tensor, block: str) -> torch.Tensor:
    """The input (B, H, W, C) of `block`'s window attention for `batch`, from one forward on a private
    copy that stops there."""
    model, seen = private_copy(built.model), {}

    def record(_module, inputs) -> None:
        seen["x"] = inputs[0].detach()
        raise _Seen

    model.get_submodule(block).attn.register_forward_pre_hook(record)
    try:
        with hook_guard.shared(), torch.inference_mode():
            model(batch)
    except _Seen:
        pass
    if "x" not in seen:
        raise ValueError(f"{built.spec.name} never ran {block} for this input")
    return seen["x"]


def window_weights(attention: ShiftedWindowAttention, x: torch.Tensor) -> WindowWeights:
    """The attention weights of every window of the first image of `x` (B, H, W, C), as torchvision computes them."""
    x = x[:1].float()
    _, height, width, channels = x.shape
    (wh, ww), heads = attention.window_size, attention.num_heads
    padded = F.pad(x, (0, 0, 0, (ww - width % ww) % ww, 0, (wh - height % wh) % wh))
    _, ph, pw, _ = padded.shape
    shift = [0 if wh >= ph else attention.shift_size[0], 0 if ww >= pw else attention.shift_size[1]]
    rows, cols = np.meshgrid(np.arange(ph), np.arange(pw), indexing="ij")
    if any(shift):
        padded = torch.roll(padded, shifts=(-shift[0], -shift[1]), dims=(1, 2))
        rows, cols = np.roll(rows, (-shift[0], -shift[1]), axis=(0, 1)), np.roll(cols, (-shift[0], -shift[1]), axis=(0, 1))
    windows = _partition(padded[0], wh, ww)  # (nW, N, C)
    qkv = F.linear(windows, attention.qkv.weight.float(), attention.qkv.bias.float())
    q, k, _ = qkv.reshape(len(windows), -1, 3, heads, channels // heads).permute(2, 0, 3, 1, 4)
    scores = (q * (channels // heads) ** -0.5) @ k.transpose(-2, -1) + attention.get_relative_position_bias().float()
    if any(shift):
        scores = scores + _shift_mask(ph, pw, (wh, ww), shift).unsqueeze(1)
    cells = np.stack([_partition(torch.as_tensor(rows)[..., None], wh, ww)[..., 0].numpy(),
                      _partition(torch.as_tensor(cols)[..., None], wh, ww)[..., 0].numpy()], axis=-1)
    cells[(cells[..., 0] >= height) | (cells[..., 1] >= width)] = -1
    return WindowWeights(scores.softmax(dim=-1), (height, width), cells, (shift[0], shift[1]))


def block_weights(built: BuiltModel, batch: torch.Tensor, block: str) -> WindowWeights:
    """`block`'s window attention for the first image of `batch`."""
    x = block_input(built, batch, block)
    with torch.inference_mode():
        return window_weights(built.model.get_submodule(block).attn, x)


def _partition(grid: torch.Tensor, wh: int, ww: int) -> torch.Tensor:
    """(H, W, C) → (windows, wh·ww, C), windows row by row, as torchvision orders them."""
    height, width, channels = grid.shape
    return (grid.reshape(height // wh, wh, width // ww, ww, channels).permute(0, 2, 1, 3, 4)
            .reshape(-1, wh * ww, channels))


def _shift_mask(ph: int, pw: int, window: tuple[int, int], shift: list[int]) -> torch.Tensor:
    """(windows, N, N): -100 between patches of a shifted window that came from different regions."""
    regions, count = torch.zeros(ph, pw), 0
    for h in ((0, -window[0]), (-window[0], -shift[0]), (-shift[0], None)):
        for w in ((0, -window[1]), (-window[1], -shift[1]), (-shift[1], None)):
            regions[h[0]:h[1], w[0]:w[1]] = count
            count += 1
    labels = _partition(regions[..., None], *window)[..., 0]
    return (labels.unsqueeze(1) - labels.unsqueeze(2)).ne(0).float() * -100.0
