"""Exactly the preprocessing each model's weights expect: torchvision's `weights.transforms()`,
timm's resolved data config, or what a local model declares."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch
import torchvision
from PIL import Image
from torchvision.transforms import v2

from models.digits import preprocess_digit
from models.registry import ModelSpec

IMAGENET_MEAN, IMAGENET_STD = (0.485, 0.456, 0.406), (0.229, 0.224, 0.225)
RESIZE_RATIO = 256 / 224  # local ImageNet models: resize the short side to 256/224 of the crop, as torchvision


@dataclass(frozen=True)
class Preprocess:
    """An image → input tensor (C, H, W) function, with what the UI needs to show and undo it."""

    transform: Callable[[Image.Image], torch.Tensor]
    mean: tuple[float, ...]
    std: tuple[float, ...]
    description: str

    def __call__(self, image: Image.Image) -> torch.Tensor:
        return self.transform(image)

    def display(self, tensor: torch.Tensor) -> torch.Tensor:
        """The input tensor back in [0, 1] RGB (H, W, 3), for overlays."""
        mean = torch.tensor(self.mean).view(-1, 1, 1)
        std = torch.tensor(self.std).view(-1, 1, 1)
        image = (tensor.detach().cpu() * std + mean).clamp(0, 1)
        return image.expand(3, -1, -1).permute(1, 2, 0)


def preprocess_for(spec: ModelSpec, weights_name: str | None = None) -> Preprocess:
    """The preprocessing of `spec` with the named weights (the library default when None)."""
    if spec.source == "torchvision":
        enum = torchvision.models.get_model_weights(spec.builder)
        transform = (enum[weights_name] if weights_name in enum.__members__ else enum.DEFAULT).transforms()
        return Preprocess(transform, tuple(transform.mean), tuple(transform.std), _describe(transform))
    if spec.source == "timm":
        import timm

        tag = weights_name or spec.weights[0]
        config = timm.data.resolve_data_config(pretrained_cfg=timm.models.get_pretrained_cfg(f"{spec.builder}.{tag}").to_dict())
        transform = timm.data.create_transform(**config)
        return Preprocess(transform, tuple(config["mean"]), tuple(config["std"]),
                          f"timm data config: {config['interpolation']} resize, crop {config['input_size'][-1]} "
                          f"(crop_pct {config['crop_pct']}), mean {config['mean']}, std {config['std']}")
    if spec.id == "lenet5":
        from models.digits import BACKGROUND, FOREGROUND

        return Preprocess(lambda image: preprocess_digit(image)[0], (BACKGROUND,), (FOREGROUND - BACKGROUND,),
                          "digit: ink found and cropped, fitted to 32×32, 4×4 block-averaged to 8×8 like the "
                          "training digits, upsampled and scaled to [-0.1, 1.175]")
    size = spec.input_size
    transform = v2.Compose([v2.Resize(round(size * RESIZE_RATIO), antialias=True), v2.CenterCrop(size),
                            v2.PILToTensor(), v2.ToDtype(torch.float32, scale=True),
                            v2.Normalize(IMAGENET_MEAN, IMAGENET_STD)])
    return Preprocess(transform, IMAGENET_MEAN, IMAGENET_STD,
                      f"resize {round(size * RESIZE_RATIO)}, centre crop {size}, ImageNet mean/std (declared locally)")


def _describe(transform) -> str:
    return (f"torchvision weights transforms: resize {transform.resize_size}, crop {transform.crop_size}, "
            f"{transform.interpolation.value}, mean {transform.mean}, std {transform.std}")
