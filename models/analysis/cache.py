"""The analyses' disk cache: one JSON file per (model, input size, engine), under the library
versions and a digest of our own code, so an edit to the counting code or a model recounts."""

from __future__ import annotations

import hashlib
import json
import os
import threading
from pathlib import Path

import torch
import torchvision

from models import registry
from models.registry import ModelSpec, get_spec
from models.zoo import adapters
from models.zoo import spec as spec_module

def cache_dir() -> Path:
    """Where analyses persist between runs: $LINEAGE_CACHE_DIR/analysis, else ~/.cache/lineage-explorer/analysis."""
    return Path(os.environ.get("LINEAGE_CACHE_DIR") or Path.home() / ".cache" / "lineage-explorer") / "analysis"


def _disk_path(key: tuple[str, int | None, str]) -> Path:
    """One JSON file per (id, size, engine), under the library versions and a digest of our own code."""
    import timm

    model_id, size, engine = key
    versions = f"torch{torch.__version__}-tv{torchvision.__version__}-timm{timm.__version__}"
    return cache_dir() / versions / f"{model_id}-{size}-{engine}-{_code_digest(get_spec(model_id))}.json"


def _code_digest(spec: ModelSpec) -> str:
    """Changes whenever the counting code, the registry or a local model's module is edited."""
    files = [*sorted(Path(__file__).parent.glob("*.py")), registry.__file__, spec_module.__file__,
             *sorted(Path(adapters.__file__).parent.glob("*.py")), *spec.adapter.source_files(spec)]
    digest = hashlib.sha1()
    for file in files:
        digest.update(Path(file).read_bytes())
    return digest.hexdigest()[:12]


def read_disk(key: tuple[str, int | None, str]) -> dict | None:
    """A cached analysis as its dict, or None when absent or unreadable (then it is recounted)."""
    try:
        return json.loads(_disk_path(key).read_text())
    except (OSError, ValueError):
        return None


def write_disk(key: tuple[str, int | None, str], data: dict) -> None:
    """Store an analysis's dict atomically; a read-only home only costs the next launch a recount."""
    path = _disk_path(key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
        temporary.write_text(json.dumps(data, allow_nan=False))
        temporary.replace(path)
    except (OSError, ValueError):
        pass
