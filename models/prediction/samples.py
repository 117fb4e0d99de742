"""Sample images one click away, from data that ships inside packages (no download needed):
scikit-image's photos, and scikit-learn's handwritten digits for LeNet-5."""

from __future__ import annotations

import functools
import json

import numpy as np
from PIL import Image

from models.prediction.digits import preview
from models.local import SHIPPED_DIR

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
    """A real handwritten `digit` from scikit-learn's set, taken from the held-out split the shipped
    LeNet-5 never trained on, drawn as LeNet-5 sees it (dark ink on white, 128×128 RGB)."""
    inputs, labels = _held_out_digits()
    return preview(inputs[int(np.flatnonzero(labels == digit)[0])]).convert("RGB")


@functools.lru_cache(maxsize=1)
def _held_out_digits() -> tuple:
    from models.train_lenet import digits_split

    seed = json.loads((SHIPPED_DIR / "lenet5_digits.json").read_text())["seed"]
    _, _, inputs, labels = digits_split(seed)
    return inputs, labels.numpy()
