"""LeNet-5's out-of-domain check."""

import pytest
from PIL import Image

from models.prediction.digits import not_a_digit
from models.prediction.samples import SAMPLES, sample_digit, sample_image
from tests import digit_samples

@pytest.mark.parametrize("name", list(SAMPLES))
def test_the_sample_photos_are_not_digits(name):
    assert not_a_digit(sample_image(name)) is not None

def test_digits_in_other_fonts_drawn_and_photographed_are_digits():
    rejected = [(group, label) for group, label, image in digit_samples.digit_set(0) if not_a_digit(image)]
    assert rejected == []
    assert not_a_digit(sample_digit(3)) is None

def test_a_solid_blob_is_not_a_digit():
    image = Image.new("L", (100, 100), 255)
    image.paste(0, (5, 5, 95, 95))
    assert "ink fills" in not_a_digit(image)

def test_a_blank_page_is_not_a_digit():
    assert "No digit found" in not_a_digit(Image.new("L", (50, 50), 255))
