"""Prepare a class before it starts: which default pretrained weights are in the local caches, and
fetching the missing ones (into the caches, or into a folder to carry to an offline classroom and
point LINEAGE_WEIGHTS_DIR at)."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from models.registry import REGISTRY, ModelSpec
from models.weights import PRETRAINED, Progress, option_for, weights_options
from models.weights.hub import OFFLINE_ENV, WeightsUnavailableError, fetch, is_online
from models.zoo.options import SHIPPED, WeightsOption


@dataclass(frozen=True)
class WeightsState:
    """A model's default pretrained weights and the local file that holds them (None: missing)."""

    spec: ModelSpec
    option: WeightsOption
    path: Path | None


def default_weights(ids: list[str] | None = None) -> list[tuple[ModelSpec, WeightsOption]]:
    """The default pretrained option of each model (every model that has one when `ids` is None)."""
    specs = [REGISTRY[i] for i in ids] if ids is not None else list(REGISTRY.values())
    return [(spec, option_for(spec, PRETRAINED)) for spec in specs if ids is not None or weights_options(spec)]


def weights_state(ids: list[str] | None = None) -> list[WeightsState]:
    """Where each default file is found now, without downloading anything."""
    states = []
    for spec, option in default_weights(ids):
        try:
            path = fetch(option, spec.name, allow_download=False)[0]
        except WeightsUnavailableError:
            path = None
        states.append(WeightsState(spec, option, path))
    return states


def can_download(option: WeightsOption) -> bool:
    """Downloads are on and the option's host answers."""
    return os.environ.get(OFFLINE_ENV) != "1" and is_online(option.url)


def prefetch(state: WeightsState, to: Path | None = None, progress: Progress | None = None) -> Path:
    """The file, downloaded into the caches if missing, and copied under its cache name into `to`."""
    path = state.path or fetch(state.option, state.spec.name, progress=progress)[0]
    if to is None or state.option.source == SHIPPED:
        return path
    to.mkdir(parents=True, exist_ok=True)
    target = to / state.option.file_name
    if not target.is_file():
        shutil.copyfile(path, target)
    return target
