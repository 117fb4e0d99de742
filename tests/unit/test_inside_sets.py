"""What excites a channel over a set of images (a hand-built convolution whose channels answer red and
blue), the bounds and bad files of a set, the clickable grid's figure, and Swin's window attention
checked against torchvision's own output and the paper's shifted-window masking."""

import io
from collections import OrderedDict

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from PIL import Image
from torch import nn
from torchvision.models.swin_transformer import ShiftedWindowAttention
from torchvision.transforms import v2

from models import runtime
from models.inside.capture import summarise
from models.inside.grid_figure import channel_grid_figure, clicked_channel
from models.inside.image_set import MAX_IMAGES, MAX_SET_BYTES, SetFile, admitted, folder_files, rank_set
from models.inside.swin_windows import block_weights, window_blocks, window_weights
from models.prediction.images import MAX_BYTES
from models.prediction.preprocessing import Preprocess
from models.registry import get_spec
from models.runtime import BuiltModel, build_model
from models.weights import UNTRAINED

RED, PURPLE, BLUE = (255, 0, 0), (128, 0, 128), (0, 0, 255)


def png(colour, size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def file(name: str, data: bytes) -> SetFile:
    return SetFile(name, len(data), lambda: data)


@pytest.fixture
def colour_model() -> BuiltModel:
    """A 1×1 convolution: channel 0 is the red of a pixel, channel 1 its blue, on pixels in [0, 1]."""
    conv = nn.Conv2d(3, 2, kernel_size=1, bias=False)
    with torch.no_grad():
        conv.weight.copy_(torch.tensor([[1.0, 0, 0], [0, 0, 1.0]]).view(2, 3, 1, 1))
    to_tensor = v2.Compose([v2.ToImage(), v2.ToDtype(torch.float32, scale=True)])
    return BuiltModel(spec=get_spec("resnet18"), model=nn.Sequential(OrderedDict(colour=conv)).eval(), device="cpu",
                      dtype=torch.float32, weights_label="hand-built: red and blue", trained=True, param_bytes=24,
                      memory_bytes=24, build_seconds=0.0, preprocess=Preprocess(to_tensor, (0.0,) * 3, (1.0,) * 3, "[0, 1]"))


def test_a_red_channel_ranks_red_above_purple_above_blue(colour_model):
    images, refused = admitted([file("blue.png", png(BLUE)), file("red.png", png(RED)), file("purple.png", png(PURPLE))])
    ranked = rank_set(colour_model, images, "colour", refused)
    assert ranked.names == ("blue.png", "red.png", "purple.png") and not ranked.refused
    by_name = lambda channel: [(ranked.names[i], round(v, 4)) for i, v in ranked.top(channel)]  # noqa: E731
    assert by_name(0) == [("red.png", 1.0), ("purple.png", round(128 / 255, 4)), ("blue.png", 0.0)]
    assert by_name(1) == [("blue.png", 1.0), ("purple.png", round(128 / 255, 4)), ("red.png", 0.0)]
    assert ranked.top(0, count=1) == [(1, pytest.approx(1.0))]
    assert max(t.size[0] for t in ranked.thumbnails) <= 160
    with pytest.raises(ValueError, match="has 2 channels"):
        ranked.top(2)


def test_a_named_set_is_ranked_once_for_this_very_model(colour_model):
    images, _ = admitted([file("red.png", png(RED))])
    first = rank_set(colour_model, images, "colour", key=("red",))
    assert rank_set(colour_model, [], "colour", key=("red",)) is first  # remembered: the images are not read again
    assert rank_set(colour_model, [], "colour", key=("other",)).names == ()


def test_bad_files_are_refused_with_a_message_and_the_rest_is_ranked(colour_model):
    def never_read() -> bytes:
        raise AssertionError("an oversized file must be refused before it is read")

    files = [file("empty.png", b""), file("notes.png", b"text, not a picture"), SetFile("huge.png", MAX_BYTES + 1, never_read),
             file("cut.png", png(RED)[:60]), file("red.png", png(RED))]
    images, refused = admitted(files)
    assert refused == ["empty.png is empty (0 bytes).", f"huge.png is {(MAX_BYTES + 1) / 2**20:.1f} MB; the limit is "
                       f"{MAX_BYTES // 2**20} MB."]
    ranked = rank_set(colour_model, images, "colour", refused)
    assert ranked.names == ("red.png",)
    assert list(ranked.refused[2:]) == ["notes.png is not an image in a format this app reads (JPEG, PNG, WebP, BMP, GIF or TIFF).",
                                  "cut.png is damaged or truncated and cannot be decoded."]


def test_a_set_is_bounded_in_count_and_in_bytes():
    many = [file(f"{i:02}.png", png(RED)) for i in range(MAX_IMAGES + 3)]
    images, refused = admitted(many)
    assert [i.name for i in images] == [f"{i:02}.png" for i in range(MAX_IMAGES)]
    assert refused == [f"Only the first {MAX_IMAGES} images are ranked; 3 more were left out (the limit is {MAX_IMAGES} a set)."]
    big = MAX_BYTES - 1  # each file is within the image limit, together they are not
    files = [SetFile(f"{i}.jpg", big, lambda: b"") for i in range(MAX_SET_BYTES // big + 1)]
    images, refused = admitted(files)
    assert len(images) == MAX_SET_BYTES // big
    assert refused == [f"{files[-1].name} was left out: a set's files may hold {MAX_SET_BYTES // 2**20} MB together."]


def test_a_folder_gives_its_own_files_by_name(tmp_path):
    (tmp_path / "b.png").write_bytes(png(BLUE))
    (tmp_path / "a.png").write_bytes(png(RED))
    (tmp_path / ".hidden.png").write_bytes(png(RED))
    (tmp_path / "inner").mkdir()
    assert [(f.name, f.size) for f in folder_files(tmp_path)] == [("a.png", len(png(RED))), ("b.png", len(png(BLUE)))]
    with pytest.raises(ValueError, match="is not a folder"):
        folder_files(tmp_path / "a.png")


def test_the_grid_figure_carries_each_channel_and_outlines_the_chosen_one():
    maps = summarise("x", torch.arange(10.0).view(10, 1, 1).expand(10, 4, 4), last=False, max_side=None, keep_raw=False)
    figure = channel_grid_figure(maps, maps.ranked(10), chosen=7, columns=4)
    (markers,) = [trace for trace in figure.data if trace.name == "channels"]
    assert list(markers.customdata) == [str(c) for c in range(9, -1, -1)]
    assert [shape.name for shape in figure.layout.shapes] == ["chosen #7"]
    (x, y) = markers.x[2], markers.y[2]  # channel 7 sits third in the first row: the outline is round it
    shape = figure.layout.shapes[0]
    assert shape.x0 < x < shape.x1 and shape.y0 < y < shape.y1
    assert clicked_channel([{"customdata": "7"}]) == 7 and clicked_channel([{"customdata": ["12"]}]) == 12
    assert clicked_channel([]) is None and clicked_channel([{"x": 1}]) is None


def window_output(attention: ShiftedWindowAttention, x: torch.Tensor) -> torch.Tensor:
    """The attention module's output rebuilt from the recomputed weights, each window's values taken
    from the input's patches at the cells the weights name (zeros for padding)."""
    found, channels = window_weights(attention, x), x.shape[-1]
    out = torch.zeros_like(x[0])
    for weights, cells in zip(found.weights, found.cells):
        tokens = torch.stack([x[0, r, c] if r >= 0 else torch.zeros(channels) for r, c in cells])
        values = F.linear(tokens, attention.qkv.weight, attention.qkv.bias)[:, 2 * channels:]
        values = values.reshape(len(cells), attention.num_heads, -1).transpose(0, 1)
        mixed = F.linear((weights @ values).transpose(0, 1).reshape(len(cells), channels), attention.proj.weight,
                         attention.proj.bias)
        for (r, c), value in zip(cells, mixed):
            if r >= 0:
                out[r, c] = value
    return out


@pytest.mark.parametrize("size", [(14, 14), (10, 12), (7, 9)])  # whole windows, padding, one window one way
def test_window_weights_rebuild_torchvision_s_own_output(size):
    torch.manual_seed(0)
    attention = ShiftedWindowAttention(32, [7, 7], [3, 3], num_heads=4).eval()
    x = torch.randn(1, *size, 32)
    with torch.no_grad():
        np.testing.assert_allclose(window_output(attention, x).numpy(), attention(x)[0].numpy(), atol=1e-5)


def test_swin_t_window_attention_for_a_shifted_stage_two_block(monkeypatch):
    monkeypatch.setattr(runtime, "_cache", runtime.new_model_cache())
    built = build_model("swin_t", "cpu", UNTRAINED)
    blocks = window_blocks(built)
    assert [sum(b.stage == s for b in blocks) for s in (1, 2, 3, 4)] == [2, 2, 6, 2]  # Swin-T: depths 2, 2, 6, 2
    assert [b.shift for b in blocks[:2]] == [(0, 0), (3, 3)]  # every second block shifts by ⌊7/2⌋
    found = block_weights(built, torch.randn(1, 3, 224, 224), "features.3.1")  # stage 2, shifted
    assert tuple(found.weights.shape) == (16, 6, 49, 49) and found.grid == (28, 28)  # 224/8: 4×4 windows of 7×7
    np.testing.assert_allclose(found.weights.sum(dim=-1).numpy(), 1, atol=1e-5)
    corner = found.patch_map(0, 0)
    assert corner.sum() == pytest.approx(1, abs=1e-5)
    # The shifted window holding patch (0, 0) wraps round both edges; the mask keeps it to the 3×3
    # patches that were its neighbours before the cyclic shift (Liu et al. 2021, Sec. 3.2, Fig. 4).
    rows, cols = np.nonzero(corner > 1e-6)
    assert set(zip(rows.tolist(), cols.tolist())) == {(r, c) for r in range(3) for c in range(3)}
    window, _ = found.window_of(0, 0)
    wrapped = (24, 25, 26, 27, 0, 1, 2)
    assert {tuple(cell) for cell in found.cells[window].tolist()} == {(r, c) for r in wrapped for c in wrapped}
