"""Safe image decoding: every format and mode, EXIF, and every kind of bad file."""

import base64
import io
import random
import struct
import zlib

import numpy as np
import pytest
from PIL import Image, ImageFile

import models.prediction.images
from models.prediction.images import MAX_BYTES, ImageInputError, image_from_data_url, load_image

RAMP = np.tile(np.arange(256, dtype=np.uint8), (32, 1))  # a horizontal 0-255 gray gradient


def encode(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def ramp_in(mode: str) -> Image.Image:
    """The gradient in `mode`; 16-bit spans the whole 0-65535 range."""
    if mode == "I;16":
        return Image.fromarray(RAMP.astype(np.uint16) * 257)
    return Image.fromarray(RAMP).convert(mode)


# The modes each format stores natively (what Pillow writes and reads back as that mode).
NATIVE_MODES = {
    "JPEG": ("L", "RGB", "CMYK"),
    "PNG": ("1", "L", "LA", "P", "RGB", "RGBA", "I;16"),
    "WEBP": ("L", "RGB", "RGBA"),
    "BMP": ("1", "L", "P", "RGB"),
    "GIF": ("1", "L", "P", "RGB"),
    "TIFF": ("1", "L", "LA", "P", "RGB", "RGBA", "CMYK", "I;16", "I", "F", "YCbCr", "LAB"),
}
CASES = [(fmt, mode) for fmt, modes in NATIVE_MODES.items() for mode in modes]


@pytest.mark.parametrize("fmt, mode", CASES)
def test_every_format_and_mode_comes_back_as_the_same_rgb_picture(fmt, mode):
    loaded = load_image(encode(ramp_in(mode), fmt), f"ramp.{fmt.lower()}")
    assert loaded.mode == "RGB" and loaded.size == (256, 32)
    gray = np.asarray(loaded.convert("L"), dtype=float)
    if mode == "1":  # dithered: only the average brightness survives
        assert abs(gray.mean() - RAMP.mean()) < 10
    else:
        assert np.abs(gray - RAMP).mean() < 3


def test_the_cases_cover_every_mode_a_file_can_decode_to():
    decoded = {Image.open(io.BytesIO(encode(ramp_in(mode), fmt))).mode for fmt, mode in CASES}
    assert decoded >= {"1", "L", "LA", "P", "RGB", "RGBA", "CMYK", "I;16", "I", "F"}


def semi_transparent(mode: str) -> Image.Image:
    rgba = Image.new("RGBA", (8, 8), (255, 0, 0, 0))  # fully transparent red...
    rgba.paste((0, 0, 255, 255), (0, 0, 4, 8))  # ...beside opaque blue
    return rgba.convert(mode) if mode != "P" else rgba.convert("P", palette=Image.Palette.ADAPTIVE)


@pytest.mark.parametrize("fmt, mode", [("PNG", "RGBA"), ("WEBP", "RGBA"), ("TIFF", "RGBA"), ("PNG", "LA")])
def test_transparency_goes_on_white(fmt, mode):
    loaded = load_image(encode(semi_transparent(mode), fmt, **({"lossless": True} if fmt == "WEBP" else {})))
    assert loaded.getpixel((6, 4)) == (255, 255, 255)
    assert loaded.getpixel((1, 4)) == ((0, 0, 255) if mode == "RGBA" else (29, 29, 29))  # LA: blue's gray


@pytest.mark.parametrize("fmt", ["PNG", "GIF"])
def test_a_palette_image_with_a_transparent_colour_goes_on_white(fmt):
    palette = Image.new("P", (8, 8), 0)
    palette.putpalette([255, 0, 0, 0, 0, 255] + [0] * 762)
    palette.paste(1, (0, 0, 4, 8))
    loaded = load_image(encode(palette, fmt, transparency=0))
    assert loaded.getpixel((6, 4)) == (255, 255, 255) and loaded.getpixel((1, 4)) == (0, 0, 255)


@pytest.mark.parametrize("fmt", ["PNG", "TIFF"])
def test_sixteen_bit_keeps_its_contrast(fmt):
    deep = Image.fromarray(np.tile(np.linspace(0, 65535, 1024).astype(np.uint16), (8, 1)))
    gray = np.asarray(load_image(encode(deep, fmt)))[..., 0].astype(int)
    assert gray.min() == 0 and gray.max() == 255  # the full range, not clipped to white
    assert abs(gray[0, 512] - 128) <= 1 and (np.diff(gray[0]) >= 0).all()  # linear: mid-gray in the middle


def test_float_and_32_bit_images_are_rescaled_not_clipped():
    unit = Image.fromarray(np.tile(np.linspace(0, 1, 256, dtype=np.float32), (4, 1)))  # floats in 0..1
    wide = Image.fromarray(np.tile(np.linspace(-1000, 1_000_000, 256).astype(np.int32), (4, 1)))
    for image in (unit, wide):
        gray = np.asarray(load_image(encode(image, "TIFF")))[..., 0]
        assert gray.min() == 0 and gray.max() == 255 and 100 < gray[0, 128] < 155


def test_cmyk_jpeg_keeps_its_colours():
    red = Image.new("CMYK", (16, 16), (0, 255, 255, 0))
    r, g, b = load_image(encode(red, "JPEG", quality=95)).getpixel((8, 8))
    assert r > 240 and g < 15 and b < 15


@pytest.mark.parametrize("orientation, red_side", [(6, "top"), (8, "bottom"), (3, "right")])
def test_exif_orientation_is_applied(orientation, red_side):
    stored = Image.new("RGB", (40, 20), "blue")
    stored.paste((255, 0, 0), (0, 0, 20, 20))  # left half red
    exif = stored.getexif()
    exif[0x0112] = orientation
    shown = load_image(encode(stored, "JPEG", exif=exif, quality=95))
    assert shown.size == ((40, 20) if orientation == 3 else (20, 40))
    width, height = shown.size
    probe = {"top": (width // 2, 2), "bottom": (width // 2, height - 3), "right": (width - 3, height // 2)}
    assert shown.getpixel(probe[red_side])[0] > 200


def test_gif_gives_its_first_frame():
    frames = [Image.new("RGB", (10, 10), colour) for colour in ("red", "blue")]
    data = io.BytesIO()
    frames[0].save(data, "GIF", save_all=True, append_images=frames[1:])
    assert load_image(data.getvalue()).getpixel((5, 5)) == (255, 0, 0)


def test_the_message_names_the_file():
    with pytest.raises(ImageInputError, match=r"^holiday\.jpg is empty"):
        load_image(b"", "holiday.jpg")


JPEG = encode(Image.fromarray(RAMP).convert("RGB"), "JPEG")
PNG = encode(Image.fromarray(RAMP).convert("RGB"), "PNG")


@pytest.mark.parametrize("data, message", [
    (b"", "is empty"),
    (b"hello, I am a text file", "is not an image"),
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 40, "is not an image"),  # a PNG signature and nothing valid after it
    (JPEG[: len(JPEG) // 2], "is damaged or truncated"),
    (PNG[: len(PNG) // 2], "is damaged or truncated"),
    (encode(Image.new("RGB", (16, 16)), "ICO"), "is not an image in a format this app reads"),
    (encode(Image.new("RGB", (16, 16)), "PPM"), "is not an image in a format this app reads"),
])
def test_bad_files_get_a_clear_message(data, message):
    with pytest.raises(ImageInputError, match=f"^upload.png {message}"):
        load_image(data, "upload.png")


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "BMP", "GIF", "TIFF"])
@pytest.mark.filterwarnings("ignore:Truncated File Read")  # Pillow's TIFF reader says so before failing
def test_corrupted_bytes_never_let_a_pillow_error_escape(fmt):
    original = encode(Image.fromarray(RAMP).convert("RGB"), fmt)
    rng = random.Random(fmt)
    for _ in range(40):
        data = bytearray(original[: rng.randrange(1, len(original) + 1)])
        for _ in range(rng.randrange(1, 6)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        try:
            assert load_image(bytes(data)).mode == "RGB"
        except ImageInputError:
            pass


@pytest.fixture
def decoded(monkeypatch):
    """Records every pixel decode, to prove a refusal came before one."""
    calls = []
    real_load = ImageFile.ImageFile.load
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda self: calls.append(self) or real_load(self))
    return calls


def test_oversized_bytes_are_refused_before_opening(monkeypatch):
    monkeypatch.setattr(Image, "open", lambda *args, **kwargs: pytest.fail("opened an oversized file"))
    with pytest.raises(ImageInputError, match=r"^huge\.png is 25\.0 MB; the limit is 25 MB"):
        load_image(b"\0" * (MAX_BYTES + 1), "huge.png")


def png_claiming(width: int, height: int) -> bytes:
    """A tiny 1-bit PNG whose header claims width×height pixels (a decompression bomb)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def jpeg_claiming(width: int, height: int) -> bytes:
    """A small JPEG with its frame header (SOF0) patched to claim width×height."""
    data = bytearray(encode(Image.new("L", (8, 8)), "JPEG"))
    sof = data.index(b"\xff\xc0")
    data[sof + 5: sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def bmp_claiming(width: int, height: int) -> bytes:
    data = bytearray(encode(Image.new("1", (8, 8)), "BMP"))
    data[18:26] = struct.pack("<ii", width, height)
    return bytes(data)


def gif_claiming(width: int, height: int) -> bytes:
    data = bytearray(encode(Image.new("L", (8, 8)), "GIF"))
    data[6:10] = struct.pack("<HH", width, height)  # the logical screen
    return bytes(data)


@pytest.mark.parametrize("make", [png_claiming, jpeg_claiming, bmp_claiming, gif_claiming])
@pytest.mark.parametrize("width, height", [(10_000, 5_000), (12_000, 10_000), (60_000, 60_000)])
@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")  # Pillow's own, above 89 MP
def test_decompression_bomb_is_refused_before_decoding(make, width, height, decoded):
    data = make(width, height)
    assert len(data) < 2000
    with pytest.raises(ImageInputError, match=r"^bomb\.img .*pixels"):
        load_image(data, "bomb.img")
    assert decoded == []


def test_the_pixel_limit_is_exact(monkeypatch):
    monkeypatch.setattr(models.prediction.images, "MAX_PIXELS", 100)
    assert load_image(encode(Image.new("L", (10, 10)), "PNG")).size == (10, 10)
    with pytest.raises(ImageInputError, match="11×10 pixels"):
        load_image(encode(Image.new("L", (11, 10)), "PNG"))


def data_url(data: bytes, kind: str = "image/png") -> str:
    """What a browser's canvas.toDataURL gives."""
    return f"data:{kind};base64,{base64.b64encode(data).decode()}"


def test_a_data_url_is_read_like_an_upload():
    image = image_from_data_url(data_url(PNG), "your drawing")
    assert image.mode == "RGB" and np.array_equal(np.asarray(image)[..., 0], RAMP)


@pytest.mark.parametrize("url, message", [
    (None, "did not arrive as an image"),
    ({"drawing": "x"}, "did not arrive as an image"),
    ("", "did not arrive as an image"),
    ("data:text/plain;base64,aGVsbG8=", "did not arrive as an image"),
    ("data:image/png,not-base64", "did not arrive as an image"),
    ("data:image/png;base64,not base64!", r"arrived damaged \(its base64 data is invalid\)"),
    ("data:image/png;base64,iVBORw0K…", "arrived damaged"),
    (data_url(b""), "is empty"),
    (data_url(b"hello, I am a text file"), "is not an image"),
    (data_url(PNG[: len(PNG) // 2]), "is damaged or truncated"),
])
def test_a_bad_data_url_gets_a_clear_message(url, message):
    with pytest.raises(ImageInputError, match=f"^your drawing {message}"):
        image_from_data_url(url, "your drawing")


def test_a_data_url_over_the_size_limit_is_refused_before_decoding(monkeypatch):
    limit = data_url(b"\0" * MAX_BYTES)
    with pytest.raises(ImageInputError, match="is not an image"):  # exactly the limit: on to load_image
        image_from_data_url(limit)
    monkeypatch.setattr(base64, "b64decode", lambda *args, **kwargs: pytest.fail("decoded an oversized data URL"))
    with pytest.raises(ImageInputError, match=r"^drawing is larger than the 25 MB limit"):
        image_from_data_url(limit + "AAAA")
