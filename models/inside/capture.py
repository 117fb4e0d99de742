"""One forward pass that keeps only the chosen layers, on this call's private copy of the model.

Hooks go on a copy of the module tree that shares the cached model's tensors (the CAM approach),
so the shared model never carries a hook and two sessions at once never see each other's
forward, and the forward stops after the last chosen layer. Each hook summarises its layer at once (per-channel means, thumbnails no larger than
`max_side`), so what is kept stays small whatever the model; the raw output is kept only for the
layers asked for in `keep_raw` (the notebook call).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from models import hook_guard
from models.inside.adapter import BuiltModel, channels_last, private_copy


@dataclass(frozen=True)
class LayerMaps:
    """One layer's output for one image: its shape, per-channel maps (C, h, w), their means, and how
    the output was read as maps (e.g. tokens laid out on their grid)."""

    layer: str
    shape: tuple[int, ...]
    maps: np.ndarray
    means: np.ndarray
    layout: str
    raw: np.ndarray | None = None

    @property
    def nbytes(self) -> int:
        """Memory held by the arrays."""
        return self.maps.nbytes + self.means.nbytes + (self.raw.nbytes if self.raw is not None else 0)

    def ranked(self, count: int) -> list[int]:
        """The `count` channels with the highest mean activation, highest first."""
        return [int(i) for i in np.argsort(-self.means, kind="stable")[:count]]


def as_maps(output: torch.Tensor, last: bool) -> tuple[torch.Tensor, str]:
    """A layer's output for one image (without the batch) as channel maps (C, H, W), and how."""
    if output.dim() == 3:
        if last and output.shape[0] == output.shape[1]:
            return output.permute(2, 0, 1), "channels-last (H, W, C) read as C maps"
        return output, "C×H×W feature maps"
    tokens, side = output, math.isqrt(output.shape[0])
    if side * side == output.shape[0]:
        return tokens.T.reshape(-1, side, side), f"{side}×{side} tokens on their grid"
    side = math.isqrt(output.shape[0] - 1)
    if side * side == output.shape[0] - 1:
        return tokens[1:].T.reshape(-1, side, side), f"{side}×{side} patch tokens on their grid (class token left out)"
    return tokens.T.reshape(-1, 1, output.shape[0]), f"{output.shape[0]} tokens in a row"


def summarise(layer: str, output: torch.Tensor, last: bool, max_side: int | None, keep_raw: bool) -> LayerMaps:
    """Means at full resolution; maps area-downsampled to at most `max_side` a side (None: as they are)."""
    maps, layout = as_maps(output.detach().float(), last)
    means = maps.mean(dim=(1, 2))
    if max_side and max(maps.shape[1:]) > max_side:
        maps = F.adaptive_avg_pool2d(maps.unsqueeze(0), [min(s, max_side) for s in maps.shape[1:]])[0]
    raw = output.detach().cpu().numpy().copy() if keep_raw else None
    return LayerMaps(layer, tuple(output.shape), maps.cpu().numpy().copy(), means.cpu().numpy().copy(), layout, raw)


class _AllCaptured(Exception):
    """Raised by the last hook: the layers after the chosen ones need not run."""


def capture(built: BuiltModel, batch: torch.Tensor, layers: Iterable[str], max_side: int | None = None,
            keep_raw: Iterable[str] = ()) -> dict[str, LayerMaps]:
    """Run `batch` (one image) once through a private copy with hooks on `layers`; each layer's
    first output, summarised (a module run twice in one forward is read at its first call). The
    forward stops once every chosen layer is seen."""
    layers, keep_raw = list(dict.fromkeys(layers)), set(keep_raw)
    model, last = private_copy(built.model), channels_last(built.spec)
    kept: dict[str, LayerMaps] = {}

    def hook_for(name: str):
        def record(_module, _inputs, output) -> None:
            if name not in kept and isinstance(output, torch.Tensor):
                kept[name] = summarise(name, output[0], last, max_side, name in keep_raw)
                if len(kept) == len(layers):
                    raise _AllCaptured
        return record

    for name in layers:
        model.get_submodule(name).register_forward_hook(hook_for(name))
    try:
        with hook_guard.shared(), torch.inference_mode():
            model(batch)
    except _AllCaptured:
        pass
    missing = [name for name in layers if name not in kept]
    if missing:
        raise ValueError(f"{built.spec.name} gave no map at {', '.join(missing)} for this input.")
    return {name: kept[name] for name in layers}
