"""The small interface every source's adapter implements (a module per source: torchvision, timm,
local). Everything that depends on where a model comes from is answered here, nowhere else."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import torch
from torch import nn

if TYPE_CHECKING:
    from models.prediction.preprocessing import Preprocess
    from models.zoo.options import WeightsOption
    from models.zoo.spec import ModelSpec


class Adapter(Protocol):
    """What the zoo asks of a source."""

    SOURCE: str

    def build(self, spec: ModelSpec) -> nn.Module:
        """A fresh, randomly initialised model on the current default device."""

    def input_size(self, spec: ModelSpec) -> int:
        """The side of the square input the model is built for."""

    def weights_options(self, spec: ModelSpec) -> tuple[WeightsOption, ...]:
        """Every option that loads into the model as built, the library's default first."""

    def untrained_preprocess(self, spec: ModelSpec) -> Preprocess:
        """The input the architecture expects when no pretrained option defines it."""

    def example_inputs(self, spec: ModelSpec, device: str | torch.device) -> tuple[torch.Tensor, ...]:
        """A batch of one for a model that is not an image classifier."""

    def source_files(self, spec: ModelSpec) -> tuple[Path, ...]:
        """Our own code that defines the model (its edits invalidate cached analyses)."""
