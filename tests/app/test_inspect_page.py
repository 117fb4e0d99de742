"""AppTest for the Inspect page: deep links, model switch, engine and unit toggles, bad input."""

import torchvision

from tests.app.helpers import all_text, run_page

PAGE = "pages/1_Inspect.py"


def metric(app, label_start: str) -> str:
    return next(m.value for m in app.metric if m.label.startswith(label_start))


def test_deep_link_shows_the_headline_figures():
    app = run_page(PAGE, model="resnet50")
    assert app.title[0].value == "ResNet-50"
    assert metric(app, "Parameters") == "25.6 M"
    assert metric(app, "Compute (GMACs)") == f"{torchvision.models.ResNet50_Weights.DEFAULT.meta['_ops']:.3g}" == "4.09"
    assert "v1.5" in all_text(app)  # the fidelity note
    assert app.query_params["model"] == "resnet50"


def test_node_link_opens_the_nodes_default_model():
    app = run_page(PAGE, node="vgg")
    assert app.title[0].value == "VGG-16"


def test_switching_model_and_unit():
    app = run_page(PAGE, model="alexnet")
    app.selectbox(key="inspect_model").select("squeezenet1_0").run()
    assert app.title[0].value == "SqueezeNet 1.0"
    assert metric(app, "Parameters") == "1.2 M"
    app.radio(key="inspect_unit").set_value("GFLOPs").run()
    assert metric(app, "Compute (GFLOPs)") == f"{2 * torchvision.models.SqueezeNet1_0_Weights.DEFAULT.meta['_ops']:.3g}"
    assert app.query_params["model"] == "squeezenet1_0"


def test_fvcore_engine_shows_its_counts():
    app = run_page(PAGE, model="resnet18")
    app.radio(key="inspect_engine").set_value("fvcore").run()
    assert "counted by **fvcore**" in all_text(app)


def test_parent_comparison_shows_the_edge_innovation():
    app = run_page(PAGE, model="resnet50")
    text = all_text(app)
    assert "VGG → ResNet" in text and "*residual*" in text


def test_unknown_model_in_the_url_is_a_clear_message():
    app = run_page(PAGE, model="resnet9000")
    assert any("Unknown model 'resnet9000'" in e.value for e in app.error)
    assert app.title[0].value == "ResNet-50"


def test_bad_input_size_is_a_clear_message_and_the_page_keeps_working():
    app = run_page(PAGE, model="vgg16")
    app.number_input(key="inspect_size_vgg16").set_value(16).run()
    assert any("cannot take 16×16 input" in e.value for e in app.error)
    app.number_input(key="inspect_size_vgg16").set_value(224).run()
    assert not app.error and metric(app, "Parameters") == "138.4 M"


def test_the_transformer_says_it_is_not_an_image_model():
    app = run_page(PAGE, model="transformer_base")
    assert any("not an image model" in w.value for w in app.warning)


def test_build_on_cpu_reports_latency():
    app = run_page(PAGE, model="lenet5")
    next(b for b in app.button if b.label.startswith("Build on")).click().run()
    assert metric(app, "Device") == "cpu"
    assert metric(app, "Forward (1 image)").endswith(" ms")


def test_the_weights_tab_lists_exactly_the_options_that_load():
    frame = run_page(PAGE, model="vgg16").dataframe[-1].value
    assert list(frame["weights"]) == ["IMAGENET1K_V1"]  # not IMAGENET1K_FEATURES: no classifier
    assert frame["metrics"][0] == "acc@1 71.59, acc@5 90.38"  # torchvision's published figures
    app = run_page(PAGE, model="nin")
    assert any("no published weights" in i.value for i in app.info)
