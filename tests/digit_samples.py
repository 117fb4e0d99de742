"""Digit images made here, not taken from the training set: printed in several fonts, drawn as
mouse strokes, and photographed-looking. Deterministic for a seed; used by tests and bench/."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONTS = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf",
         "DejaVuSansMono.ttf", "DejaVuSans-Oblique.ttf")
OTHER_FONTS = ("DejaVuSansMono-Bold.ttf", "DejaVuSerif-Italic.ttf", "DejaVuSans-BoldOblique.ttf",
               "DejaVuSansCondensed.ttf", "DejaVuSerifCondensed-Bold.ttf")
# Strokes on a 10×14 grid, the way one draws each digit with a mouse (one list per stroke).
STROKES = {
    0: [[(5, 1), (2, 3), (1, 7), (2, 11), (5, 13), (8, 11), (9, 7), (8, 3), (5, 1)]],
    1: [[(3, 3), (6, 1), (6, 13)]],
    2: [[(1, 4), (3, 1), (7, 1), (9, 4), (7, 7), (1, 13), (9, 13)]],
    3: [[(1, 2), (5, 1), (8, 3), (5, 6), (8, 9), (7, 12), (4, 13), (1, 12)]],
    4: [[(7, 13), (7, 1), (1, 9), (9, 9)]],
    5: [[(8, 1), (2, 1), (1, 6), (5, 5), (8, 8), (7, 12), (4, 13), (1, 12)]],
    6: [[(8, 2), (5, 1), (2, 4), (1, 9), (3, 13), (7, 13), (9, 10), (7, 7), (3, 7), (1, 9)]],
    7: [[(1, 1), (9, 1), (4, 13)]],
    8: [[(5, 7), (2, 4), (5, 1), (8, 4), (5, 7), (1, 10), (5, 13), (9, 10), (5, 7)]],
    9: [[(8, 5), (5, 8), (2, 5), (5, 1), (8, 3), (8, 8), (6, 13)]],
}


def printed(digit: int, font: str, rng: random.Random, dark_ink: bool = True) -> Image.Image:
    """A digit printed in `font` at a random size and off-centre position."""
    size = rng.randint(40, 200)
    canvas = Image.new("L", (rng.randint(220, 320), rng.randint(220, 320)), 255 if dark_ink else 0)
    typeface = ImageFont.truetype(str(FONT_DIR / font), size)
    left, top, right, bottom = ImageDraw.Draw(canvas).textbbox((0, 0), str(digit), font=typeface)
    x = rng.randint(5, max(6, canvas.width - (right - left) - 5)) - left
    y = rng.randint(5, max(6, canvas.height - (bottom - top) - 5)) - top
    ImageDraw.Draw(canvas).text((x, y), str(digit), fill=0 if dark_ink else 255, font=typeface)
    return canvas


def drawn(digit: int, rng: random.Random, dark_ink: bool = True) -> Image.Image:
    """A digit drawn as polylines, fine pen to thick, with hand jitter, as with a mouse on a canvas."""
    canvas = Image.new("L", (280, 280), 255 if dark_ink else 0)
    scale, dx, dy = rng.uniform(12, 17), rng.uniform(20, 110), rng.uniform(10, 50)
    pen = ImageDraw.Draw(canvas)
    for stroke in STROKES[digit]:
        points = [(dx + (x + rng.uniform(-0.3, 0.3)) * scale, dy + (y + rng.uniform(-0.3, 0.3)) * scale)
                  for x, y in stroke]
        pen.line(points, fill=0 if dark_ink else 255, width=rng.randint(3, 24), joint="curve")
    return canvas


def photographed(image: Image.Image, rng: random.Random) -> Image.Image:
    """The same digit as a phone photo of paper: uneven light, grey paper, blur and sensor noise."""
    gray = np.asarray(image, dtype=np.float32)
    height, width = gray.shape
    light = np.linspace(rng.uniform(0.75, 0.9), rng.uniform(0.95, 1.0), width)[None, :]
    paper = 60 + gray * 0.7 * light
    noise = np.random.default_rng(rng.randint(0, 2**31)).normal(0, 6, gray.shape)
    photo = Image.fromarray(np.clip(paper + noise, 0, 255).astype(np.uint8))
    return photo.filter(ImageFilter.GaussianBlur(rng.uniform(0.8, 1.8))).convert("RGB")


def digit_set(seed: int) -> list[tuple[str, int, Image.Image]]:
    """(group, label, image), 13 per digit: six fonts dark on white, two other fonts light on dark,
    three mouse drawings (either polarity), a photo of print and a photo of a drawing."""
    rng = random.Random(seed)
    samples = []
    for digit in range(10):
        for font in FONTS:
            samples.append(("printed", digit, printed(digit, font, rng)))
        for font in rng.sample(OTHER_FONTS, 2):
            samples.append(("printed, light on dark", digit, printed(digit, font, rng, dark_ink=False)))
        for _ in range(3):
            samples.append(("mouse-drawn", digit, drawn(digit, rng, dark_ink=rng.random() < 0.5)))
        samples.append(("photo", digit, photographed(printed(digit, rng.choice(FONTS), rng), rng)))
        samples.append(("photo", digit, photographed(drawn(digit, rng), rng)))
    return samples
