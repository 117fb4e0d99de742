"""The networks implemented here (models/local/), each checked against its paper; weights that
ship with the app (models/weights/) are its only pretrained options."""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import torch
from torch import nn

from models.local import BUILDERS, SHIPPED_DIR, SHIPPED_WEIGHTS
from models.prediction.preprocessing import Preprocess, imagenet_preprocess
from models.zoo.options import SHIPPED, WeightsOption

if TYPE_CHECKING:
    from models.zoo.spec import ModelSpec

SOURCE = "local"


def module_of(builder: str) -> ModuleType:
    """The module that defines a local builder (its INPUT_SIZE, CAM_LAYER, FIDELITY, source file)."""
    return sys.modules[BUILDERS[builder].__module__]


def build(spec: ModelSpec) -> nn.Module:
    """The local builder with random weights."""
    return BUILDERS[spec.builder](**dict(spec.builder_kwargs))


def input_size(spec: ModelSpec) -> int:
    """The module's INPUT_SIZE."""
    return int(module_of(spec.builder).INPUT_SIZE)


@functools.lru_cache(maxsize=None)
def weights_options(spec: ModelSpec) -> tuple[WeightsOption, ...]:
    """The files shipped for this builder, described by their training record."""
    return tuple(_shipped(spec, name) for name in SHIPPED_WEIGHTS.get(spec.builder, ()))


def _shipped(spec: ModelSpec, name: str) -> WeightsOption:
    record = json.loads((SHIPPED_DIR / f"{spec.builder}_{name}.json").read_text())
    path = SHIPPED_DIR / f"{spec.builder}_{name}.safetensors"
    return WeightsOption(
        name=name, source=SHIPPED, dataset=record["dataset"], metrics={"held-out acc@1": record["test_accuracy"] * 100},
        file_size_mb=round(path.stat().st_size / 2**20, 3), license="same as the app", recipe=record["command"],
        url=str(path), file_name=path.name, categories=tuple(record["classes"]),
        make_preprocess=lambda: untrained_preprocess(spec))


def untrained_preprocess(spec: ModelSpec) -> Preprocess:
    """The spec's own preprocessing (LeNet-5's digits), else the classic ImageNet recipe at its size."""
    return spec.preprocess() if spec.preprocess else imagenet_preprocess(spec.input_size)


def example_inputs(spec: ModelSpec, device: str | torch.device) -> tuple[torch.Tensor, ...]:
    """The module's own example batch (the Transformer's source and target tokens)."""
    return module_of(spec.builder).example_inputs(device=device)


def source_files(spec: ModelSpec) -> tuple[Path, ...]:
    """The module that implements the network."""
    return (Path(module_of(spec.builder).__file__),)
