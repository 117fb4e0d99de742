"""CAMs: the input's shape, values in [0, 1], nothing left on the shared model (hooks, gradients),
and no interference between sessions computing CAMs or predictions on the same model at once."""

import copy
import threading

import numpy as np
import pytest
import torch

from models import runtime
from pytorch_grad_cam import GradCAM

from models.prediction.cam import CAM_METHODS, CamUnavailableError, compute_cam, compute_cams
from models.prediction.inference import predict
from models.runtime import build_model
from models.prediction.samples import sample_digit, sample_image

CHELSEA, COFFEE, ROCKET = (sample_image(name) for name in ("chelsea", "coffee", "rocket"))


@pytest.fixture(autouse=True)
def seeded_models(monkeypatch):
    """The same random initialization on every run (an empty shared cache, then a seed)."""
    monkeypatch.setattr(runtime, "_cache", runtime.new_model_cache())
    torch.manual_seed(0)


def untouched(model) -> bool:
    """No hook of any kind on any module, and no gradient on any parameter."""
    hooks = ("_forward_hooks", "_forward_pre_hooks", "_backward_hooks", "_backward_pre_hooks")
    return (all(not getattr(m, h) for m in model.modules() for h in hooks)
            and all(p.grad is None and not p.requires_grad for p in model.parameters()))


@pytest.mark.parametrize("model_id, method", [("resnet18", "Grad-CAM"), ("resnet18", "Eigen-CAM"),
                                              ("swin_t", "Grad-CAM"), ("vit_b_32", "Eigen-CAM"),  # untrained ViT: zero head, no gradient
                                              ("lenet5", "Grad-CAM++")])
def test_a_cam_covers_the_input_in_0_1_and_leaves_the_model_untouched(model_id, method):
    built = build_model(model_id, "cpu")
    preprocess = built.preprocess
    image = sample_digit(4) if model_id == "lenet5" else CHELSEA
    result = compute_cam(built, image, preprocess, method)
    assert result.heatmap.shape == preprocess(image).shape[1:] == result.overlay.size[::-1]
    assert result.heatmap.dtype == np.float32 and 0 <= result.heatmap.min() <= result.heatmap.max() <= 1
    assert result.heatmap.max() > 0 and result.layer == built.spec.cam_layer and 0 <= result.target_class < 1000
    assert result.class_specific == (method != "Eigen-CAM")
    assert untouched(built.model)


def tensors_saved_for_backward(call):
    """`call()`'s result and how many tensors autograd kept for a backward pass meanwhile."""
    saved = []
    with torch.autograd.graph.saved_tensors_hooks(lambda t: saved.append(1) or t, lambda t: t):
        result = call()
    return result, len(saved)


@pytest.mark.parametrize("model_id", ["resnet18", "alexnet", "densenet121", "swin_t"])  # a stage, an in-place ReLU,
# one an in-place ReLU follows, a reshape
def test_a_cam_equals_the_textbook_grad_cam_but_keeps_no_graph_below_its_layer(model_id):
    """The same maps as pytorch-grad-cam used as its README shows (the input itself requiring a
    gradient, so the backward runs down to the pixels), from a fraction of the graph."""
    built, images = build_model(model_id, "cpu"), [CHELSEA, COFFEE]
    ours, ours_saved = tensors_saved_for_backward(lambda: compute_cams(built, images))
    model = copy.deepcopy(built.model)
    tensor = torch.stack([built.preprocess(image) for image in images]).requires_grad_(True)

    def textbook():
        with GradCAM(model=model, target_layers=[model.get_submodule(built.spec.cam_layer)],
                     reshape_transform=built.spec.cam_reshape) as cam:
            return cam(input_tensor=tensor, targets=None)

    maps, textbook_saved = tensors_saved_for_backward(textbook)
    for result, heatmap in zip(ours, maps):
        np.testing.assert_allclose(result.heatmap, np.nan_to_num(heatmap).clip(0, 1), atol=1e-5)
    assert ours_saved * 3 < textbook_saved, (ours_saved, textbook_saved)


def test_a_failing_cam_leaves_the_model_untouched_too():
    built = build_model("resnet18", "cpu")
    with pytest.raises(IndexError):
        compute_cam(built, CHELSEA, built.preprocess, target_class=5000)  # no such class
    assert untouched(built.model)


def test_cams_of_two_sessions_at_once_equal_one_at_a_time():
    built = build_model("resnet18", "cpu")
    preprocess = built.preprocess
    images = [CHELSEA, COFFEE]
    alone = [compute_cam(built, image, preprocess).heatmap for image in images]
    together = run_at_once([lambda i=i: compute_cam(built, images[i], preprocess).heatmap for i in range(2)])
    assert all(np.allclose(a, t, atol=1e-5) for a, t in zip(alone, together))
    assert not np.allclose(alone[0], alone[1], atol=0.05)  # different images: a mix-up would show
    assert untouched(built.model)


def test_predictions_of_another_session_do_not_leak_into_a_cam():
    built = build_model("resnet18", "cpu")
    preprocess = built.preprocess
    alone = compute_cam(built, CHELSEA, preprocess).heatmap
    assert alone.max() > 0
    stop = threading.Event()

    def predicting() -> None:  # another session classifying a rocket through the same layers, again and again
        while not stop.is_set():
            predict(built, [("rocket", ROCKET)], preprocess)

    other = threading.Thread(target=predicting)
    other.start()
    try:
        during = [compute_cam(built, CHELSEA, preprocess).heatmap for _ in range(2)]
    finally:
        stop.set()
        other.join()
    assert all(np.allclose(alone, d, atol=1e-5) for d in during)


def run_at_once(calls):
    results, barrier = [None] * len(calls), threading.Barrier(len(calls))

    def run(index):
        barrier.wait()
        results[index] = calls[index]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_what_cannot_be_explained_is_a_clear_error():
    built = build_model("resnet18", "cpu")
    with pytest.raises(CamUnavailableError, match="choose one of"):
        compute_cam(built, CHELSEA, built.preprocess, "Score-CAM")
    assert set(CAM_METHODS) == {"Grad-CAM", "Grad-CAM++", "Layer-CAM", "Eigen-CAM"}
