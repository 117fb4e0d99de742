"""Predictions against bare torchvision, weights resolution offline and from a cache, CAM safety."""

import json
import subprocess
import sys
import threading
import time

import numpy as np
import pytest
import torch
import torchvision
from safetensors.torch import save_file

from models.cam import compute_cam
from models.inference import predict
from models.loading import load_checkpoint, load_for_prediction
from models.preprocessing import preprocess_for
from models.registry import get_spec
from models.runtime import build_model
from models.samples import sample_image
from models.weights import WeightsUnavailableError, resolve, weights_options

SAMPLES = [(name, sample_image(name)) for name in ("chelsea", "coffee", "rocket")]


@pytest.fixture(scope="module")
def random_resnet18():
    torch.manual_seed(0)
    return torchvision.models.resnet18().eval().state_dict()


@pytest.mark.parametrize("suffix", [".pth", ".safetensors"])
def test_predictions_equal_bare_torchvision(tmp_path, random_resnet18, suffix):
    path = tmp_path / f"r18{suffix}"
    if suffix == ".pth":
        torch.save(random_resnet18, path)
    else:
        save_file(random_resnet18, path)
    built = load_checkpoint(get_spec("resnet18"), "cpu", path.read_bytes(), path.name)
    ours = predict(built, SAMPLES, preprocess_for(built.spec, "IMAGENET1K_V1"), topk=5)
    bare = torchvision.models.resnet18().eval()
    bare.load_state_dict(random_resnet18)
    transform = torchvision.models.ResNet18_Weights.IMAGENET1K_V1.transforms()
    with torch.no_grad():
        probs = torch.softmax(bare(torch.stack([transform(img) for _, img in SAMPLES])), 1)
    for result, row in zip(ours, probs):
        values, indices = row.topk(5)
        assert [t.index for t in result.top] == indices.tolist()
        assert np.allclose([t.prob for t in result.top], values.numpy(), atol=1e-3)
        assert result.weights_label == f"checkpoint: {path.name}"


def test_timm_prediction_uses_timms_own_preprocessing():
    import timm

    spec = get_spec("mobilenetv1_100")
    built = build_model(spec.id, "cpu")
    config = timm.data.resolve_data_config(pretrained_cfg=timm.models.get_pretrained_cfg("mobilenetv1_100." + spec.weights[0]).to_dict())
    reference = timm.data.create_transform(**config)(SAMPLES[0][1])
    assert torch.allclose(preprocess_for(spec)(SAMPLES[0][1]), reference)


def test_options_come_from_torchvision_metadata():
    options = {o.name: o for o in weights_options(get_spec("resnet50"))}
    assert set(options) == {"IMAGENET1K_V1", "IMAGENET1K_V2"}
    assert options["IMAGENET1K_V1"].metrics["acc@1"] == pytest.approx(76.13)
    assert len(options["IMAGENET1K_V2"].categories) == 1000


def test_pretrained_from_the_local_cache(tmp_path, monkeypatch, random_resnet18):
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))
    monkeypatch.setattr("models.weights.is_online", lambda url: pytest.fail("must not touch the network"))
    option = weights_options(get_spec("resnet18"))[0]
    (tmp_path / "hub" / "checkpoints").mkdir(parents=True)
    torch.save(random_resnet18, tmp_path / "hub" / "checkpoints" / option.url.rsplit("/", 1)[1])
    resolved = resolve(get_spec("resnet18"), "pretrained:IMAGENET1K_V1")
    assert resolved.label == "pretrained: torchvision IMAGENET1K_V1 (local cache)"
    assert torch.equal(resolved.state_dict["fc.weight"], random_resnet18["fc.weight"])


def test_offline_pretrained_fails_fast_and_clearly(tmp_path, monkeypatch):
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))
    monkeypatch.setattr("models.weights.is_online", lambda url: False)
    started = time.perf_counter()
    with pytest.raises(WeightsUnavailableError, match="offline") as error:
        resolve(get_spec("alexnet"), "pretrained")
    assert str(tmp_path) in str(error.value) and time.perf_counter() - started < 3
    built, warning = load_for_prediction(get_spec("alexnet"), "cpu", "pretrained")
    assert not built.trained and "offline" in warning and built.weights_label.startswith("untrained")


def test_user_checkpoint_never_touches_the_shared_model(random_resnet18):
    shared = build_model("resnet18", "cpu")
    before = shared.model.fc.weight.clone()
    private = load_checkpoint(get_spec("resnet18"), "cpu", save_state(random_resnet18), "mine.safetensors")
    assert private.model is not shared.model
    assert torch.equal(shared.model.fc.weight, before)
    assert torch.equal(private.model.fc.weight, random_resnet18["fc.weight"])


def save_state(state) -> bytes:
    from safetensors.torch import save

    return save(state)


def test_lenet_reads_a_digit_with_its_shipped_weights():
    from models.samples import sample_digit

    built, warning = load_for_prediction(get_spec("lenet5"), "cpu", "pretrained:digits")
    result = predict(built, [("3", sample_digit(3))], preprocess_for(built.spec))[0]
    assert warning is None and built.trained and result.top[0].label == "3"


def no_hooks_left(model) -> bool:
    return all(not m._forward_hooks and not m._backward_hooks and not m._forward_pre_hooks for m in model.modules())


@pytest.mark.parametrize("model_id", ["resnet18", "swin_t"])
def test_cam_has_the_input_shape_and_leaves_nothing_behind(model_id):
    built = build_model(model_id, "cpu")
    preprocess = preprocess_for(built.spec)
    result = compute_cam(built, SAMPLES[0][1], preprocess)
    assert result.heatmap.shape == preprocess(SAMPLES[0][1]).shape[1:]
    assert 0 <= result.heatmap.min() and result.heatmap.max() <= 1
    assert no_hooks_left(built.model) and all(p.grad is None for p in built.model.parameters())


def test_two_threads_computing_cams_match_one_at_a_time():
    built = build_model("resnet18", "cpu")
    preprocess = preprocess_for(built.spec)
    images = [img for _, img in SAMPLES[:2]]
    alone = [compute_cam(built, img, preprocess, target_class=1).heatmap for img in images]
    together = [None, None]

    def work(index):
        together[index] = compute_cam(built, images[index], preprocess, target_class=1).heatmap

    threads = [threading.Thread(target=work, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(np.allclose(a, t, atol=1e-5) for a, t in zip(alone, together))
    assert no_hooks_left(built.model)


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "models", "predict", *args], capture_output=True, text=True, timeout=120)


def test_predict_cli_json_and_bad_input(tmp_path):
    from models.samples import sample_digit

    digit = tmp_path / "seven.png"
    sample_digit(7).save(digit)
    result = run_cli("lenet5", str(digit), "--json")
    payload = json.loads(result.stdout)
    assert payload[0]["image"] == str(digit) and payload[0]["top"][0]["label"] == "7"
    assert 0 <= payload[0]["top"][0]["prob"] <= 1 and "shipped with the app" in payload[0]["weights"]
    fake = tmp_path / "fake.png"
    fake.write_text("not an image")
    for args in (("lenet5", str(fake)), ("nope", str(digit))):
        bad = run_cli(*args)
        assert bad.returncode != 0 and "Traceback" not in bad.stderr and len(bad.stderr.strip().splitlines()) == 1
