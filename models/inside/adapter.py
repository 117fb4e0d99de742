"""The one place where `models.inside` meets the rest of the models package (weights choice,
building, preprocessing, the private copy of CAM), so a change of those APIs is ported here alone.

Weights are still a string here: "untrained", "pretrained" or "pretrained:<option>".
"""

from __future__ import annotations

import torch
from PIL import Image
from torch import nn

from models.cam import RESHAPES, _channels_last, _private_copy
from models.loading import default_choice, load_for_prediction
from models.preprocessing import Preprocess, preprocess_for
from models.registry import ModelSpec, get_spec
from models.runtime import PRETRAINED, UNTRAINED, BuiltModel, ModelTooLargeError
from models.weights import Progress, weights_options

__all__ = ["PRETRAINED", "UNTRAINED", "BuiltModel", "ModelTooLargeError", "ModelSpec", "get_spec", "private_copy", "load",
           "preprocess", "input_tensor", "weights_choices", "default_weights", "channels_last", "reads_digits"]

DIGITS_WEIGHTS = "digits"  # the name of the shipped weights trained on scikit-learn's digits


def private_copy(model: nn.Module) -> nn.Module:
    """This call's own module tree, sharing the cached model's tensors (hooks go here, never there)."""
    return _private_copy(model)


def load(spec: ModelSpec, weights: str | None, device: str = "cpu",
         progress: Progress | None = None) -> tuple[BuiltModel, str | None]:
    """The shared cached model for a weights choice (default: pretrained where offered) and, when
    pretrained weights could not be had, the untrained one and why; `progress` hears a download."""
    return load_for_prediction(spec, device, weights or default_choice(spec), progress)


def preprocess(spec: ModelSpec, weights: str | None) -> Preprocess:
    """The weights' own preprocessing (untrained: the default weights' input)."""
    return preprocess_for(spec, weights or default_choice(spec))


def input_tensor(built: BuiltModel, image: Image.Image, prep: Preprocess) -> torch.Tensor:
    """One image as a batch of one on the model's device and dtype."""
    return prep(image).unsqueeze(0).to(built.device, built.dtype)


def weights_choices(spec: ModelSpec) -> dict[str, str]:
    """Weights choice → its label: each pretrained option the library offers, then untrained."""
    options = {f"{PRETRAINED}:{o.name}": f"pretrained: {o.name} ({o.dataset})" for o in weights_options(spec)}
    return {**options, UNTRAINED: "untrained (random initialization)"}


def default_weights(spec: ModelSpec) -> str:
    """Pretrained where the library offers weights, else untrained."""
    return default_choice(spec)


def channels_last(spec: ModelSpec) -> bool:
    """Whether the model's stage outputs are (B, H, W, C), as the registry's CAM reshape says (Swin)."""
    return RESHAPES.get(spec.node) is _channels_last


def reads_digits(spec: ModelSpec) -> bool:
    """Whether the model ships weights trained on scikit-learn's handwritten digits (LeNet-5)."""
    return DIGITS_WEIGHTS in spec.weights
