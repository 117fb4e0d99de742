"""What one model is: a keyword-only, frozen `ModelSpec` holding every per-model fact (source,
builder, CAM layer and its reshape, special preprocessing, loading quirks, whether it reads
digits). What depends on the source is asked of its adapter (`models.zoo.adapters`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal

import torch
from torch import nn

from lineage.queries import UnknownIdError
from lineage.text import Text
from models.prediction.preprocessing import Preprocess
from models.zoo.adapters import Adapter, adapter_for

Source = Literal["torchvision", "timm", "local"]
StateFix = Callable[[dict[str, torch.Tensor]], dict[str, torch.Tensor]]


class UnknownModelError(UnknownIdError):
    """A model id that is not registered; the message suggests the closest ids (one wording for
    every unknown id, the lineage's)."""

    def __init__(self, model_id: str, known: list[str]) -> None:
        super().__init__("model", model_id, known)


@dataclass(frozen=True, kw_only=True)
class ModelSpec:
    """Where a model comes from, what it takes, and how faithful it is to its paper.

    `input_size` is read lazily from the adapter (the library's metadata or the local module), so
    importing the registry does not import timm.
    """

    id: str
    node: str  # the lineage node it belongs to
    name: str
    source: Source
    builder: str  # the library's model name, or the local builder's
    fidelity: str
    default: bool = False  # the model a click on its node opens (one per node with several models)
    kind: Literal["image", "sequence"] = "image"
    num_classes: int = 1000
    in_channels: int = 3
    builder_kwargs: tuple[tuple[str, Any], ...] = ()
    cam_layer: str | None = None  # the last layer with a spatial map (Grad-CAM's target)
    cam_reshape: Callable[[torch.Tensor], torch.Tensor] | None = None  # its output → (B, C, H, W)
    cam_note: str = ""
    aux_note: str = ""
    preprocess: Callable[[], Preprocess] | None = None  # the model's own, where its source's is not right
    digits: bool = False  # reads handwritten digits (not ImageNet photos)
    class_names: tuple[str, ...] = ()  # the head's classes when no weights option names them (Highway: CIFAR-10)
    # What the library's builder does to a pretrained file besides load_state_dict (key renames,
    # dropped heads) and the attributes it sets on the model; user checkpoints are taken as saved.
    state_fixes: tuple[StateFix, ...] = ()
    pretrained_attributes: tuple[tuple[str, object], ...] = ()

    @property
    def adapter(self) -> Adapter:
        """The module that knows this model's source."""
        return adapter_for(self.source)

    @cached_property
    def input_size(self) -> int | None:
        """Side of the square input: the crop of the library's own transforms (None for token models)."""
        return self.adapter.input_size(self) if self.kind == "image" else None

    def build(self, device: str | torch.device = "cpu") -> nn.Module:
        """A fresh model with random initialization, in eval mode, allocated directly on `device`."""
        with torch.device(device):
            model = self.adapter.build(self)
        return model.eval()

    def example_inputs(self, size: int | None = None, device: str | torch.device = "cpu") -> tuple[torch.Tensor, ...]:
        """A batch of one: a zero image of side `size` (default: the model's), or the adapter's tokens."""
        if self.kind == "sequence":
            return self.adapter.example_inputs(self, device)
        side = size or self.input_size
        return (torch.zeros(1, self.in_channels, side, side, device=device),)

    def describe_inputs(self, size: int | None = None) -> str:
        """That batch in words, e.g. '1×3×224×224 image' or '1×128 source + 1×128 target tokens'."""
        if self.kind == "sequence":
            source, target = self.example_inputs(device="meta")
            return Text("{source} source + {target} target tokens", source="×".join(map(str, source.shape)),
                        target="×".join(map(str, target.shape)))
        return Text("{shape} image", shape="×".join(map(str, self.example_inputs(size, "meta")[0].shape)))
