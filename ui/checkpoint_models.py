"""Models built from users' checkpoints, held by the server within a budget of bytes
(LINEAGE_CHECKPOINT_CACHE_MB, default 512) instead of in each session's state: the least recently
used goes first, so a class uploading checkpoints cannot fill the memory."""

from __future__ import annotations

import hashlib

from models.prediction.loading import load_for_prediction
from models.memory import ByteLRU, budget_bytes
from models.registry import ModelSpec
from models.runtime import BuiltModel
from models.weights import Checkpoint

CHECKPOINT_CACHE_ENV = "LINEAGE_CHECKPOINT_CACHE_MB"
_models: ByteLRU[BuiltModel] = ByteLRU(budget_bytes(CHECKPOINT_CACHE_ENV, 512), weigh=lambda b: b.memory_bytes)


def checkpoint_model(spec: ModelSpec, device: str, checkpoint: Checkpoint) -> BuiltModel:
    """The model with the checkpoint's weights, built once per file content (read-only, as shared
    models are); CheckpointError when the file is refused."""
    key = (spec.id, device, hashlib.sha256(checkpoint.data).hexdigest())
    return _models.get(key, lambda: load_for_prediction(spec, device, checkpoint)[0])
