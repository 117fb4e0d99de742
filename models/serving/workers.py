"""The server's inference worker: one thread of this process per device, or one Ray Serve
deployment for all (models/serving/settings.py says which, and with what settings)."""

from __future__ import annotations

import threading

from models.serving.batcher import InferenceWorker, Worker
from models.serving.settings import backend, batching, torch_threads

_workers: dict[str, Worker] = {}
_lock = threading.Lock()


def worker_for(device: str) -> Worker:
    """The server's worker for a device, started on first use: a thread of this process per device,
    or one Ray Serve deployment for all (its replicas pick their own device)."""
    key = "ray" if backend() == "ray" else device
    with _lock:
        if key not in _workers:
            if key == "ray":
                _workers[key] = _ray_worker_class()(**batching())
            else:
                _workers[key] = InferenceWorker(**batching(), name=f"inference-{device}", torch_threads=torch_threads())
        return _workers[key]


def _ray_worker_class() -> type:
    """RayServeWorker, or a clear error where the optional extra is not installed."""
    try:
        from models.serving.ray_worker import RayServeWorker
    except ImportError as error:
        raise RuntimeError(f"LINEAGE_INFERENCE=ray needs Ray Serve, which is not installed ({error}): "
                           "pip install -r requirements-ray.txt") from error
    return RayServeWorker
