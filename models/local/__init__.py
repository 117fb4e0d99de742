"""Local implementations of networks neither torchvision nor timm provides, each checked
against its paper (tests/unit/test_local_models.py). The local adapter reads these tables."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from torch import nn

from models.local import (bn_inception, highway, lenet5, nin, shufflenet_v1, stochastic_depth, transformer,
                          zfnet)

BUILDERS: dict[str, Callable[..., nn.Module]] = {
    "lenet5": lenet5.lenet5,
    "nin": nin.nin,
    "bn_inception": bn_inception.bn_inception,
    "highway_cifar": highway.highway_cifar,
    "shufflenet_v1_g3": shufflenet_v1.shufflenet_v1_g3,
    "transformer_base": transformer.transformer_base,
    "zfnet": zfnet.zfnet,
    "resnet110_stochastic_depth": stochastic_depth.resnet110_stochastic_depth,
}
# Weights shipped inside the project (models/weights/), by builder: LeNet-5 trained on sklearn digits.
SHIPPED_DIR = Path(__file__).resolve().parents[1] / "weights"
SHIPPED_WEIGHTS: dict[str, tuple[str, ...]] = {"lenet5": ("digits",)}
