"""LeNet-5's shipped digits checkpoint: its recorded accuracy holds, and it reads digits made here."""

import json
from collections import Counter

import pytest
import torch
from PIL import Image, ImageOps

from models.digits import DigitInputError, preprocess_digit
from models.runtime import build_model
from models.train_lenet import accuracy, digits_split
from models.weights import SHIPPED_DIR
from tests.digit_samples import FONT_DIR, digit_set

RECORD = json.loads((SHIPPED_DIR / "lenet5_digits.json").read_text())


@pytest.fixture(scope="module")
def lenet():
    return build_model("lenet5", "cpu", "pretrained:digits").model


def test_held_out_accuracy_matches_the_record(lenet):
    _, _, x_test, y_test = digits_split(RECORD["seed"])
    measured = accuracy(lenet, x_test, y_test)
    assert measured == pytest.approx(RECORD["test_accuracy"], abs=0.005)
    assert measured >= 0.95


@pytest.mark.skipif(not FONT_DIR.exists(), reason="DejaVu fonts are installed by tests/run.sh")
def test_reads_digits_made_here(lenet):
    correct, total = Counter(), Counter()
    for group, label, image in digit_set(seed=1):
        correct[group] += int(lenet(preprocess_digit(image)).argmax()) == label
        total[group] += 1
    overall = sum(correct.values()) / sum(total.values())
    # Measured 84.5% (bench/digits_accuracy.py): below the 90% aim, because DejaVu's "1" (flag and
    # base) and "7" (no crossbar) differ from the training set's handwriting. A regression guard:
    assert overall >= 0.80, {g: f"{correct[g]}/{total[g]}" for g in total}
    assert correct["mouse-drawn"] / total["mouse-drawn"] >= 0.85


def test_polarity_does_not_matter():
    image = next(img for group, _, img in digit_set(seed=2) if group == "mouse-drawn")
    inverted = ImageOps.invert(image.convert("L"))
    assert torch.allclose(preprocess_digit(image), preprocess_digit(inverted), atol=1e-4)
    assert preprocess_digit(image).shape == (1, 1, 32, 32)


def test_a_blank_image_is_a_clear_error():
    with pytest.raises(DigitInputError, match="No digit"):
        preprocess_digit(Image.new("L", (64, 64), 255))
