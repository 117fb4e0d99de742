"""What excites a channel: the inputs of a set that give it the highest mean activation (top 9, as
in the Deep Visualization Toolbox). For a model trained on digits, over scikit-learn's 1,797 digits,
computed once per weights and cached on disk beside the analysis cache."""

from __future__ import annotations

import functools
import hashlib
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from models import hook_guard
from models.analysis import cache_dir
from models.inside.adapter import BuiltModel, channels_last, private_copy
from models.inside.capture import as_maps

TOP = 9
BATCH = 512


@dataclass(frozen=True)
class Exciting:
    """For each channel of a layer, the indices of its top inputs in the set and their mean activations."""

    layer: str
    indices: np.ndarray  # (C, TOP), best first
    values: np.ndarray  # (C, TOP)


def channel_means(built: BuiltModel, inputs: torch.Tensor, layers: list[str], batch: int = BATCH) -> dict[str, np.ndarray]:
    """(N, C) mean activation of every channel of `layers` for each of the N inputs, on a private
    copy, `batch` inputs per forward."""
    model, last = private_copy(built.model), channels_last(built.spec)
    means: dict[str, list[torch.Tensor]] = {name: [] for name in layers}

    def hook_for(name: str):
        def record(_module, _inputs, output) -> None:
            means[name].append(torch.stack([as_maps(o.float(), last)[0].mean(dim=(1, 2)) for o in output]).cpu())
        return record

    for name in layers:
        model.get_submodule(name).register_forward_hook(hook_for(name))
    with hook_guard.shared(), torch.inference_mode():
        for start in range(0, len(inputs), batch):
            model(inputs[start:start + batch].to(built.device, built.dtype))
    return {name: torch.cat(chunks).numpy() for name, chunks in means.items()}


def top_inputs(means: np.ndarray, layer: str, top: int = TOP) -> Exciting:
    """The `top` inputs per channel from (N, C) means."""
    order = np.argsort(-means, axis=0, kind="stable")[:top].T  # (C, top)
    return Exciting(layer, order, np.take_along_axis(means.T, order, axis=1))


_lock = threading.Lock()


def exciting_digits(built: BuiltModel, layers: list[str]) -> dict[str, Exciting]:
    """The top digits of scikit-learn's set for each channel of `layers`, from the disk cache when
    these exact weights were ranked before."""
    path = _cache_path(built, layers)
    with _lock:
        try:
            with np.load(path) as stored:
                return {name: top_inputs(stored[name], name) for name in layers}
        except (OSError, KeyError, ValueError):
            pass
        means = channel_means(built, _digits(), layers)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_suffix(f".{os.getpid()}.tmp.npz")
            np.savez(temporary, **means)
            temporary.replace(path)
        except OSError:
            pass  # a read-only home only costs the next launch a recount
        return {name: top_inputs(means[name], name) for name in layers}


def digit_inputs(indices: np.ndarray) -> torch.Tensor:
    """The model inputs (n, 1, 32, 32) of scikit-learn's digits at `indices`."""
    return _digits()[torch.as_tensor(indices)]


@functools.lru_cache(maxsize=1)
def _digits() -> torch.Tensor:
    from models.prediction.digits import digits_dataset

    return digits_dataset()[0]


def _cache_path(built: BuiltModel, layers: list[str]) -> Path:
    """One file per (model, weights' bytes, layers): other weights or layers are ranked afresh."""
    digest = hashlib.sha1("|".join(layers).encode())
    for tensor in built.model.state_dict().values():
        digest.update(tensor.detach().cpu().numpy().tobytes())
    return cache_dir().parent / "inside" / f"{built.spec.id}-digits-{digest.hexdigest()[:16]}.npz"
