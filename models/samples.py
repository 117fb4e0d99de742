"""Sample photos one click away, from scikit-image's bundled data (no download needed)."""

from __future__ import annotations

import numpy as np
from PIL import Image

SAMPLES = {
    "chelsea": "Chelsea the cat (scikit-image)",
    "coffee": "a cup of coffee (scikit-image)",
    "rocket": "a rocket on the launch pad (scikit-image)",
    "astronaut": "astronaut Eileen Collins (scikit-image)",
}


def sample_image(name: str) -> Image.Image:
    """One of SAMPLES as an RGB image."""
    if name not in SAMPLES:
        raise KeyError(f"Unknown sample '{name}'; choose one of {', '.join(SAMPLES)}.")
    from skimage import data

    return Image.fromarray(np.asarray(getattr(data, name)())).convert("RGB")


def sample_digit(digit: int = 3) -> Image.Image:
    """A digit from scikit-learn's bundled set, enlarged to 128×128 (ink dark on white)."""
    from sklearn.datasets import load_digits

    digits = load_digits()
    index = int(np.flatnonzero(digits.target == digit)[-1])
    ink = digits.images[index] / 16.0
    return Image.fromarray(((1 - ink) * 255).astype(np.uint8), "L").resize((128, 128), Image.Resampling.NEAREST)
