"""Where a network looked: class activation maps with pytorch-grad-cam on the registry's layer.

Hooks live only for one call and are removed in a `finally`. pytorch-grad-cam's hooks sit on a
module of the shared model, where they would also see another session's forward pass, so CAMs
on the same model are serialised with a per-model lock; different models run in parallel.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import torch
from PIL import Image
from pytorch_grad_cam import EigenCAM, GradCAM, GradCAMPlusPlus, LayerCAM
from pytorch_grad_cam.utils.image import show_cam_on_image
from pytorch_grad_cam.utils.model_targets import ClassifierOutputTarget

from models import hook_guard
from models.preprocessing import Preprocess
from models.runtime import BuiltModel

CAM_METHODS = {"Grad-CAM": GradCAM, "Grad-CAM++": GradCAMPlusPlus, "Layer-CAM": LayerCAM, "Eigen-CAM": EigenCAM}
_model_locks: defaultdict[int, threading.Lock] = defaultdict(threading.Lock)
_locks_guard = threading.Lock()


@dataclass(frozen=True)
class CamResult:
    heatmap: np.ndarray  # H×W in [0, 1]
    overlay: Image.Image
    target_class: int
    layer: str


def _token_grid(tensor: torch.Tensor) -> torch.Tensor:
    """ViT tokens (B, 1 + N, C) → (B, C, √N, √N), dropping the class token."""
    tokens = tensor[:, 1:, :]
    side = int(tokens.shape[1] ** 0.5)
    return tokens.reshape(tokens.shape[0], side, side, tokens.shape[2]).permute(0, 3, 1, 2)


def _channels_last(tensor: torch.Tensor) -> torch.Tensor:
    """Swin feature maps (B, H, W, C) → (B, C, H, W)."""
    return tensor.permute(0, 3, 1, 2)


RESHAPES = {"vit": _token_grid, "swin": _channels_last}


def compute_cam(built: BuiltModel, image: Image.Image, preprocess: Preprocess, method: str = "Grad-CAM",
                target_class: int | None = None) -> CamResult:
    """A heat map of the evidence for `target_class` (the top prediction when None)."""
    spec = built.spec
    if not spec.cam_layer:
        raise ValueError(f"{spec.name} has no layer with a spatial map to explain.")
    layer = built.model.get_submodule(spec.cam_layer)
    tensor = preprocess(image).unsqueeze(0).to(built.device).requires_grad_(True)
    with _lock_for(built.model), hook_guard.shared():
        if target_class is None:
            with torch.no_grad():
                target_class = int(built.model(tensor).argmax())
        cam = CAM_METHODS[method](model=built.model, target_layers=[layer], reshape_transform=RESHAPES.get(spec.node))
        try:
            heatmap = cam(input_tensor=tensor, targets=[ClassifierOutputTarget(target_class)])[0]
        finally:
            cam.activations_and_grads.release()
    heatmap = np.nan_to_num(heatmap.astype(np.float32)).clip(0, 1)
    overlay = show_cam_on_image(preprocess.display(tensor[0]).numpy(), heatmap, use_rgb=True)
    return CamResult(heatmap, Image.fromarray(overlay), target_class, spec.cam_layer)


def _lock_for(model: torch.nn.Module) -> threading.Lock:
    with _locks_guard:
        return _model_locks[id(model)]
