"""A model's natural stages and the layers it offers maps for, derived from its module tree.

Output shapes come from one forward on the meta device (no memory, no weights). The stages start
at the top-level children; while fewer than three of them carry weights, the one holding the most
weights is opened up (AlexNet's `features` becomes its five convolutions, ViT's `encoder` its
blocks). Normalisation layers and weightless layers (ReLU, pooling) are never stages, and only
layers with a spatial map or a token sequence as output are offered.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import torch
from torch import nn

from lineage.text import Text

from models import hook_guard
from models.inside.adapter import ModelSpec, get_spec

MIN_STAGES = 3
NORMS = (nn.modules.batchnorm._NormBase, nn.LayerNorm, nn.GroupNorm, nn.LocalResponseNorm)


class UnknownLayerError(ValueError):
    """A layer name the model does not offer maps for."""


@dataclass(frozen=True)
class Layers:
    """The layers of a model with maps: natural stages first, then every other one, with output shapes."""

    stages: tuple[str, ...]
    shapes: dict[str, tuple[int, ...]]

    @property
    def offered(self) -> tuple[str, ...]:
        """Stages first, then the other layers in forward order."""
        return self.stages + tuple(name for name in self.shapes if name not in self.stages)

    def check(self, layer: str) -> str:
        """`layer` itself, or UnknownLayerError naming a few layers it does offer."""
        if layer not in self.shapes:
            raise UnknownLayerError(Text("Unknown layer '{layer}'; its stages are {stages} (list every layer with "
                                         "--list-layers).", layer=layer, stages=", ".join(self.stages)))
        return layer


def layers_of(model_id: str) -> Layers:
    """The layers `model_id` offers maps for (cached: derived once per model)."""
    return _layers(get_spec(model_id).id)


@functools.lru_cache(maxsize=None)
def _layers(model_id: str) -> Layers:
    spec = get_spec(model_id)
    if spec.kind != "image":
        raise ValueError(f"{spec.name} is not an image model: it has no maps of an image to show.")
    model = spec.build("meta")
    shapes = _map_shapes(model, spec)
    return Layers(natural_stages(model, shapes), shapes)


def _map_shapes(model: nn.Module, spec: ModelSpec) -> dict[str, tuple[int, ...]]:
    """Output shape (without the batch) of every module whose output is a map or tokens, in forward order."""
    shapes: dict[str, tuple[int, ...]] = {}

    def recorder(name: str):
        def record(_module, _inputs, output) -> None:
            if isinstance(output, torch.Tensor) and output.dim() in (3, 4) and name not in shapes:
                shapes[name] = tuple(output.shape[1:])
        return record

    handles = [module.register_forward_hook(recorder(name)) for name, module in model.named_modules() if name]
    try:
        with hook_guard.shared(), torch.no_grad():
            model(*spec.example_inputs(device="meta"))
    finally:
        for handle in handles:
            handle.remove()
    return shapes


def natural_stages(model: nn.Module, shapes: dict[str, tuple[int, ...]]) -> tuple[str, ...]:
    """The weighted, mapped modules at the shallowest level that has at least MIN_STAGES of them."""
    modules = dict(model.named_modules())
    level = [name for name, _ in model.named_children()]
    while True:
        stages = [name for name in level if name in shapes and _is_stage(modules[name])]
        openable = [name for name in stages if any(True for _ in modules[name].children())]
        if len(stages) >= MIN_STAGES or not openable:
            return tuple(stages)
        widest = max(openable, key=lambda name: _weights(modules[name]))
        at = level.index(widest)
        level[at:at + 1] = [f"{widest}.{child}" for child, _ in modules[widest].named_children()]


def _is_stage(module: nn.Module) -> bool:
    return not isinstance(module, NORMS) and _weights(module) > 0


def _weights(module: nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())
