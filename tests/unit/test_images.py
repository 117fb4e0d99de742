"""Safe image decoding: every format and mode, EXIF, and every kind of bad file."""

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

from models.images import MAX_BYTES, ImageInputError, load_image


def encode(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


GRADIENT = Image.fromarray(np.tile(np.arange(256, dtype=np.uint8), (32, 1)))


UNWRITABLE = {("JPEG", "RGBA"), ("JPEG", "P"), ("JPEG", "LA"), ("BMP", "CMYK"), ("BMP", "LA"), ("BMP", "RGBA"),
              ("GIF", "CMYK"), ("GIF", "LA"), ("WEBP", "CMYK"), ("WEBP", "P"), ("WEBP", "1"), ("WEBP", "LA"),
              ("PNG", "CMYK")}  # combinations Pillow itself cannot write
CASES = [(f, m) for f in ("JPEG", "PNG", "WEBP", "BMP", "GIF", "TIFF")
         for m in ("L", "RGB", "RGBA", "P", "1", "CMYK", "LA") if (f, m) not in UNWRITABLE]


@pytest.mark.parametrize("fmt, mode", CASES)
def test_formats_and_modes_come_back_as_rgb(fmt, mode):
    image = GRADIENT.convert(mode)
    loaded = load_image(encode(image, fmt), f"x.{fmt.lower()}")
    assert loaded.mode == "RGB" and loaded.size == image.size


def test_rgba_transparency_goes_on_white():
    clear = Image.new("RGBA", (8, 8), (255, 0, 0, 0))
    assert load_image(encode(clear, "PNG")).getpixel((0, 0)) == (255, 255, 255)


def test_sixteen_bit_keeps_its_contrast():
    deep = Image.fromarray(np.tile(np.linspace(0, 65535, 64).astype(np.uint16), (8, 1)))
    loaded = np.asarray(load_image(encode(deep, "PNG")))[..., 0]
    assert loaded.min() == 0 and loaded.max() == 255


def test_exif_orientation_is_applied():
    image = Image.new("RGB", (40, 20), "red")
    exif = image.getexif()
    exif[0x0112] = 6  # rotate 90° clockwise on display
    assert load_image(encode(image, "JPEG", exif=exif)).size == (20, 40)


def test_gif_gives_its_first_frame():
    frames = [Image.new("RGB", (10, 10), c) for c in ("red", "blue")]
    data = io.BytesIO()
    frames[0].save(data, "GIF", save_all=True, append_images=frames[1:])
    assert load_image(data.getvalue()).getpixel((5, 5))[0] > 200


@pytest.mark.parametrize("data, message", [
    (b"", "empty"),
    (b"hello, I am a text file", "not an image"),
    (encode(GRADIENT.convert("RGB"), "JPEG")[:300], "damaged or truncated"),
])
def test_bad_files_get_a_clear_message(data, message):
    with pytest.raises(ImageInputError, match=message):
        load_image(data, "upload.png")


def test_oversized_bytes_are_refused_before_decoding():
    with pytest.raises(ImageInputError, match="limit"):
        load_image(b"\0" * (MAX_BYTES + 1), "huge.png")


def bomb_png(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims width×height pixels (decompression bomb)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


@pytest.mark.parametrize("width, height", [(10_000, 5_000), (30_000, 30_000)])
def test_decompression_bomb_is_refused_before_decoding(width, height):
    with pytest.raises(ImageInputError, match="pixels"):
        load_image(bomb_png(width, height), "bomb.png")
