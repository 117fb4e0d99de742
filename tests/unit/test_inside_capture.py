"""Layer capture: the same tensor a bare forward hook sees, maps read by hand, bounded thumbnails,
no hook left on the shared model and no interference between threads."""

import threading

import numpy as np
import pytest
import torch

from models import runtime
from models.inside import layer_activations
from models.inside.adapter import input_tensor
from models.weights import UNTRAINED
from models.inside.capture import as_maps, capture, summarise
from models.inside.maps import ModelBytesLRU, image_maps
from models.runtime import build_model
from models.prediction.samples import sample_digit, sample_image

CHELSEA, COFFEE = sample_image("chelsea"), sample_image("coffee")


@pytest.fixture(autouse=True)
def seeded_models(monkeypatch):
    """An empty shared model cache, then a seed: the same random initialization on every run."""
    monkeypatch.setattr(runtime, "_cache", runtime.new_model_cache())
    torch.manual_seed(0)


def hook_free(model) -> bool:
    hooks = ("_forward_hooks", "_forward_pre_hooks", "_backward_hooks", "_backward_pre_hooks")
    return all(not getattr(m, h) for m in model.modules() for h in hooks)


def bare_hook_output(built, image, layer):
    """What a forward hook placed directly on the model returns (removed straight after)."""
    seen = []
    handle = built.model.get_submodule(layer).register_forward_hook(lambda m, i, o: seen.append(o.detach().clone()))
    try:
        with torch.inference_mode():
            built.model(input_tensor(built, image, built.preprocess))
    finally:
        handle.remove()
    return seen[0][0].numpy()


@pytest.mark.parametrize(("model_id", "layer", "image"), [
    ("resnet18", "layer2", CHELSEA), ("alexnet", "features.3", COFFEE), ("lenet5", "c3", sample_digit(7)),
])
def test_captured_activation_equals_a_bare_forward_hook(model_id, layer, image):
    built = build_model(model_id, "cpu", UNTRAINED)
    expected = bare_hook_output(built, image, layer)
    captured = layer_activations(model_id, image, layer, weights=UNTRAINED)
    assert captured.shape == expected.shape
    np.testing.assert_array_equal(captured, expected)
    maps = image_maps(built, image, (layer,), UNTRAINED, max_side=None)[layer]
    np.testing.assert_allclose(maps.means, expected.mean(axis=(1, 2)), rtol=1e-5, atol=1e-6)
    assert hook_free(built.model)


def test_two_threads_get_what_they_would_alone_and_leave_no_hook():
    built = build_model("resnet18", "cpu", UNTRAINED)
    jobs = {"conv1": CHELSEA, "layer3": COFFEE}
    batches = {layer: input_tensor(built, image, built.preprocess) for layer, image in jobs.items()}
    alone = {layer: capture(built, batches[layer], [layer], keep_raw=[layer])[layer].raw for layer in jobs}
    start, results, errors = threading.Barrier(len(jobs)), {layer: [] for layer in jobs}, []

    def ask(layer):
        try:
            start.wait()
            for _ in range(3):
                results[layer].append(capture(built, batches[layer], [layer], keep_raw=[layer])[layer].raw)
        except Exception as error:  # noqa: BLE001 - reported to the main thread below
            errors.append(error)

    threads = [threading.Thread(target=ask, args=(layer,)) for layer in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    for layer in jobs:
        assert len(results[layer]) == 3
        for result in results[layer]:
            np.testing.assert_array_equal(result, alone[layer])
    assert alone["conv1"].shape == (64, 112, 112) and alone["layer3"].shape == (256, 14, 14)  # ResNet-18 at 224
    assert hook_free(built.model)


def test_tokens_are_laid_on_their_grid_without_the_class_token():
    tokens = torch.arange(5 * 3, dtype=torch.float32).reshape(5, 3)  # class token + 2×2 patches, 3 channels
    maps, layout = as_maps(tokens, last=False)
    assert maps.shape == (3, 2, 2) and "class token left out" in layout
    # channel 1 of patch (row 1, col 0) is token 3 (1 + 2), value 3 * 3 + 1
    assert maps[1, 1, 0].item() == 10.0
    grid, _ = as_maps(tokens[1:], last=False)  # 4 tokens: a square without a class token
    assert torch.equal(grid, maps)


def test_channels_last_maps_are_permuted_and_thumbnails_are_area_means():
    hwc = torch.arange(4 * 4 * 2, dtype=torch.float32).reshape(4, 4, 2)
    maps = summarise("x", hwc, last=True, max_side=2, keep_raw=False)
    assert maps.maps.shape == (2, 2, 2)
    channel0 = hwc[..., 0].numpy()
    assert maps.maps[0, 0, 0] == pytest.approx(channel0[:2, :2].mean())
    assert maps.means[1] == pytest.approx(hwc[..., 1].mean().item())  # means at full resolution
    assert maps.raw is None


def test_ranking_is_by_mean_activation_highest_first():
    maps = summarise("x", torch.tensor([[[1.0]], [[3.0]], [[-2.0]], [[2.0]]]), last=False, max_side=None, keep_raw=False)
    assert maps.ranked(3) == [1, 3, 0]


def test_the_maps_cache_is_bounded_by_bytes_and_misses_for_a_rebuilt_model():
    one = {"x": summarise("x", torch.zeros(4, 8, 8), False, None, False)}  # 4·8·8 + 4 floats
    cache, model, other = ModelBytesLRU(limit=2 * (256 + 4) * 4), torch.nn.Identity(), torch.nn.Identity()
    for key in ("a", "b", "c"):
        cache.put((key,), model, one)
    assert cache.get(("a",), model) is None and cache.get(("c",), model) is one
    assert cache.held() <= cache.limit
    assert cache.get(("c",), other) is None
