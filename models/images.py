"""Decode a user's image safely: sizes checked before pixels are decoded, every common format and
mode turned into plain RGB, EXIF orientation applied, and every failure a one-sentence message."""

from __future__ import annotations

import io
import warnings

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 25 * 2**20
MAX_PIXELS = 40_000_000
FORMATS = ("JPEG", "PNG", "WEBP", "BMP", "GIF", "TIFF", "MPO")


class ImageInputError(ValueError):
    """The file is not an image this app can read; the message says why, naming the file."""


def load_image(data: bytes, name: str = "image") -> Image.Image:
    """An RGB copy of the image in `data`, upright; raises ImageInputError for anything else."""
    if not data:
        raise ImageInputError(f"{name} is empty (0 bytes).")
    if len(data) > MAX_BYTES:
        raise ImageInputError(f"{name} is {len(data) / 2**20:.0f} MB; the limit is {MAX_BYTES // 2**20} MB.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))  # reads the header only
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ImageInputError(f"{name} is {width}×{height} pixels; the limit is "
                                      f"{MAX_PIXELS / 1e6:.0f} megapixels.")
            if image.format not in FORMATS:
                raise ImageInputError(f"{name} is a {image.format} file; use JPEG, PNG, WebP, BMP, GIF or TIFF.")
            image.seek(0)  # GIF/TIFF: the first frame
            image.load()
            return to_rgb(ImageOps.exif_transpose(image))
    except ImageInputError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ImageInputError(f"{name} claims too many pixels to decode safely.") from error
    except UnidentifiedImageError as error:
        raise ImageInputError(f"{name} is not an image (or not a format this app reads).") from error
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise ImageInputError(f"{name} is damaged or truncated and cannot be decoded ({error}).") from error


def to_rgb(image: Image.Image) -> Image.Image:
    """Any Pillow mode as 8-bit RGB: transparency over white, 16-bit and float gray rescaled to 0-255."""
    if image.mode.startswith("I"):  # 16-bit (or 32-bit integer) gray: map the 16-bit range to 8 bits
        pixels = np.asarray(image, dtype=np.float64)
        full_scale = 65535.0 if pixels.max() > 255 else 255.0
        image = Image.fromarray(np.clip(pixels / full_scale * 255, 0, 255).round().astype(np.uint8), "L")
    elif image.mode == "F":  # floating point has no fixed range: stretch what is there
        pixels = np.asarray(image, dtype=np.float64)
        low, high = float(pixels.min()), float(pixels.max())
        scaled = (pixels - low) / (high - low) * 255 if high > low else np.zeros_like(pixels)
        image = Image.fromarray(scaled.round().astype(np.uint8), "L")
    if image.mode == "P":
        image = image.convert("RGBA")
    if image.mode in ("RGBA", "LA", "PA"):
        background = Image.new("RGBA", image.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, image.convert("RGBA")).convert("RGB")
    return image.convert("RGB")
