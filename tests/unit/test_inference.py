"""The app's predictions equal bare torchvision's and bare timm's for the same weights file; LeNet-5
reads rendered digits with its shipped weights; untrained and non-image models say what they are."""

import random

import numpy as np
import pytest
import torch
import torchvision
from safetensors.torch import save_file

from models import runtime
from models.prediction.inference import NotAnImageModelError, predict
from models.prediction.loading import load_for_prediction
from models.registry import get_spec
from models.prediction.samples import sample_image
from models.weights import PRETRAINED, UNTRAINED, Checkpoint, Pretrained, default_preprocess, weights_options
from tests.digit_samples import FONTS, printed

PHOTOS = [(name, sample_image(name)) for name in ("chelsea", "coffee")]


def decisive(state: dict) -> dict:
    """Random weights with a sharpened head, so the top-5 are far apart (no ties to reorder)."""
    head = next(k for k in reversed(state) if k.endswith(".weight"))
    return {**state, head: state[head] * 30}


def bare_top5(model: torch.nn.Module, transform) -> list[tuple[list[int], np.ndarray]]:
    with torch.no_grad():
        probs = torch.softmax(model.eval()(torch.stack([transform(image) for _, image in PHOTOS])), dim=1)
    return [(row.topk(5).indices.tolist(), row.topk(5).values.numpy()) for row in probs]


def assert_same(ours, bare, categories) -> None:
    for result, (indices, values) in zip(ours, bare):
        assert [t.index for t in result.top] == indices
        assert np.allclose([t.prob for t in result.top], values, atol=1e-3)
        assert [t.label for t in result.top] == [categories[i] for i in indices]


@pytest.fixture(scope="module")
def resnet18_state():
    torch.manual_seed(0)
    return decisive(torchvision.models.resnet18().state_dict())


@pytest.fixture(scope="module")
def bare_resnet18(resnet18_state):
    model = torchvision.models.resnet18()
    model.load_state_dict(resnet18_state)
    return bare_top5(model, torchvision.models.ResNet18_Weights.IMAGENET1K_V1.transforms())


@pytest.mark.parametrize("suffix", [".pth", ".safetensors"])
def test_a_checkpoint_predicts_as_bare_torchvision(tmp_path, resnet18_state, bare_resnet18, suffix):
    path = tmp_path / f"r18{suffix}"
    torch.save(resnet18_state, path) if suffix == ".pth" else save_file(resnet18_state, path)
    built = runtime.build_model("resnet18", "cpu", Checkpoint(path.name, path.read_bytes()))
    ours = predict(built, PHOTOS, topk=5)
    assert_same(ours, bare_resnet18, torchvision.models.ResNet18_Weights.IMAGENET1K_V1.meta["categories"])
    assert all(r.trained and r.weights_label == f"checkpoint: {path.name}" and r.latency_s > 0 for r in ours)
    assert [r.image for r in ours] == ["chelsea", "coffee"]


def test_cached_pretrained_weights_predict_as_bare_torchvision(no_weight_downloads, monkeypatch, resnet18_state,
                                                               bare_resnet18):
    monkeypatch.setattr(runtime, "_cache", runtime.new_model_cache())
    hub = no_weight_downloads / "torch" / "hub" / "checkpoints"
    hub.mkdir(parents=True)
    spec = get_spec("resnet18")
    torch.save(resnet18_state, hub / weights_options(spec)[0].file_name)
    built, warning = load_for_prediction(spec, "cpu", Pretrained("IMAGENET1K_V1"))
    ours = predict(built, PHOTOS, built.preprocess)
    assert warning is None and ours[0].weights_label == "pretrained: torchvision IMAGENET1K_V1 (local cache)"
    assert_same(ours, bare_resnet18, torchvision.models.ResNet18_Weights.IMAGENET1K_V1.meta["categories"])


def test_a_timm_checkpoint_predicts_as_bare_timm(tmp_path):
    import timm

    torch.manual_seed(1)
    state = decisive(timm.create_model("mobilenetv1_100").state_dict())
    save_file(state, tmp_path / "mnv1.safetensors")
    built = runtime.build_model("mobilenetv1_100", "cpu", Checkpoint("mnv1.safetensors", (tmp_path / "mnv1.safetensors").read_bytes()))
    ours = predict(built, PHOTOS, built.preprocess, topk=5)
    bare = timm.create_model("mobilenetv1_100")
    bare.load_state_dict(state)
    transform = timm.data.create_transform(**timm.data.resolve_model_data_config(bare))
    assert_same(ours, bare_top5(bare, transform), timm.data.ImageNetInfo("imagenet-1k").label_descriptions())


def test_lenet5_reads_rendered_digits_with_its_shipped_weights():
    built, warning = load_for_prediction(get_spec("lenet5"), "cpu", PRETRAINED)
    rng = random.Random(3)
    digits = [(str(d), printed(d, FONTS[d % 2], rng)) for d in (2, 7)]  # printed with PIL, never trained on
    results = predict(built, digits, built.preprocess, topk=3)
    assert warning is None and built.trained and built.weights_label == "pretrained: digits (shipped with the app)"
    assert [r.top[0].label for r in results] == ["2", "7"]
    assert all(r.top[0].prob > 0.5 and 0 <= r.top[-1].prob <= r.top[0].prob <= 1 for r in results)


def test_an_untrained_model_keeps_its_heads_class_names_but_says_untrained():
    built, _ = load_for_prediction(get_spec("lenet5"), "cpu", UNTRAINED)
    (result,) = predict(built, [("two", printed(2, FONTS[0], random.Random(0)))], built.preprocess, topk=10)
    assert not result.trained and result.weights_label == "untrained: random initialization"
    assert sorted(t.label for t in result.top) == list("0123456789")
    assert sum(t.prob for t in result.top) == pytest.approx(1, abs=1e-5)


def test_the_transformer_is_not_an_image_model():
    built = runtime.BuiltModel(get_spec("transformer_base"), torch.nn.Identity(), "cpu", torch.float32,
                               "untrained: random initialization", False, 0, 0, 0.0)  # no need to build 60 M parameters
    with pytest.raises(NotAnImageModelError, match="not an image model"):
        predict(built, PHOTOS[:1], default_preprocess(get_spec("resnet18")))
