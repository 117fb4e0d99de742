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


class ArrowFallbacks:
    """Streamlit's log lines when a dataframe could not go to Arrow as it was (a traceback each)."""

    def __init__(self):
        import logging

        self.records = []
        self.handler = logging.Handler()
        self.handler.emit = self.records.append
        self.logger = logging.getLogger("streamlit.dataframe_util")

    def __enter__(self):
        self.logger.addHandler(self.handler)
        return self.records

    def __exit__(self, *exc):
        self.logger.removeHandler(self.handler)


def test_inspect_logs_no_arrow_conversion_tracebacks():
    with ArrowFallbacks() as records:
        run_page(PAGE, model="resnet50")
    assert [r.getMessage() for r in records] == []


def test_parents_are_counted_like_for_like():
    app = run_page(PAGE, model="resnet50")
    app.number_input(key="inspect_size_resnet50").set_value(448).run()
    table = next(d.value for d in app.dataframe if "VGG-16" in d.value.columns)
    assert list(table.columns) == ["", "VGG-16", "VGG-16 at 448×448", "ResNet-50"]
    rows = dict(zip(table[""], zip(table["VGG-16 at 448×448"], table["ResNet-50"])))
    assert rows["input"] == ("1×3×448×448 image", "1×3×448×448 image")
    assert rows["counted by"] == ("torch", "torch")
    # VGG-16 at 448 px: 4× its 15.47 GMACs at 224 px for the convolutions, more than ResNet-50's 4× 4.09
    assert float(rows["GMACs"][0].split()[0]) > float(rows["GMACs"][1].split()[0]) > 16


def test_model_and_node_links_ignore_case():
    app = run_page(PAGE, model="ResNet50")
    assert not app.error and app.title[0].value == "ResNet-50" and app.query_params["model"] == "resnet50"
    app = run_page(PAGE, node="VGG")
    assert not app.error and app.title[0].value == "VGG-16"


def test_lenet5_headline_uses_small_units():
    app = run_page(PAGE, model="lenet5")
    assert next(m.value for m in app.metric if m.label == "Compute (MMACs)") == "0.327"
    assert next(m.value for m in app.metric if m.label == "Activations").endswith("KiB")
    assert next(m.value for m in app.metric if m.label == "Weight layers") == "5"


def test_fvcore_is_refused_before_a_forward_that_would_not_fit_in_memory(monkeypatch):
    from models import runtime

    monkeypatch.setattr(runtime, "available_ram", lambda: 2**30)  # a machine with 1 GiB free
    app = run_page(PAGE, model="resnet50")
    app.number_input(key="inspect_size_resnet50").set_value(2048).run()
    app.radio(key="inspect_engine").set_value("fvcore").run()
    assert not app.exception
    (error,) = [e.value for e in app.error]
    assert "real forward pass on the CPU" in error and "1.0 GiB free" in error


def test_fvcore_warns_before_a_heavy_forward(monkeypatch):
    from models import runtime
    from models.analysis import forward_memory_estimate

    needed = forward_memory_estimate("resnet18", 224)
    monkeypatch.setattr(runtime, "available_ram", lambda: 2 * needed)  # fits, but takes half the memory
    app = run_page(PAGE, model="resnet18")
    app.radio(key="inspect_engine").set_value("fvcore").run()
    assert any("fvcore's forward pass of ResNet-18" in w.value for w in app.warning) and not app.error


def test_a_tiny_input_size_gets_a_warning_and_the_input_metric_fits():
    app = run_page(PAGE, model="resnet50")
    app.number_input(key="inspect_size_resnet50").set_value(1).run()
    assert any("1×1 is far below the 224×224" in w.value for w in app.warning)
    assert next(m.value for m in app.metric if m.label == "Input") == "1 px"


def test_building_the_transformer_times_a_sequence():
    app = run_page(PAGE, model="transformer_base", timeout=180)
    app.button[-1].click().run()
    assert next(m.value for m in app.metric if m.label == "Forward (1 sequence)").endswith(" ms")
