"""Read a user's checkpoint without running any code from it, and check it fits a model.

`.safetensors` holds tensors only; `.pt`/`.pth` files are unpickled with
`torch.load(..., weights_only=True)`, which refuses any object that is not a tensor or plain
container, so a pickled model or a malicious payload is refused instead of executed.
"""

from __future__ import annotations

import io
import pickle
from collections.abc import Mapping
from dataclasses import dataclass

import torch
from torch import nn

MAX_BYTES = 2 * 2**30
WRAPPER_KEYS = ("state_dict", "model_state_dict", "model", "module", "net")
PREFIXES = ("module.", "_orig_mod.")


class CheckpointError(ValueError):
    """The checkpoint cannot be used; the message says why in a sentence."""


@dataclass(frozen=True)
class LoadReport:
    """How a state dict compares with a model's own parameters and buffers."""

    missing: tuple[str, ...]
    unexpected: tuple[str, ...]
    mismatched: tuple[tuple[str, tuple[int, ...], tuple[int, ...]], ...]

    @property
    def ok(self) -> bool:
        return not (self.missing or self.unexpected or self.mismatched)

    def describe(self, limit: int = 5) -> str:
        """The problems, a few of each kind, readable in one paragraph."""
        parts = []
        for title, items in (("missing", self.missing), ("unexpected", self.unexpected)):
            if items:
                parts.append(f"{len(items)} {title} key(s): {_first(items, limit)}")
        if self.mismatched:
            shown = [f"{k} (model {list(e)}, file {list(g)})" for k, e, g in self.mismatched]
            parts.append(f"{len(shown)} shape mismatch(es): {_first(shown, limit)}")
        return "; ".join(parts) or "all keys and shapes match"


def _first(items, limit: int) -> str:
    more = f" … and {len(items) - limit} more" if len(items) > limit else ""
    return ", ".join(items[:limit]) + more


def read_state_dict(data: bytes, filename: str) -> dict[str, torch.Tensor]:
    """A flat name → tensor mapping from checkpoint bytes; never unpickles arbitrary objects."""
    if not data:
        raise CheckpointError(f"{filename} is empty.")
    if len(data) > MAX_BYTES:
        raise CheckpointError(f"{filename} is larger than {MAX_BYTES // 2**30} GB.")
    if filename.lower().endswith(".safetensors") or _looks_like_safetensors(data):
        raw = _read_safetensors(data, filename)
    else:
        raw = _read_torch(data, filename)
    return _flatten(raw, filename)


def _looks_like_safetensors(data: bytes) -> bool:
    header_length = int.from_bytes(data[:8], "little") if len(data) >= 8 else 0
    return 0 < header_length < len(data) and data[8:9] == b"{"


def _read_safetensors(data: bytes, filename: str) -> dict:
    from safetensors.torch import load

    try:
        return load(data)
    except Exception as error:  # safetensors raises its own SafetensorError for any malformed file
        raise CheckpointError(f"{filename} is not a valid safetensors file ({error}).") from error


def _read_torch(data: bytes, filename: str) -> object:
    try:
        return torch.load(io.BytesIO(data), map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as error:
        raise CheckpointError(
            f"{filename} was refused: it contains Python objects or code, not only tensors (a pickled "
            "model or a malicious payload). Save a state_dict, ideally as .safetensors."
        ) from error
    except (RuntimeError, EOFError, ValueError, OSError, KeyError) as error:
        raise CheckpointError(f"{filename} is not a PyTorch checkpoint this app can read ({error}).") from error


def _flatten(raw: object, filename: str) -> dict[str, torch.Tensor]:
    for _ in range(2):  # unwrap {"state_dict": {...}} or {"model": {"state_dict": ...}}
        if isinstance(raw, Mapping) and not _is_tensor_map(raw):
            inner = next((raw[k] for k in WRAPPER_KEYS if isinstance(raw.get(k), Mapping)), None)
            if inner is None:
                break
            raw = inner
    if not isinstance(raw, Mapping) or not raw or not _is_tensor_map(raw):
        raise CheckpointError(f"{filename} does not hold a state dict (a mapping of parameter names to tensors).")
    state = {}
    for key, tensor in raw.items():
        for prefix in PREFIXES:
            key = key[len(prefix):] if key.startswith(prefix) else key
        state[key] = tensor
    return state


def _is_tensor_map(raw: Mapping) -> bool:
    return all(isinstance(k, str) and isinstance(v, torch.Tensor) for k, v in raw.items())


def check_compatible(model: nn.Module, state_dict: Mapping[str, torch.Tensor]) -> LoadReport:
    """Compare names and shapes with the model's state dict (works on the meta device too)."""
    expected = model.state_dict()
    mismatched = tuple(
        (k, tuple(expected[k].shape), tuple(v.shape))
        for k, v in state_dict.items() if k in expected and tuple(expected[k].shape) != tuple(v.shape)
    )
    return LoadReport(
        missing=tuple(k for k in expected if k not in state_dict),
        unexpected=tuple(k for k in state_dict if k not in expected),
        mismatched=mismatched,
    )


def load_into(model: nn.Module, state_dict: Mapping[str, torch.Tensor]) -> LoadReport:
    """Load strictly into `model` — always a fresh copy, never a shared cached model."""
    report = check_compatible(model, state_dict)
    if not report.ok:
        raise CheckpointError(f"This checkpoint does not fit {type(model).__name__}: {report.describe()}.")
    model.load_state_dict(state_dict, strict=True)
    return report
