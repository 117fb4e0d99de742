"""Exactly the preprocessing a model's weights expect, as one `Preprocess` value: torchvision's
`weights.transforms()`, timm's resolved data config, the classic ImageNet recipe for a local model
without published weights, or LeNet-5's digit preparation. The adapters pick which."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import torch
from PIL import Image
from torchvision.transforms import v2

from lineage.text import Text

IMAGENET_MEAN, IMAGENET_STD = (0.485, 0.456, 0.406), (0.229, 0.224, 0.225)
RESIZE_RATIO = 256 / 224  # torchvision's classic recipe: the short side resized to 256/224 of the crop


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


def torchvision_preprocess(transform) -> Preprocess:
    """A torchvision weights' `transforms()` (an ImageClassification preset), described."""
    return Preprocess(transform, tuple(transform.mean), tuple(transform.std),
                      Text("torchvision weights transforms: resize {resize} ({interpolation}), centre crop {crop}, "
                           "mean {mean}, std {std}", resize=transform.resize_size,
                           interpolation=transform.interpolation.value, crop=transform.crop_size, mean=transform.mean,
                           std=transform.std))


def timm_preprocess(pretrained_cfg: dict, tag: str) -> Preprocess:
    """timm's eval transform for a pretrained config, as `timm.data.create_transform` builds it."""
    import timm.data

    config = timm.data.resolve_data_config(pretrained_cfg=pretrained_cfg)
    return Preprocess(timm.data.create_transform(**config), tuple(config["mean"]), tuple(config["std"]),
                      Text("timm data config ({tag}): {interpolation} resize, centre crop {crop} (crop_pct {crop_pct}), "
                           "mean {mean}, std {std}", tag=tag, interpolation=config["interpolation"],
                           crop=config["input_size"][-1], crop_pct=config["crop_pct"], mean=config["mean"],
                           std=config["std"]))


def imagenet_preprocess(size: int) -> Preprocess:
    """torchvision's classic ImageNet recipe at `size`, for local models with no published weights
    to define their input (NiN, BN-Inception, ShuffleNet v1, Highway)."""
    resize = round(size * RESIZE_RATIO)
    transform = v2.Compose([v2.Resize(resize, antialias=True), v2.CenterCrop(size), v2.PILToTensor(),
                            v2.ToDtype(torch.float32, scale=True), v2.Normalize(IMAGENET_MEAN, IMAGENET_STD)])
    return Preprocess(transform, IMAGENET_MEAN, IMAGENET_STD,
                      Text("resize {resize} (bilinear), centre crop {size}, ImageNet mean {mean}, std {std} (declared "
                           "locally: no published weights)", resize=resize, size=size, mean=IMAGENET_MEAN,
                           std=IMAGENET_STD))


def digit_preprocess() -> Preprocess:
    """LeNet-5's digit preparation (models.prediction.digits), the same for its shipped weights and untrained."""
    from models.prediction.digits import BACKGROUND, FOREGROUND, not_a_digit, preprocess_digit

    span = FOREGROUND - BACKGROUND  # input = BACKGROUND + ink · span, i.e. (ink - mean) / std with:
    return Preprocess(lambda image: preprocess_digit(image)[0], (-BACKGROUND / span,), (1 / span,),
                      Text("digit: ink found against the paper, cropped, thin strokes thickened, fitted to 32×32, "
                           "on-pixels counted per 4×4 block (8×8) like the training digits, upsampled, scaled to "
                           "[{low}, {high}] (declared locally)", low=BACKGROUND, high=FOREGROUND),
                      domain="digits", domain_check=not_a_digit)
