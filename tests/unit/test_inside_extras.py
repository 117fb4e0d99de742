"""First-layer filters, the digits that excite LeNet-5's channels (cached on disk), transformer
attention, and the rendering of a channel grid."""

import numpy as np
import pytest
import torch

from models import runtime
from models.inside.attention import LAST_CLASS_TOKEN, ROLLOUT, SWIN_LAST, _rollout, attention_maps
from models.inside.adapter import input_tensor, load
from models.inside.capture import summarise
from models.inside.exciting import digit_inputs, exciting_digits, top_inputs
from models.inside.filters import first_filters
from models.inside.render import CELL, LABEL, channel_grid
from models.registry import get_spec
from models.runtime import build_model
from models.prediction.samples import sample_image


@pytest.fixture(autouse=True)
def seeded_models(monkeypatch, tmp_path):
    monkeypatch.setattr(runtime, "_cache", runtime.new_model_cache())
    monkeypatch.setenv("LINEAGE_CACHE_DIR", str(tmp_path))
    torch.manual_seed(0)


def test_first_filters_are_the_first_convolution_scaled_per_kernel():
    alexnet = first_filters(build_model("alexnet", "cpu").model)
    assert alexnet.layer == "features.0" and alexnet.shape == (64, 3, 11, 11)  # AlexNet's 11×11 RGB kernels
    assert alexnet.images.shape == (64, 11, 11, 3)
    lenet = first_filters(load(get_spec("lenet5"), None)[0].model)
    assert lenet.layer == "c1" and lenet.images.shape == (6, 5, 5)  # C1: six 5×5 kernels (the paper)
    for images in (alexnet.images, lenet.images):
        flat = images.reshape(len(images), -1)
        np.testing.assert_allclose(flat.min(axis=1), 0)
        np.testing.assert_allclose(flat.max(axis=1), 1)


def test_top_inputs_by_hand():
    means = np.array([[0.1, 5.0], [0.9, 1.0], [0.5, 3.0]])  # 3 inputs, 2 channels
    ranked = top_inputs(means, "x", top=2)
    assert ranked.indices.tolist() == [[1, 2], [0, 2]]
    assert ranked.values.tolist() == [[0.9, 0.5], [5.0, 3.0]]


def test_exciting_digits_are_the_argmax_of_a_direct_convolution_and_are_cached(tmp_path):
    built, warning = load(get_spec("lenet5"), None)
    assert built.trained and warning is None
    first = exciting_digits(built, ["c1", "c3"])
    digits = digit_inputs(np.arange(1797))
    with torch.inference_mode():
        direct = built.model.c1(digits).mean(dim=(2, 3))  # (N, 6), the conv applied by hand
    assert first["c1"].indices.shape == (6, 9)
    np.testing.assert_array_equal(first["c1"].indices[:, 0], direct.argmax(dim=0).numpy())
    (stored,) = (tmp_path / "inside").glob("lenet5-digits-*.npz")
    again = exciting_digits(built, ["c1", "c3"])  # read back from the file
    np.testing.assert_array_equal(again["c3"].indices, first["c3"].indices)
    stored.write_bytes(b"damaged")
    np.testing.assert_array_equal(exciting_digits(built, ["c1", "c3"])["c1"].indices, first["c1"].indices)


def test_rollout_by_hand():
    attention = torch.tensor([[1.0, 0.0], [0.5, 0.5]])
    # (A + I)/2 = [[1, 0], [0.25, 0.75]] (rows already sum to 1); two blocks: its square
    np.testing.assert_allclose(_rollout([attention, attention]).numpy(), [[1, 0], [0.4375, 0.5625]])


def test_vit_and_swin_attention_maps_cover_their_patch_grids():
    image = sample_image("chelsea")
    for model_id, methods, side in (("vit_b_32", [ROLLOUT, LAST_CLASS_TOKEN], 7), ("swin_t", [SWIN_LAST], 7)):
        built = build_model(model_id, "cpu")
        maps = attention_maps(built, input_tensor(built, image, built.preprocess))
        assert [m.method for m in maps] == methods
        for attention in maps:  # ViT-B/32: 224/32 = 7 patches a side; Swin's last stage: 224/32 = 7
            assert attention.grid.shape == (side, side) and attention.grid.sum() == pytest.approx(1, abs=1e-5)
            assert (attention.grid >= 0).all()
    assert attention_maps(build_model("resnet18", "cpu"), torch.zeros(1, 3, 64, 64)) == []


def test_channel_grid_draws_the_most_active_channels_in_rows_of_four():
    maps = summarise("x", torch.arange(6.0).view(6, 1, 1).expand(6, 3, 3), last=False, max_side=None, keep_raw=False)
    grid = channel_grid(maps, count=5)
    assert grid.size == (4 * CELL, 2 * (CELL + LABEL))
    assert maps.ranked(5) == [5, 4, 3, 2, 1]
