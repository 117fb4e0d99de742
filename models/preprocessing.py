"""Exactly the preprocessing each model's weights expect: torchvision's `weights.transforms()`,
timm's resolved data config, or what a local model declares here."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

import torch
import torchvision
from PIL import Image
from torchvision.transforms import v2

from models.digits import BACKGROUND, FOREGROUND, not_a_digit, preprocess_digit
from models.registry import ModelSpec
from models.runtime import PRETRAINED

# Local ImageNet-style models (NiN, BN-Inception, ShuffleNet v1, Highway) have no published weights
# to define their input: they get torchvision's classic ImageNet recipe at their own input size —
# the short side resized to 256/224 of the crop, a centre crop, ImageNet mean and std.
IMAGENET_MEAN, IMAGENET_STD = (0.485, 0.456, 0.406), (0.229, 0.224, 0.225)
RESIZE_RATIO = 256 / 224


@dataclass(frozen=True)
class Preprocess:
    """An image → input tensor (C, H, W) function, with what the UI needs to show and undo it."""

    transform: Callable[[Image.Image], torch.Tensor]
    mean: tuple[float, ...]  # the input is (x - mean) / std of an image x in [0, 1]
    std: tuple[float, ...]
    description: str
    domain: str = "photos"  # what the input should show: "photos", or "digits" for LeNet-5
    # Why an image is outside that domain (None when it is inside); None: no check is known
    domain_check: Callable[[Image.Image], str | None] | None = None

    def __call__(self, image: Image.Image) -> torch.Tensor:
        return self.transform(image)

    def display(self, tensor: torch.Tensor) -> torch.Tensor:
        """The input tensor (C, H, W) back as an RGB image in [0, 1], (H, W, 3), for CAM overlays."""
        mean = torch.tensor(self.mean).view(-1, 1, 1)
        std = torch.tensor(self.std).view(-1, 1, 1)
        image = (tensor.detach().cpu() * std + mean).clamp(0, 1)
        return image.expand(3, -1, -1).permute(1, 2, 0)


def preprocess_for(spec: ModelSpec, weights: str | None = None) -> Preprocess:
    """The preprocessing of `spec` for a weights choice ('pretrained:<name>' or a bare option name);
    any other choice (untrained, a checkpoint) gets the default weights' preprocessing, which
    defines the input the architecture expects."""
    name = weights.removeprefix(f"{PRETRAINED}:") if weights else None
    return _preprocess(spec, name)


@functools.lru_cache(maxsize=64)
def _preprocess(spec: ModelSpec, name: str | None) -> Preprocess:
    if spec.source == "torchvision":
        enum = torchvision.models.get_model_weights(spec.builder)
        transform = (enum[name] if name in enum.__members__ else enum.DEFAULT).transforms()
        return Preprocess(transform, tuple(transform.mean), tuple(transform.std),
                          f"torchvision weights transforms: resize {transform.resize_size} "
                          f"({transform.interpolation.value}), centre crop {transform.crop_size}, "
                          f"mean {transform.mean}, std {transform.std}")
    if spec.source == "timm":
        import timm

        tag = name if name in spec.weights else timm.models.get_pretrained_cfg(spec.builder).tag
        config = timm.data.resolve_data_config(pretrained_cfg=timm.models.get_pretrained_cfg(f"{spec.builder}.{tag}").to_dict())
        return Preprocess(timm.data.create_transform(**config), tuple(config["mean"]), tuple(config["std"]),
                          f"timm data config ({tag}): {config['interpolation']} resize, centre crop "
                          f"{config['input_size'][-1]} (crop_pct {config['crop_pct']}), mean {config['mean']}, "
                          f"std {config['std']}")
    if spec.id == "lenet5":
        # Input = BACKGROUND + ink · (FOREGROUND - BACKGROUND), i.e. (ink - mean) / std with:
        span = FOREGROUND - BACKGROUND
        return Preprocess(lambda image: preprocess_digit(image)[0], (-BACKGROUND / span,), (1 / span,),
                          "digit: ink found against the paper, cropped, thin strokes thickened, fitted to 32×32, "
                          f"on-pixels counted per 4×4 block (8×8) like the training digits, upsampled, scaled to [{BACKGROUND}, "
                          f"{FOREGROUND}] (declared locally)", domain="digits", domain_check=not_a_digit)
    size, resize = spec.input_size, round(spec.input_size * RESIZE_RATIO)
    transform = v2.Compose([v2.Resize(resize, antialias=True), v2.CenterCrop(size), v2.PILToTensor(),
                            v2.ToDtype(torch.float32, scale=True), v2.Normalize(IMAGENET_MEAN, IMAGENET_STD)])
    return Preprocess(transform, IMAGENET_MEAN, IMAGENET_STD,
                      f"resize {resize} (bilinear), centre crop {size}, ImageNet mean {IMAGENET_MEAN}, "
                      f"std {IMAGENET_STD} (declared locally: no published weights)")
