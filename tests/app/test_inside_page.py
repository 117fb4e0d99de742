"""AppTest for the Inside page: deep links to a layer, the untrained banner, the channel grid (in step
with the channel list) and the enlarged channel, LeNet-5's maps for a sample digit with the digits
that excite a channel, a set of uploads ranked by a channel, Swin's window attention."""

import io
import json

import torch
from PIL import Image

from models.inside.stages import layers_of
from models.runtime import build_model
from models.weights import UNTRAINED
from tests.app.helpers import all_text, run_page

PAGE = "pages/5_Inside.py"


def captions(app) -> list[str]:
    return [str(c.value) for c in app.caption]


def image_captions(app) -> list[str]:
    return [picture.caption for element in app.get("image") for picture in element.proto.imgs]


def grid_figure(app) -> dict:
    """The channel grid's plotly figure, as the page sent it."""
    figures = [json.loads(chart.proto.spec) for chart in app.get("plotly_chart")]
    return next(f for f in figures if any(trace.get("name") == "channels" for trace in f["data"]))


def grid_channels(app) -> list[int]:
    (markers,) = [trace for trace in grid_figure(app)["data"] if trace.get("name") == "channels"]
    return [int(c) for c in markers["customdata"]]


def outlined(app) -> list[str]:
    return [shape["name"] for shape in grid_figure(app)["layout"].get("shapes", [])]


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
    shown = grid_channels(app)
    assert [int(o.split()[0][1:]) for o in channel.options] == shown  # the grid: the same 16, most active first
    assert outlined(app) == [f"chosen #{shown[0]}"]
    channel.set_value(shown[3]).run()
    assert f"channel #{shown[3]} over the input" in image_captions(app)
    assert outlined(app) == [f"chosen #{shown[3]}"]  # the list's choice is outlined on the grid
    assert app.query_params["layer"] == "features.3" and app.query_params["model"] == "alexnet"


def test_an_unknown_layer_in_the_link_falls_back_to_the_first_stage():
    app = run_page(PAGE, model="resnet18", layer="layer9")
    assert any("Unknown layer 'layer9'" in e.value for e in app.error)
    assert app.selectbox(key="inside_layer_resnet18").value == layers_of("resnet18").stages[0] == "conv1"


def test_the_sidebar_offers_predict_s_weights_and_a_missing_checkpoint_is_said_untrained():
    app = run_page(PAGE, model="resnet18")
    weights = app.sidebar.radio(key="predict_weights_resnet18")
    assert weights.options[-2:] == ["my checkpoint (.safetensors / .pt / .pth)", "untrained (random initialization)"]
    weights.set_value("checkpoint").run()
    assert "No checkpoint uploaded yet." in [w.value for w in app.warning]
    assert any("UNTRAINED: the maps show the architecture's shapes" in e.value for e in app.error)


def test_lenet_reads_a_sample_digit_and_shows_c1_with_its_exciting_digits():
    app = run_page(PAGE, model="lenet5")
    assert [s.value for s in app.success] == ["Weights — pretrained: digits (shipped with the app)"]
    app.button(key="digit_sample").click().run()
    text = all_text(app)
    assert "**c1** — output 6×28×28" in text and "the 6 most active of 6 channels" in text
    assert any("The 9 of scikit-learn's 1,797 digits" in c for c in captions(app))
    assert sorted(grid_channels(app)) == list(range(6))  # C1: six channels
    app.selectbox(key="inside_layer_lenet5").set_value("c3").run()
    assert "**c3** — output 16×10×10" in all_text(app)  # C3: 16 maps of 10×10 (the paper)
    assert app.query_params["layer"] == "c3"


def test_a_sequence_model_is_refused_with_a_message():
    app = run_page(PAGE, model="transformer_base")
    assert any("not an image model" in w.value for w in app.warning)


def png(colour) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (48, 48), colour).save(buffer, "PNG")
    return buffer.getvalue()


def test_a_set_of_uploads_is_ranked_by_the_enlarged_channel_and_a_bad_file_is_named():
    app = run_page(PAGE, model="resnet18")
    app.button(key="sample_chelsea").click().run()
    uploads = next(u for u in app.get("file_uploader") if "inside_set_uploads" in u.proto.id)
    colours = {"red.png": (255, 0, 0), "green.png": (0, 255, 0), "blue.png": (0, 0, 255)}
    uploads.set_value([(name, png(colour), "image/png") for name, colour in colours.items()]
                      + [("notes.png", b"not a picture", "image/png")]).run()
    app.toggle(key="inside_rank_set").set_value(True).run()
    channel = app.selectbox(key="inside_channel_resnet18_conv1").value
    assert any("notes.png is not an image" in w.value for w in app.warning)
    ranked = [c.split(". ", 1)[1].split(" · ")[0] for c in image_captions(app) if c[:2] in ("1.", "2.", "3.")]
    built = build_model("resnet18", "cpu", UNTRAINED)  # the page's model: conv1 applied directly
    with torch.inference_mode():
        means = {name: float(built.model.conv1(built.preprocess(Image.new("RGB", (48, 48), colour))
                                               .unsqueeze(0))[0, channel].mean()) for name, colour in colours.items()}
    assert ranked == sorted(means, key=means.get, reverse=True)


def test_swin_shows_the_window_attention_of_a_patch_in_a_shifted_block():
    app = run_page(PAGE, model="swin_t")
    app.button(key="sample_chelsea").click().run()
    app.selectbox(key="inside_swin_block_swin_t").set_value("features.3.1").run()
    app.slider(key="inside_swin_row_swin_t").set_value(0).run()
    caption = next(c for c in image_captions(app) if c.startswith("Block features.3.1"))
    assert "patch (0, 14)" in caption and "7×7 window" in caption and "28×28 grid" in caption  # stage 2 at 224 px
    assert "shifted by 3×3 patches" in caption
