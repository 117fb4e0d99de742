"""Weights, honestly: a model's options (one `WeightsOption` each, built by its source's adapter),
a user's typed choice, and that choice resolved to a state dict with its preprocessing, class
names and provenance — never a silent fallback (the caller decides whether to show an untrained
model, and must say so).

Every file is read by `models.prediction.checkpoints.read_state_dict` (safetensors, or `torch.load` with
`weights_only=True`), whether it came from a cache, a download or the user.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import torch
import torchvision
from torch import nn

from lineage.text import Text
from models.prediction.checkpoints import CheckpointError, load_into, read_state_dict
from models.local import SHIPPED_DIR
from models.prediction.preprocessing import Preprocess
from models.weights.choice import (PRETRAINED, UNTRAINED, UNTRAINED_LABEL, Checkpoint, Pretrained, Untrained,
                                   WeightsChoice, parse_choice)
from models.weights.hub import Progress, WeightsUnavailableError, fetch
from models.zoo.options import SHIPPED, WeightsOption
from models.zoo.spec import ModelSpec

__all__ = ["PRETRAINED", "SHIPPED", "SHIPPED_DIR", "UNTRAINED", "UNTRAINED_LABEL", "Checkpoint", "Pretrained",
           "Progress", "ResolvedWeights", "Untrained", "UnknownWeightsError", "WeightsChoice", "WeightsOption",
           "WeightsUnavailableError", "default_preprocess", "head_categories", "option_for", "parse_choice",
           "resolve", "weights_options"]


class UnknownWeightsError(ValueError):
    """A weights choice that the model does not offer."""


@dataclass(frozen=True)
class ResolvedWeights:
    """A state dict (None: random initialization), where it came from in words, the head's class
    names and the preprocessing its inputs need."""

    state_dict: dict[str, torch.Tensor] | None = field(repr=False)
    label: str
    categories: tuple[str, ...] = field(repr=False)
    trained: bool
    preprocess: Preprocess = field(repr=False)
    model_attributes: tuple[tuple[str, object], ...] = ()  # set on the model as the library's builder does

    def load_into(self, model: nn.Module) -> None:
        """Apply to a FRESH model (never a shared one): attributes, then a strict load. Files saved
        before PyTorch 0.4.1 (most of torchvision's) lack BatchNorm's `num_batches_tracked`
        counters, which `load_state_dict` itself fills in; they are filled in the same way here."""
        for name, value in self.model_attributes:
            setattr(model, name, value)
        if self.state_dict is not None:
            counters = {k: v for k, v in model.state_dict().items() if k.endswith(".num_batches_tracked")}
            load_into(model, {**counters, **self.state_dict})


def weights_options(spec: ModelSpec) -> list[WeightsOption]:
    """Every pretrained option of a model that loads into it as built, the default first: the one
    list `models list`, Inspect, Predict and the CLI offer (none for a sequence model)."""
    return list(spec.adapter.weights_options(spec)) if spec.kind == "image" else []


def option_for(spec: ModelSpec, choice: Pretrained) -> WeightsOption:
    """The option a pretrained choice names (its default when unnamed), or UnknownWeightsError."""
    options = weights_options(spec)
    if not options:
        raise UnknownWeightsError(f"{spec.name} has no pretrained weights (in {spec.source}); use untrained "
                                  "or a checkpoint.")
    option = next((o for o in options if o.name == choice.name), None) if choice.name else options[0]
    if option is None:
        raise UnknownWeightsError(f"{spec.name} offers no weights named '{choice.name}'; choose one of "
                                  f"{', '.join(o.name for o in options)}.")
    return option


def imagenet_categories() -> tuple[str, ...]:
    """The 1000 ImageNet-1k class names in the standard order both torchvision and timm heads use."""
    return tuple(torchvision.models.ResNet50_Weights.IMAGENET1K_V1.meta["categories"])


def head_categories(spec: ModelSpec) -> tuple[str, ...]:
    """The class names of a model's head whatever its weights: those of its default weights,
    ImageNet-1k for a 1000-way head without any, the classes the spec names (Highway's CIFAR-10),
    else 'class i' (none for a sequence model)."""
    if spec.kind != "image":
        return ()
    options = weights_options(spec)
    if options:
        return options[0].categories
    if spec.num_classes == 1000:
        return imagenet_categories()
    if len(spec.class_names) == spec.num_classes:
        return spec.class_names
    return tuple(f"class {i}" for i in range(spec.num_classes))


def default_preprocess(spec: ModelSpec) -> Preprocess | None:
    """The input the architecture expects without pretrained weights (untrained, a checkpoint): the
    model's own, or its source's default; None for a sequence model."""
    if spec.kind != "image":
        return None
    return spec.preprocess() if spec.preprocess else spec.adapter.untrained_preprocess(spec)


def resolve(spec: ModelSpec, choice: WeightsChoice, allow_download: bool = True,
            progress: Progress | None = None) -> ResolvedWeights:
    """Weights for a choice: pretrained ones from the local caches first, then a download (when
    allowed and online), else WeightsUnavailableError saying where it looked; a checkpoint is read
    without running code (CheckpointError when refused)."""
    if isinstance(choice, Untrained):
        return ResolvedWeights(None, UNTRAINED_LABEL, head_categories(spec), False, default_preprocess(spec))
    if isinstance(choice, Checkpoint):
        return ResolvedWeights(read_state_dict(choice.data, choice.filename), str(choice), head_categories(spec),
                               True, default_preprocess(spec))
    option = option_for(spec, choice)
    path, where = fetch(option, f"{spec.name} {option.name}", allow_download, progress)
    try:
        state = read_state_dict(path.read_bytes(), path.name)
    except (CheckpointError, OSError) as error:
        raise WeightsUnavailableError(f"The weights file {path} cannot be used ({error}). Delete it to download "
                                      "it again, or replace it.") from error
    for fix in spec.state_fixes:
        state = fix(state)
    return ResolvedWeights(state, Text("pretrained: {provenance} ({where})", provenance=option.provenance, where=Text(where)),
                           option.categories, True,
                           option.preprocess, spec.pretrained_attributes)
