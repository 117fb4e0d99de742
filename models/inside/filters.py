"""The first convolution's kernels drawn as images (AlexNet's 11×11, VGG's 3×3, LeNet-5's 5×5)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from torch import nn


@dataclass(frozen=True)
class Filters:
    """The kernels of one convolution as images in [0, 1]: (N, k, k, 3) for RGB input, (N, k, k) otherwise."""

    layer: str
    images: np.ndarray
    shape: tuple[int, ...]


def first_filters(model: nn.Module) -> Filters | None:
    """The first Conv2d of the module tree (the first to touch the image), each kernel scaled on its
    own to [0, 1] (RGB when it reads three channels, else its mean over the input channels)."""
    found = next(((name, m) for name, m in model.named_modules() if isinstance(m, nn.Conv2d)), None)
    if found is None:
        return None
    name, conv = found
    weight = conv.weight.detach().float().cpu().numpy()  # (out, in / groups, k, k)
    kernels = weight.transpose(0, 2, 3, 1) if weight.shape[1] == 3 else weight.mean(axis=1)
    low = kernels.reshape(len(kernels), -1).min(axis=1)
    high = kernels.reshape(len(kernels), -1).max(axis=1)
    span = np.where(high > low, high - low, 1.0)
    shape = (-1,) + (1,) * (kernels.ndim - 1)
    return Filters(name, (kernels - low.reshape(shape)) / span.reshape(shape), tuple(weight.shape))
