"""LeNet-5's out-of-domain check and its probability chart's axis."""

import numpy as np
import pytest
from PIL import Image

from models.prediction.digits import not_a_digit
from models.prediction.inference import Prediction, TopClass
from models.prediction.samples import SAMPLES, sample_digit, sample_image
from tests import digit_samples
from ui.predict_views import topk_chart

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

def test_the_digit_chart_labels_all_ten_digits():
    top = tuple(TopClass(i, str(i), p) for i, p in enumerate(np.linspace(0.5, 0.01, 10)))
    figure = topk_chart(Prediction("x", top, "w", True, "cpu", 0.0))
    assert figure.layout.yaxis.type == "category"
    assert sorted(figure.data[0].y) == [str(i) for i in range(10)]
