"""Digits for LeNet-5, made the way scikit-learn's training digits were made.

`load_digits` images are 32×32 bitmaps of a size-normalized digit, reduced to 8×8 by counting
on-pixels in 4×4 blocks (values 0-16; see its DESCR). A user's digit is brought to the same form:
ink found whatever the polarity, cropped, scaled so it fills the box's height, block-counted to
8×8. Both then go through `tensor_from_8x8`, so training and inference cannot drift apart.
"""

from __future__ import annotations

import numpy as np
import torch
from PIL import Image
from scipy import ndimage
from skimage.filters import gaussian
from torch.nn import functional as F

from lineage.text import Text, message_of
from models.local.lenet5 import INPUT_SIZE

BOX, BLOCK = 32, 4  # the training digits' bitmap size and counting block (load_digits DESCR)
MARGIN = 4  # LeNet-5's input: the digit upsampled to 24×24, then a 4-pixel border to make 32×32
MIN_CONTRAST = 0.1  # ink must differ from the paper by a tenth of the full gray range
# Thinner strokes are thickened to this width in the 32×32 box, about the training digits' stroke
# (a 0 there has ~317 on-pixels around a ~85-pixel ring: ~3.7 px); a fine pen would vanish otherwise.
MIN_STROKE = 3.5
MAX_SIDE = 1024  # larger images are shrunk first: the digit ends up 32 pixels tall anyway
# What a digit looks like, measured (tests/unit/test_ux_digit_domain.py): its ink is one to three
# strokes, while a photo's "ink" (whatever stands out from the border) falls into 175 or more patches;
# its 8×8 counts fill 12-54 % of the box (scikit-learn's digits: 18-42 %), a solid blob nearly all.
MAX_INK_PIECES = 8
INK_FRACTION_RANGE = (0.05, 0.75)
BACKGROUND, FOREGROUND = -0.1, 1.175  # LeCun et al. 1998, Sec. II.B: input scaled so the mean is ~0


class DigitInputError(ValueError):
    """The image has no ink to read."""


def tensor_from_8x8(blocks: np.ndarray) -> torch.Tensor:
    """An 8×8 array of ink counts (0-16) as LeNet-5's (1, 32, 32) input: upsampled to 24×24,
    padded to 32×32 as the paper's 28×28-in-32×32 digits, scaled to [-0.1, 1.175]."""
    ink = torch.as_tensor(np.asarray(blocks, dtype=np.float32) / 16.0).view(1, 1, 8, 8)
    inner = INPUT_SIZE - 2 * MARGIN
    ink = F.interpolate(ink, size=(inner, inner), mode="bilinear", align_corners=False).clamp(0, 1)
    ink = F.pad(ink, (MARGIN,) * 4)
    return (BACKGROUND + ink * (FOREGROUND - BACKGROUND))[0]


def digits_dataset() -> tuple[torch.Tensor, torch.Tensor]:
    """scikit-learn's 1,797 digits as LeNet-5 inputs (N, 1, 32, 32) and labels (N,)."""
    from sklearn.datasets import load_digits

    digits = load_digits()
    return torch.stack([tensor_from_8x8(image) for image in digits.images]), torch.as_tensor(digits.target)


def ink_mask(image: Image.Image) -> np.ndarray:
    """Where the ink is, whatever the paper: the border is taken as paper (its lighting fitted as a
    plane, so a shaded photo is flat), ink is what stands out by at least half the strongest contrast."""
    small = image.convert("L")
    small.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.BOX)
    gray = np.asarray(small, dtype=np.float32) / 255.0
    rows, cols = np.indices(gray.shape)
    edge = np.zeros(gray.shape, dtype=bool)
    edge[[0, -1]], edge[:, [0, -1]] = True, True
    plane = np.stack([np.ones(edge.sum()), rows[edge], cols[edge]], axis=1)
    coefficients = np.linalg.lstsq(plane, gray[edge], rcond=None)[0]
    paper = coefficients[0] + coefficients[1] * rows + coefficients[2] * cols
    contrast = gaussian(gray - paper, sigma=1)  # smoothed, so single noisy pixels do not count as ink
    ink = paper - gray if -contrast.min() > contrast.max() else gray - paper  # ink: the stronger side
    strongest = max(-contrast.min(), contrast.max())
    if strongest < MIN_CONTRAST:
        raise DigitInputError(Text("No digit found: the image is blank or has almost no contrast."))
    return ink > strongest / 2


def _crop(mask: np.ndarray) -> np.ndarray:
    rows, cols = np.nonzero(mask)
    return mask[rows.min(): rows.max() + 1, cols.min(): cols.max() + 1]


def _thicken(crop: np.ndarray) -> np.ndarray:
    """The ink grown outwards until its strokes are MIN_STROKE wide once scaled to the 32×32 box."""
    padded = np.pad(crop, 1)
    stroke = 4 * ndimage.distance_transform_edt(padded)[padded].mean() - 2  # exact for a band of even width
    wanted = MIN_STROKE * max(crop.shape) / BOX
    if stroke >= wanted:
        return crop
    grow = (wanted - stroke) / 2
    return _crop(ndimage.distance_transform_edt(~np.pad(crop, int(grow) + 1)) <= grow)


def blocks_8x8(mask: np.ndarray) -> np.ndarray:
    """Crop to the ink, thicken a fine pen, scale it to fill the 32×32 box's height (or width, if
    wider than tall), centre it, then count on-pixels per 4×4 block, as for the training digits."""
    crop = _thicken(_crop(mask))
    height, width = crop.shape
    scale = BOX / max(height, width)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    resized = Image.fromarray(crop.astype(np.uint8) * 255).resize(size, Image.Resampling.BOX)
    box = np.zeros((BOX, BOX), dtype=np.float32)
    top, left = (BOX - size[1]) // 2, (BOX - size[0]) // 2
    box[top: top + size[1], left: left + size[0]] = np.asarray(resized) >= 128
    return box.reshape(BOX // BLOCK, BLOCK, BOX // BLOCK, BLOCK).sum(axis=(1, 3))


def preprocess_digit(image: Image.Image) -> torch.Tensor:
    """A user's digit image (any size, polarity, photo or drawing) as a (1, 1, 32, 32) batch."""
    return tensor_from_8x8(blocks_8x8(ink_mask(image))).unsqueeze(0)


def not_a_digit(image: Image.Image) -> str | None:
    """Why the image does not look like one digit LeNet-5 could read, or None when it does: too
    little contrast, ink in many separate pieces (a photo), or an 8×8 input nearly empty or full."""
    try:
        mask = ink_mask(image)
    except DigitInputError as error:
        return message_of(error)
    pieces = ndimage.label(mask)[1]
    if pieces > MAX_INK_PIECES:
        return Text("its ink falls into {pieces} separate pieces, where a digit is one to three strokes (it looks like "
                    "a photo, not a digit)", pieces=pieces)
    fraction = float(blocks_8x8(mask).sum()) / (BOX * BOX)
    low, high = INK_FRACTION_RANGE
    if not low <= fraction <= high:
        return Text("ink fills {fraction:.0%} of the 8×8 input, where digits fill {low:.0%}-{high:.0%}",
                    fraction=fraction, low=low, high=high)
    return None


def preview(tensor: torch.Tensor) -> Image.Image:
    """What LeNet-5 sees, as a small grayscale picture (ink dark on white)."""
    ink = ((tensor.reshape(32, 32) - BACKGROUND) / (FOREGROUND - BACKGROUND)).clamp(0, 1)
    return Image.fromarray(((1 - ink.numpy()) * 255).astype(np.uint8), "L").resize((128, 128), Image.Resampling.NEAREST)
