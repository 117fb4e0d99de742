"""AppTest for the Predict page: deep link, sample image, weights banner, bad uploads, digits."""

import io

from PIL import Image

from tests.app.helpers import all_text, run_page

PAGE = "pages/2_Predict.py"


def test_deep_link_and_untrained_banner_offline(monkeypatch):
    monkeypatch.setenv("TORCH_HOME", "/nonexistent-cache")
    app = run_page(PAGE, model="resnet18")
    assert app.title[0].value == "Predict with ResNet-18"
    app.button(key="sample_chelsea").click().run()
    text = all_text(app)
    assert "UNTRAINED" in text and "offline" in text
    assert "top-1:" in text
    assert app.query_params["model"] == "resnet18"


def test_untrained_choice_says_so():
    app = run_page(PAGE, model="mobilenet_v3_small")
    app.radio(key="predict_weights_mobilenet_v3_small").set_value("untrained").run()
    assert any("UNTRAINED" in e.value for e in app.error)


def test_digit_tab_reads_a_sample_digit_with_the_shipped_weights():
    app = run_page(PAGE, model="lenet5")
    app.button(key="digit_sample").click().run()
    text = all_text(app)
    assert "It reads **3**" in text
    assert "shipped with the app" in text


def test_unknown_model_link_is_a_clear_message():
    app = run_page(PAGE, model="nope")
    assert any("Unknown model 'nope'" in e.value for e in app.error)
