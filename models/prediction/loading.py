"""One place that turns a weights choice into a model ready to predict, for the CLI and the UI.

Pretrained weights that cannot be had give the untrained model *and* the reason, so callers must
show it: the fallback is never silent.
"""

from __future__ import annotations

from lineage.text import message_of
from models.registry import ModelSpec
from models.runtime import BuiltModel, build_model
from models.weights import (PRETRAINED, UNTRAINED, Progress, WeightsChoice, WeightsUnavailableError,
                            weights_options)


def default_choice(spec: ModelSpec) -> WeightsChoice:
    """The default pretrained option where the library (or the app) offers one, else untrained."""
    return PRETRAINED if weights_options(spec) else UNTRAINED


def load_for_prediction(spec: ModelSpec, device: str, choice: WeightsChoice,
                        progress: Progress | None = None) -> tuple[BuiltModel, str | None]:
    """(model, warning): the model for the choice, or the untrained one and why pretrained weights
    cannot be had; `progress` hears about a download. A choice the model does not offer is an error
    (UnknownWeightsError), and so is a checkpoint that is refused or does not fit (CheckpointError)."""
    try:
        return build_model(spec.id, device, choice, progress), None
    except WeightsUnavailableError as error:
        return build_model(spec.id, device, UNTRAINED), message_of(error)
