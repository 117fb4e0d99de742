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
                from models.serving.ray_worker import RayServeWorker  # ray is an optional extra

                _workers[key] = RayServeWorker(**batching())
            else:
                _workers[key] = InferenceWorker(**batching(), name=f"inference-{device}", torch_threads=torch_threads())
        return _workers[key]
