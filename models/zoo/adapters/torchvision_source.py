"""torchvision's models: built by name, weights options from its weights enums (url, transforms,
categories and meta in one `Weights` object), plus the few things its builders do to a
pretrained file, as named functions the registry entries refer to."""

from __future__ import annotations

import functools
import re
import urllib.parse
from pathlib import Path
from typing import TYPE_CHECKING

import torch
import torchvision
from torch import nn

from models.prediction.preprocessing import Preprocess, torchvision_preprocess
from models.zoo.options import WeightsOption

if TYPE_CHECKING:
    from models.zoo.spec import ModelSpec

SOURCE = "torchvision"
# densenet._load_state_dict renames the old key names of its files ('norm.1') with this pattern.
DENSENET_OLD_KEY = re.compile(r"^(.*denselayer\d+\.(?:norm|relu|conv))\.((?:[12])\.(?:weight|bias|running_mean|running_var))$")


def build(spec: ModelSpec) -> nn.Module:
    """torchvision.models.get_model with random weights."""
    return torchvision.models.get_model(spec.builder, weights=None, **dict(spec.builder_kwargs))


def input_size(spec: ModelSpec) -> int:
    """The centre crop of the default weights' transforms."""
    return int(torchvision.models.get_model_weights(spec.builder).DEFAULT.transforms().crop_size[0])


@functools.lru_cache(maxsize=None)
def weights_options(spec: ModelSpec) -> tuple[WeightsOption, ...]:
    """The enum's members that load into the model as built, DEFAULT first. Left out: weights that
    are no classifier (VGG-16's IMAGENET1K_FEATURES has no categories) and weights made for another
    input size (ViT's SWAG end-to-end at 384/512 px, for which the builder makes another ViT)."""
    enum = torchvision.models.get_model_weights(spec.builder)
    offered = [w for w in enum if w.meta["categories"] and w.transforms().crop_size[0] == spec.input_size]
    return tuple(_option(w) for w in sorted(offered, key=lambda w: w is not enum.DEFAULT))


def _option(weights) -> WeightsOption:
    meta = weights.meta
    dataset, metrics = next(iter(meta.get("_metrics", {"not in torchvision's metadata": {}}).items()))
    file_name = Path(urllib.parse.urlparse(weights.url).path).name
    hashed = torch.hub.HASH_REGEX.search(file_name)
    return WeightsOption(
        name=weights.name, source=SOURCE, dataset=dataset, metrics=dict(metrics), file_size_mb=meta.get("_file_size"),
        license=meta.get("license", "not in torchvision's metadata"), recipe=meta.get("recipe", ""),
        url=weights.url, file_name=file_name, categories=tuple(meta["categories"]),
        make_preprocess=lambda: torchvision_preprocess(weights.transforms()),
        hash_prefix=hashed.group(1) if hashed else None)


def untrained_preprocess(spec: ModelSpec) -> Preprocess:
    """The default weights' transforms: they define the input the architecture expects."""
    return torchvision_preprocess(torchvision.models.get_model_weights(spec.builder).DEFAULT.transforms())


def example_inputs(spec: ModelSpec, device: str | torch.device) -> tuple[torch.Tensor, ...]:
    """Every torchvision model here classifies images."""
    raise TypeError(f"{spec.id} is an image model: use its input size.")


def source_files(spec: ModelSpec) -> tuple[Path, ...]:
    """None of ours: the library's version keys the cache."""
    return ()


# --- what torchvision's builders do to pretrained files (read their sources) ---------------------

def rename_densenet_keys(state: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """DenseNet's files use old key names ('norm.1'); its builder renames them ('norm1')."""
    return {DENSENET_OLD_KEY.sub(r"\1\2", key): value for key, value in state.items()}


def drop_googlenet_aux_heads(state: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """GoogLeNet's file carries auxiliary heads its builder deletes when aux_logits=False."""
    return {key: value for key, value in state.items() if not key.startswith(("aux1.", "aux2."))}


TF_PORT_ATTRIBUTES = (("transform_input", True),)  # GoogLeNet and Inception-v3 were ported from TensorFlow


# --- CAM reshapes for torchvision's transformers --------------------------------------------------

def token_grid(tensor: torch.Tensor) -> torch.Tensor:
    """ViT tokens (B, 1 + N, C) → (B, C, √N, √N), dropping the class token."""
    tokens = tensor[:, 1:, :]
    side = int(tokens.shape[1] ** 0.5)
    return tokens.reshape(tokens.shape[0], side, side, tokens.shape[2]).permute(0, 3, 1, 2)


def channels_last(tensor: torch.Tensor) -> torch.Tensor:
    """Swin feature maps (B, H, W, C) → (B, C, H, W)."""
    return tensor.permute(0, 3, 1, 2)
