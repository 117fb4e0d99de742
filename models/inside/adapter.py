"""The one place where `models.inside` meets the rest of the models package (weights choice,
building, the private copy of CAM), so a change of those APIs is ported here alone."""

from __future__ import annotations

import torch
from PIL import Image
from torch import nn

from models.prediction.cam import _private_copy
from models.prediction.loading import default_choice, load_for_prediction
from models.prediction.preprocessing import Preprocess
from models.registry import ModelSpec, get_spec
from models.runtime import BuiltModel, ModelTooLargeError
from models.weights import UNTRAINED, Progress, WeightsChoice, parse_choice
from models.zoo.adapters.torchvision_source import channels_last as channels_last_reshape

__all__ = ["UNTRAINED", "BuiltModel", "ModelTooLargeError", "ModelSpec", "WeightsChoice", "get_spec", "private_copy",
           "load", "input_tensor", "weights_from_text", "default_weights", "channels_last",
           "reads_digits"]


def private_copy(model: nn.Module) -> nn.Module:
    """This call's own module tree, sharing the cached model's tensors (hooks go here, never there)."""
    return _private_copy(model)


def load(spec: ModelSpec, weights: WeightsChoice | None, device: str = "cpu",
         progress: Progress | None = None) -> tuple[BuiltModel, str | None]:
    """The shared cached model for a weights choice (default: pretrained where offered) and, when
    pretrained weights could not be had, the untrained one and why; `progress` hears a download."""
    return load_for_prediction(spec, device, weights or default_choice(spec), progress)


def input_tensor(built: BuiltModel, image: Image.Image, prep: Preprocess | None = None) -> torch.Tensor:
    """One image as a batch of one on the model's device and dtype (the weights' own preprocessing)."""
    return (prep or built.preprocess)(image).unsqueeze(0).to(built.device, built.dtype)


def weights_from_text(text: str | None) -> WeightsChoice | None:
    """A command line's 'pretrained[:NAME]' or 'untrained' as a choice (None: the default);
    anything else is refused with the forms it takes."""
    if text is None:
        return None
    choice = parse_choice(text)
    if choice is None:
        raise ValueError(f"--weights takes pretrained, pretrained:NAME or untrained, not '{text}'")
    return choice


def default_weights(spec: ModelSpec) -> WeightsChoice:
    """Pretrained where the library offers weights, else untrained."""
    return default_choice(spec)


def channels_last(spec: ModelSpec) -> bool:
    """Whether the model's stage outputs are (B, H, W, C), as the registry's CAM reshape says (Swin)."""
    return spec.cam_reshape is channels_last_reshape


def reads_digits(spec: ModelSpec) -> bool:
    """Whether the model reads handwritten digits (LeNet-5), as its registry entry says."""
    return spec.digits
