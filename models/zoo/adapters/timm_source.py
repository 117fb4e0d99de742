"""timm's models: built by name, weights options from its pretrained configs (tags are keys),
weights on the Hugging Face hub. timm is imported only when a timm model is asked about."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import TYPE_CHECKING

import torch
from torch import nn

from models.prediction.preprocessing import Preprocess, timm_preprocess
from models.zoo.options import WeightsOption

if TYPE_CHECKING:
    from models.zoo.spec import ModelSpec

SOURCE = "timm"
HF_ENDPOINT = "https://huggingface.co"


def build(spec: ModelSpec) -> nn.Module:
    """timm.create_model with random weights."""
    import timm

    return timm.create_model(spec.builder, pretrained=False, **dict(spec.builder_kwargs))


def input_size(spec: ModelSpec) -> int:
    """The input size of the default pretrained config."""
    import timm

    return int(timm.models.get_pretrained_cfg(spec.builder).input_size[-1])


@functools.lru_cache(maxsize=None)
def weights_options(spec: ModelSpec) -> tuple[WeightsOption, ...]:
    """The tags whose head and input fit the model as built, the default tag first."""
    import timm

    default = timm.models.get_pretrained_cfg(spec.builder).tag
    tags = [name.split(".", 1)[1] for name in timm.list_pretrained(f"{spec.builder}.*")]
    configs = {tag: timm.models.get_pretrained_cfg(f"{spec.builder}.{tag}") for tag in tags}
    fitting = [tag for tag, cfg in configs.items()
               if cfg.num_classes == spec.num_classes and cfg.input_size[-1] == spec.input_size]
    return tuple(_option(spec, tag, configs[tag]) for tag in sorted(fitting, key=lambda tag: tag != default))


def _option(spec: ModelSpec, tag: str, cfg) -> WeightsOption:
    pretrained_on = " (pre-trained on ImageNet-21K)" if re.search(r"in2[12]k", tag) else ""
    return WeightsOption(
        name=tag, source=SOURCE, dataset=f"ImageNet-1K{pretrained_on}", metrics={}, file_size_mb=None,
        license=cfg.license or "not in timm's metadata", recipe=cfg.origin_url or "not in timm's metadata",
        url=f"{HF_ENDPOINT}/{cfg.hf_hub_id}" if cfg.hf_hub_id else cfg.url,
        file_name=f"{spec.builder}.{tag}.safetensors", categories=_categories(cfg),
        make_preprocess=lambda: timm_preprocess(cfg.to_dict(), tag), hf_hub_id=cfg.hf_hub_id)


def _categories(cfg) -> tuple[str, ...]:
    from timm.data import ImageNetInfo, infer_imagenet_subset

    if cfg.label_names:
        return tuple(cfg.label_names)
    subset = infer_imagenet_subset(cfg)
    if subset:
        return tuple(ImageNetInfo(subset).label_descriptions())
    return tuple(f"class {i}" for i in range(cfg.num_classes))


def untrained_preprocess(spec: ModelSpec) -> Preprocess:
    """The default tag's data config: it defines the input the architecture expects."""
    import timm

    cfg = timm.models.get_pretrained_cfg(spec.builder)
    return timm_preprocess(cfg.to_dict(), cfg.tag)


def example_inputs(spec: ModelSpec, device: str | torch.device) -> tuple[torch.Tensor, ...]:
    """Every timm model here classifies images."""
    raise TypeError(f"{spec.id} is an image model: use its input size.")


def source_files(spec: ModelSpec) -> tuple[Path, ...]:
    """None of ours: the library's version keys the cache."""
    return ()
