"""AppTest for the Inspect page's walkthrough fixes: a literal layer filter, case-insensitive links,
no Arrow conversion warnings, honest small-model units."""

import pytest

from tests.app.helpers import run_page

PAGE = "pages/1_Inspect.py"


@pytest.mark.parametrize("needle", ["[", "(", "layer4.*conv"])
def test_layer_filter_takes_regex_characters_literally(needle):
    app = run_page(PAGE, model="resnet50")
    app.text_input(key="layer_filter").set_value(needle).run()
    assert not app.exception
    shown = app.dataframe[0].value
    assert len(shown) == 0  # no ResNet-50 layer is named with a bracket or ".*"


def test_layer_filter_dot_is_a_dot_not_any_character():
    app = run_page(PAGE, model="resnet50")
    app.text_input(key="layer_filter").set_value("layer4.0.conv").run()
    names = list(app.dataframe[0].value["layer"])
    assert names == ["layer4.0.conv1", "layer4.0.conv2", "layer4.0.conv3"]


def test_uncounted_ops_have_human_names_and_the_engine_difference_is_explained():
    from tests.app.helpers import all_text

    text = all_text(run_page(PAGE, model="resnet50"))
    assert "in-place add" in text and "batch norm" in text and "native_batch_norm" not in text
    assert "torch's FlopCounterMode counts convolutions and matrix products only" in text
