"""Decode a user's image safely: sizes checked before pixels are decoded, every common format and
mode turned into plain RGB, EXIF orientation applied, and every failure a one-sentence message."""

from __future__ import annotations

import base64
import io

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from lineage.text import Text

MAX_BYTES = 25 * 2**20
MAX_PIXELS = 40_000_000
FORMATS = ("JPEG", "PNG", "WEBP", "BMP", "GIF", "TIFF")  # the only Pillow parsers a user's bytes reach
FORMAT_NAMES = "JPEG, PNG, WebP, BMP, GIF or TIFF"


class ImageInputError(ValueError):
    """The file is not an image this app can read; the message says why, naming the file."""


def load_image(data: bytes, name: str = "image") -> Image.Image:
    """An RGB copy of the image in `data`, upright; raises ImageInputError for anything else."""
    check_size(len(data), name)
    try:
        image = Image.open(io.BytesIO(data), formats=FORMATS)  # parses the header, decodes no pixels
        width, height = image.size
        if width * height > MAX_PIXELS:
            raise ImageInputError(Text("{name} is {width}×{height} pixels; the limit is {limit:.0f} megapixels.",
                                       name=name, width=width, height=height, limit=MAX_PIXELS / 1e6))
        image.seek(0)  # GIF, WebP, TIFF: the first frame
        image.load()
        return _to_rgb(ImageOps.exif_transpose(image))
    except ImageInputError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ImageInputError(Text("{name} claims too many pixels to decode safely; the limit is {limit:.0f} megapixels.",
                                   name=name, limit=MAX_PIXELS / 1e6)) from error
    except UnidentifiedImageError as error:
        raise ImageInputError(Text("{name} is not an image in a format this app reads ({formats}).", name=name,
                                   formats=FORMAT_NAMES)) from error
    except Exception as error:  # a malformed file can make any Pillow plugin fail in its own way
        raise ImageInputError(Text("{name} is damaged or truncated and cannot be decoded.", name=name)) from error


def check_size(size: int, name: str = "image") -> None:
    """ImageInputError when a file of `size` bytes is empty or over MAX_BYTES (checked before reading it)."""
    if not size:
        raise ImageInputError(Text("{name} is empty (0 bytes).", name=name))
    if size > MAX_BYTES:
        raise ImageInputError(Text("{name} is {size:.1f} MB; the limit is {limit} MB.", name=name, size=size / 2**20,
                                   limit=MAX_BYTES // 2**20))


def image_from_data_url(url: object, name: str = "drawing") -> Image.Image:
    """An image a browser sent as a base64 `data:image/...` URL (e.g. a canvas's toDataURL), read
    by `load_image` like any upload; ImageInputError for anything else."""
    header, comma, payload = url.partition(",") if isinstance(url, str) else ("", "", "")
    if not (comma and header.startswith("data:image/") and header.endswith(";base64")):
        raise ImageInputError(Text("{name} did not arrive as an image (a base64 data:image/… URL).", name=name))
    if len(payload) > (MAX_BYTES + 2) // 3 * 4:  # longer than MAX_BYTES in base64: refused undecoded
        raise ImageInputError(Text("{name} is larger than the {limit} MB limit.", name=name, limit=MAX_BYTES // 2**20))
    try:
        data = base64.b64decode(payload, validate=True)
    except ValueError as error:  # binascii.Error, or a character outside ASCII
        raise ImageInputError(Text("{name} arrived damaged (its base64 data is invalid).", name=name)) from error
    return load_image(data, name)


def _to_rgb(image: Image.Image) -> Image.Image:
    """Any Pillow mode as 8-bit RGB: transparency over white, deep gray rescaled (not clipped) to 0-255."""
    if image.mode.startswith("I") or image.mode == "F":
        image = Image.fromarray(_gray_to_uint8(image), "L")
    if image.has_transparency_data:  # RGBA, LA, PA, or a palette/gray/RGB image with a tRNS colour
        rgba = image.convert("RGBA")
        return Image.alpha_composite(Image.new("RGBA", rgba.size, "white"), rgba).convert("RGB")
    return image.convert("RGB")


def _gray_to_uint8(image: Image.Image) -> np.ndarray:
    """16-bit modes span 0-65535; 32-bit integer and float have no fixed range, so their own is used."""
    pixels = np.asarray(image, dtype=np.float32)
    if image.mode.startswith("I;16"):
        low, high = 0.0, 65535.0
    else:
        finite = pixels[np.isfinite(pixels)]
        low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 0.0)
        if image.mode == "I" and low >= 0 and high <= 255:
            low, high = 0.0, 255.0  # 8-bit values kept in a 32-bit mode: already on the 0-255 scale
    if high <= low:  # a flat image: keep its value where it fits
        return np.full(pixels.shape, np.clip(low, 0, 255), dtype=np.uint8)
    pixels = np.clip(np.nan_to_num(pixels, nan=low), low, high)
    return ((pixels - low) / (high - low) * 255).round().astype(np.uint8)
