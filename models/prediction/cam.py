"""Where a network looked: class activation maps with pytorch-grad-cam on the registry's layer.

The shared cached model never carries a hook. pytorch-grad-cam records every forward that passes
its hooked layer, so hooks on a shared module would also record another session's forward — a
CAM's or a plain prediction's — and the map would mix images. A lock per model would keep two
CAMs apart but not a CAM and a prediction. Instead each call hooks its own copy of the module
tree, which shares the parameter and buffer tensors (no extra weight memory; parameters are
frozen, so the backward writes no `.grad` into them). Calls on one model then run concurrently.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch
from PIL import Image
from pytorch_grad_cam import EigenCAM, GradCAM, GradCAMPlusPlus, LayerCAM
from pytorch_grad_cam.utils.image import show_cam_on_image
from pytorch_grad_cam.utils.model_targets import ClassifierOutputTarget
from torch import nn

from models import hook_guard
from models.prediction.preprocessing import Preprocess
from models.runtime import BuiltModel

# Four that take one forward and at most one backward, so they run in about a second on a CPU
# (Score-CAM and Ablation-CAM need a forward per channel: minutes).
CAM_METHODS = {"Grad-CAM": GradCAM, "Grad-CAM++": GradCAMPlusPlus, "Layer-CAM": LayerCAM, "Eigen-CAM": EigenCAM}
CLASS_AGNOSTIC = frozenset({"Eigen-CAM"})  # the first principal component of the activations: no class


class CamUnavailableError(ValueError):
    """The model has no layer with a spatial map to explain, or the method is unknown."""


@dataclass(frozen=True)
class CamResult:
    """A heat map over the model's input (H×W in [0, 1]), drawn over that input, and what it explains."""

    heatmap: np.ndarray
    overlay: Image.Image
    target_class: int
    class_specific: bool
    layer: str
    method: str


def compute_cam(built: BuiltModel, image: Image.Image, preprocess: Preprocess | None = None,
                method: str = "Grad-CAM", target_class: int | None = None) -> CamResult:
    """A heat map of the evidence for `target_class` (the top prediction when None) at the
    registry's CAM layer (its output reshaped as the spec says), at the resolution of the model's
    input; `preprocess` defaults to the one the model's weights need."""
    return compute_cams(built, [image], preprocess, method, target_class)[0]


def compute_cams(built: BuiltModel, images: Sequence[Image.Image], preprocess: Preprocess | None = None,
                 method: str = "Grad-CAM", target_class: int | None = None) -> list[CamResult]:
    """`compute_cam` for several images in one forward and one backward pass (each map is its own
    image's: an eval-mode network mixes nothing across the batch, and each map is scaled alone)."""
    return cams_and_logits(built, images, preprocess, method, target_class)[0]


def cams_and_logits(built: BuiltModel, images: Sequence[Image.Image], preprocess: Preprocess | None = None,
                    method: str = "Grad-CAM", target_class: int | None = None) -> tuple[list[CamResult], torch.Tensor]:
    """`compute_cams` and the logits (N, classes) of its forward pass, so a prediction asked with its
    CAM needs no forward of its own."""
    spec, preprocess = built.spec, preprocess or built.preprocess
    if spec.kind != "image" or not spec.cam_layer:
        raise CamUnavailableError(f"{spec.name} has no layer with a spatial map to explain.")
    if method not in CAM_METHODS:
        raise CamUnavailableError(f"Unknown CAM method '{method}'; choose one of {', '.join(CAM_METHODS)}.")
    model = _private_copy(built.model)
    layer = model.get_submodule(spec.cam_layer)
    layer.register_forward_hook(_gradients_start_here)  # before the CAM's own hook, which then sees its output
    tensor = torch.stack([preprocess(image) for image in images]).to(built.device, built.dtype)
    targets = None if target_class is None else [ClassifierOutputTarget(target_class)] * len(images)
    cam = CAM_METHODS[method](model=model, target_layers=[layer], reshape_transform=spec.cam_reshape)
    try:
        with hook_guard.shared(), torch.enable_grad():
            heatmaps = cam(input_tensor=tensor, targets=targets)
        chosen = cam.outputs.argmax(dim=1).tolist() if target_class is None else [target_class] * len(images)
    finally:
        cam.activations_and_grads.release()  # not `with cam:` — its __exit__ swallows IndexError
    results = []
    for row, heatmap, klass in zip(tensor, heatmaps, chosen):
        heatmap = np.nan_to_num(heatmap.astype(np.float32)).clip(0, 1)
        overlay = show_cam_on_image(preprocess.display(row).numpy(), heatmap, use_rgb=True)
        results.append(CamResult(heatmap, Image.fromarray(overlay), int(klass), method not in CLASS_AGNOSTIC,
                                 spec.cam_layer, method))
    return results, cam.outputs.detach()


def _gradients_start_here(module: nn.Module, inputs: tuple, output: torch.Tensor) -> torch.Tensor:
    """The CAM layer's output as the start of the autograd graph. Every CAM here needs only the
    gradient of the score with respect to this layer's output, so the layers before it keep no
    graph and the backward stops here (for ResNet-18 at layer4: the backward is the classifier
    alone, not the whole network down to the pixels). The clone lets an in-place op that follows
    work on it (DenseNet's forward applies `relu(inplace=True)` to `features.norm5`, its CAM layer)."""
    return output.detach().requires_grad_(True).clone()


def _private_copy(model: nn.Module) -> nn.Module:
    """The module tree copied with its parameters and buffers shared, for this call's hooks alone."""
    shared = {id(tensor): tensor for tensor in itertools.chain(model.parameters(), model.buffers())}
    return copy.deepcopy(model, shared)
