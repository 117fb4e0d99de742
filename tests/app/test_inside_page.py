"""AppTest for the Inside page: deep links to a layer, the untrained banner, the channel grid and
the enlarged channel, LeNet-5's maps for a sample digit with the digits that excite a channel."""

from models.inside.stages import layers_of
from tests.app.helpers import all_text, run_page

PAGE = "pages/5_Inside.py"


def captions(app) -> list[str]:
    return [str(c.value) for c in app.caption]


def image_captions(app) -> list[str]:
    return [picture.caption for element in app.get("image") for picture in element.proto.imgs]


def test_deep_link_to_an_alexnet_layer_shows_its_channels_over_a_sample():
    app = run_page(PAGE, model="alexnet", layer="features.3")
    assert app.title[0].value == "Inside AlexNet"
    assert app.selectbox(key="inside_layer_alexnet").value == "features.3"
    assert any("the architecture's shapes, not learned features" in e.value for e in app.error)  # offline: untrained
    app.button(key="sample_chelsea").click().run()
    text = all_text(app)
    assert "**features.3** — output 192×27×27" in text  # AlexNet's second conv: 192 maps of 27×27 at 224 px
    channel = app.selectbox(key="inside_channel_alexnet_features.3")
    assert len(channel.options) == 16
    chosen = channel.options[3]
    channel.set_value(int(chosen.split()[0][1:])).run()
    assert f"channel #{chosen.split()[0][1:]} over the input" in image_captions(app)
    assert len([c for c in image_captions(app) if c.startswith("#") and " · " in c]) == 16  # the grid
    assert app.query_params["layer"] == "features.3" and app.query_params["model"] == "alexnet"


def test_an_unknown_layer_in_the_link_falls_back_to_the_first_stage():
    app = run_page(PAGE, model="resnet18", layer="layer9")
    assert any("Unknown layer 'layer9'" in e.value for e in app.error)
    assert app.selectbox(key="inside_layer_resnet18").value == layers_of("resnet18").stages[0] == "conv1"


def test_lenet_reads_a_sample_digit_and_shows_c1_with_its_exciting_digits():
    app = run_page(PAGE, model="lenet5")
    assert [s.value for s in app.success] == ["Weights — pretrained: digits (shipped with the app)"]
    app.button(key="digit_sample").click().run()
    text = all_text(app)
    assert "**c1** — output 6×28×28" in text and "the 6 most active of 6 channels" in text
    assert any("The 9 of scikit-learn's 1,797 digits" in c for c in captions(app))
    grid = [c for c in image_captions(app) if c.startswith("#") and " · " in c]
    assert sorted(int(c.split()[0][1:]) for c in grid) == list(range(6))  # C1: six channels
    app.selectbox(key="inside_layer_lenet5").set_value("c3").run()
    assert "**c3** — output 16×10×10" in all_text(app)  # C3: 16 maps of 10×10 (the paper)
    assert app.query_params["layer"] == "c3"


def test_a_sequence_model_is_refused_with_a_message():
    app = run_page(PAGE, model="transformer_base")
    assert any("not an image model" in w.value for w in app.warning)
