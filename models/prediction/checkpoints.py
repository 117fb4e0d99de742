"""Read a user's checkpoint without running any code from it, and check it fits a model.

`.safetensors` holds tensors only; PyTorch files are unpickled with
`torch.load(..., weights_only=True)`, which refuses any object that is not a tensor or plain
container, so a pickled model or a malicious payload is refused instead of executed.
"""

from __future__ import annotations

import io
import pickle
import re
from collections.abc import Mapping
from dataclasses import dataclass

import torch
from torch import nn

MAX_BYTES = 2 * 2**30
WRAPPER_KEYS = ("state_dict", "model_state_dict", "model", "module")  # Lightning, training loops, DeepSpeed
PREFIXES = ("module.", "_orig_mod.")  # added by DataParallel/DDP and by torch.compile
TORCH_MAGIC = (b"PK\x03\x04", b"\x80")  # torch.save's zip archive; its legacy format (pickle protocol 2)


class CheckpointError(ValueError):
    """The checkpoint cannot be used; the message says why in a sentence."""


@dataclass(frozen=True)
class LoadReport:
    """How a state dict compares with a model's own parameters and buffers."""

    missing: tuple[str, ...]
    unexpected: tuple[str, ...]
    mismatched: tuple[tuple[str, tuple[int, ...], tuple[int, ...]], ...]  # (key, model's shape, file's shape)

    @property
    def ok(self) -> bool:
        """True when every key is present, none is extra and every shape matches."""
        return not (self.missing or self.unexpected or self.mismatched)

    def describe(self, limit: int = 5) -> str:
        """The problems, at most `limit` of each kind, in one readable line."""
        parts = [f"{len(keys)} {kind} key(s): {_first(keys, limit)}"
                 for kind, keys in (("missing", self.missing), ("unexpected", self.unexpected)) if keys]
        if self.mismatched:
            shapes = [f"{key} (model {list(want)}, file {list(got)})" for key, want, got in self.mismatched]
            parts.append(f"{len(shapes)} shape mismatch(es): {_first(shapes, limit)}")
        return "; ".join(parts) or "all keys and shapes match"


def _first(items: list[str] | tuple[str, ...], limit: int) -> str:
    more = f" … and {len(items) - limit} more" if len(items) > limit else ""
    return ", ".join(items[:limit]) + more


def read_state_dict(data: bytes, filename: str) -> dict[str, torch.Tensor]:
    """A flat name → tensor mapping from checkpoint bytes; never unpickles arbitrary objects."""
    if not data:
        raise CheckpointError(f"{filename} is empty (0 bytes).")
    if len(data) > MAX_BYTES:
        raise CheckpointError(f"{filename} is {len(data) / 2**30:.1f} GB; the limit is {MAX_BYTES // 2**30} GB.")
    if filename.lower().endswith(".safetensors") or _looks_like_safetensors(data):
        raw = _read_safetensors(data, filename)
    elif data.startswith(TORCH_MAGIC):
        raw = _read_torch(data, filename)
    else:
        raise CheckpointError(f"{filename} is neither a safetensors file nor a PyTorch checkpoint "
                              "(.pt, .pth, .bin, .ckpt).")
    return _strip_prefixes(_unwrap(raw, filename))


def _looks_like_safetensors(data: bytes) -> bool:
    """A safetensors file: an 8-byte little-endian header length, then a JSON header."""
    header_length = int.from_bytes(data[:8], "little")
    return len(data) >= 10 and 8 + header_length <= len(data) and data[8:9] == b"{"


def _read_safetensors(data: bytes, filename: str) -> dict[str, torch.Tensor]:
    from safetensors.torch import load

    try:
        return load(data)
    except Exception as error:  # safetensors raises its own SafetensorError (and others) for a malformed file
        raise CheckpointError(f"{filename} is not a valid safetensors file (it may be damaged).") from error


def _read_torch(data: bytes, filename: str) -> object:
    """torch.load that only ever builds tensors and plain containers; anything else is refused."""
    try:
        return torch.load(io.BytesIO(data), map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as error:  # torch's weights-only unpickler refused something
        found = re.search(r"GLOBAL ([\w.]+)", str(error))
        if found:
            raise CheckpointError(
                f"{filename} was refused: it contains Python code or objects ({found.group(1)}), not only "
                "tensors, and this app never runs them. Save model.state_dict(), ideally as .safetensors."
            ) from error
        raise CheckpointError(f"{filename} was refused: its pickle data is not a plain dict of tensors "
                              "(it may be damaged or made by another tool).") from error
    except Exception as error:  # a malformed archive can fail anywhere inside torch.load
        if "TorchScript" in str(error):
            raise CheckpointError(f"{filename} was refused: it is a TorchScript program, which this app never "
                                  "runs. Save model.state_dict() instead.") from error
        raise CheckpointError(f"{filename} is damaged or not a PyTorch checkpoint this app can read.") from error


def _unwrap(raw: object, filename: str) -> Mapping[str, torch.Tensor]:
    """The state dict itself, also when a training loop nested it under "state_dict", "model", …"""
    for _ in range(2):
        if not isinstance(raw, Mapping) or _first_non_tensor(raw) is None:
            break
        inner = next((raw[key] for key in WRAPPER_KEYS if isinstance(raw.get(key), Mapping)), None)
        if inner is None:
            break
        raw = inner
    if not isinstance(raw, Mapping):
        raise CheckpointError(f"{filename} holds a value of type {type(raw).__name__}, not a state dict "
                              "(a mapping of parameter names to tensors).")
    if not raw:
        raise CheckpointError(f"{filename} holds no tensors.")
    bad = _first_non_tensor(raw)
    if bad is not None:
        raise CheckpointError(f"{filename} does not hold a state dict: its entry {bad[0]!r} is of type "
                              f"{type(bad[1]).__name__}, not a tensor.")
    return raw


def _first_non_tensor(raw: Mapping) -> tuple[object, object] | None:
    """The first (key, value) that is not a str name with a tensor, or None."""
    return next(((key, value) for key, value in raw.items()
                 if not (isinstance(key, str) and isinstance(value, torch.Tensor))), None)


def _strip_prefixes(state: Mapping[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """Drop a "module." or "_orig_mod." prefix that every key carries (a wrapped model's state dict)."""
    keys = list(state)
    while prefix := next((p for p in PREFIXES if all(key.startswith(p) for key in keys)), None):
        keys = [key[len(prefix):] for key in keys]
    return dict(zip(keys, state.values()))


def check_compatible(model: nn.Module, state_dict: Mapping[str, torch.Tensor]) -> LoadReport:
    """Compare names and shapes with the model's state dict, loading nothing (works on the meta device)."""
    expected = model.state_dict()
    mismatched = tuple(
        (key, tuple(expected[key].shape), tuple(value.shape))
        for key, value in state_dict.items()
        if key in expected and isinstance(expected[key], torch.Tensor) and expected[key].shape != value.shape
    )
    return LoadReport(
        missing=tuple(key for key in expected if key not in state_dict),
        unexpected=tuple(key for key in state_dict if key not in expected),
        mismatched=mismatched,
    )


def load_into(model: nn.Module, state_dict: Mapping[str, torch.Tensor]) -> LoadReport:
    """Load strictly into `model`, which must be the caller's fresh copy, never a shared cached model.

    Raises CheckpointError listing the misfits when the checkpoint does not fit.
    """
    report = check_compatible(model, state_dict)
    if not report.ok:
        raise CheckpointError(f"This checkpoint does not fit {type(model).__name__}: {report.describe()}.")
    try:
        model.load_state_dict(state_dict, strict=True)
    except RuntimeError as error:  # e.g. a tensor whose dtype cannot be copied into the parameter
        raise CheckpointError(f"This checkpoint does not fit {type(model).__name__}: {error}") from error
    return report
