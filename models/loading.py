"""One place that turns a weights choice into a model ready to predict, for the CLI and the UI.

Pretrained weights that cannot be had give the untrained model *and* the reason, so callers must
show it: the fallback is never silent.
"""

from __future__ import annotations

from models.registry import ModelSpec
from models.runtime import PRETRAINED, UNTRAINED, BuiltModel, build_fresh, build_model
from models.weights import Progress, WeightsUnavailableError, from_checkpoint, weights_options


def default_choice(spec: ModelSpec) -> str:
    """'pretrained' where the library (or the app) offers weights, else 'untrained'."""
    return PRETRAINED if weights_options(spec) else UNTRAINED


def load_for_prediction(spec: ModelSpec, device: str, choice: str,
                        progress: Progress | None = None) -> tuple[BuiltModel, str | None]:
    """(model, warning): the shared model for the choice, or the untrained one and why; `progress`
    hears about a download of the weights. A choice the model does not offer is an error
    (UnknownWeightsError), not a fallback."""
    try:
        return build_model(spec.id, device, choice, progress), None
    except WeightsUnavailableError as error:
        return build_model(spec.id, device, UNTRAINED), str(error)


def load_checkpoint(spec: ModelSpec, device: str, data: bytes, filename: str) -> BuiltModel:
    """A private model with the user's checkpoint (CheckpointError when it is refused or does not fit)."""
    return build_fresh(spec, device, from_checkpoint(spec, data, filename))
