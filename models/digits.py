"""Digits for LeNet-5, made the way scikit-learn's training digits were made.

`load_digits` images are 32×32 bitmaps of a size-normalized digit, reduced to 8×8 by counting
ink in 4×4 blocks (values 0-16; see its DESCR). A user's digit is brought to the same form —
ink found whatever the polarity, cropped, scaled to fill the box, block-averaged to 8×8 — and
both then go through `tensor_from_8x8`, so training and inference cannot drift apart.
"""

from __future__ import annotations

import numpy as np
import torch
from PIL import Image
from torch.nn import functional as F

INK_THRESHOLD = 0.25  # share of full contrast below which a pixel counts as paper
BACKGROUND, FOREGROUND = -0.1, 1.175  # LeCun et al. 1998, Sec. II.B: input scaled so the mean is ~0


class DigitInputError(ValueError):
    """The image has no ink to read."""


def tensor_from_8x8(blocks: np.ndarray) -> torch.Tensor:
    """An 8×8 array of ink counts (0-16) as LeNet-5's (1, 32, 32) input: upsampled to 24×24,
    padded to 32×32 as the paper's 28×28-in-32×32 digits, scaled to [-0.1, 1.175]."""
    ink = torch.as_tensor(np.asarray(blocks, dtype=np.float32) / 16.0).view(1, 1, 8, 8)
    ink = F.interpolate(ink, size=(24, 24), mode="bilinear", align_corners=False).clamp(0, 1)
    ink = F.pad(ink, (4, 4, 4, 4))
    return (BACKGROUND + ink * (FOREGROUND - BACKGROUND))[0]


def ink_map(image: Image.Image) -> np.ndarray:
    """Ink intensity in [0, 1] whatever the paper: dark-on-light and light-on-dark both give ink=1."""
    gray = np.asarray(image.convert("L"), dtype=np.float32) / 255.0
    border = np.concatenate([gray[0], gray[-1], gray[:, 0], gray[:, -1]])
    ink = 1.0 - gray if np.median(border) > 0.5 else gray
    ink = ink - np.median(np.concatenate([ink[0], ink[-1], ink[:, 0], ink[:, -1]]))
    high = np.percentile(ink, 99.5)
    if high <= 0.05:
        raise DigitInputError("No digit found: the image is blank or has almost no contrast.")
    ink = np.clip(ink / high, 0, 1)
    ink[ink < INK_THRESHOLD] = 0
    return ink


def blocks_8x8(ink: np.ndarray) -> np.ndarray:
    """Crop to the ink, fit it into a 32×32 box keeping its aspect, then count ink per 4×4 block."""
    rows, cols = np.nonzero(ink > 0.5)
    if rows.size == 0:
        raise DigitInputError("No digit found: nothing dark (or bright) enough to be ink.")
    crop = ink[rows.min(): rows.max() + 1, cols.min(): cols.max() + 1]
    height, width = crop.shape
    scale = 32 / max(height, width)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    resized = np.asarray(Image.fromarray((crop * 255).astype(np.uint8)).resize(size, Image.Resampling.BOX),
                         dtype=np.float32) / 255.0
    box = np.zeros((32, 32), dtype=np.float32)
    top, left = (32 - size[1]) // 2, (32 - size[0]) // 2
    box[top: top + size[1], left: left + size[0]] = resized
    return box.reshape(8, 4, 8, 4).mean(axis=(1, 3)) * 16


def preprocess_digit(image: Image.Image) -> torch.Tensor:
    """A user's digit image (any size, polarity, photo or drawing) as a (1, 1, 32, 32) batch."""
    return tensor_from_8x8(blocks_8x8(ink_map(image))).unsqueeze(0)


def preview(tensor: torch.Tensor) -> Image.Image:
    """What LeNet-5 sees, as a small grayscale picture (ink dark on white)."""
    ink = ((tensor.reshape(32, 32) - BACKGROUND) / (FOREGROUND - BACKGROUND)).clamp(0, 1)
    return Image.fromarray(((1 - ink.numpy()) * 255).astype(np.uint8), "L").resize((128, 128), Image.Resampling.NEAREST)
