"""One inference worker per device for the whole server, with its settings from the environment.

LINEAGE_BATCH_WINDOW_MS (default 25): how long the worker waits for other sessions' jobs to join a batch.
LINEAGE_QUEUE_LIMIT (default 64): jobs that may wait; beyond it a job is refused as "server busy".
LINEAGE_MAX_BATCH (default 16): images in one pass (bounds the memory of a batched CAM).
LINEAGE_TORCH_THREADS (default: the CPU cores): torch's intra-op threads. With one worker thread
running every pass, torch's pool is the only heavy user of the cores, and the server's own threads
(websockets, script runs) stay responsive instead of competing with one pool per session.
"""

from __future__ import annotations

import os
import threading

import torch

from models.serving.batcher import InferenceWorker

_workers: dict[str, InferenceWorker] = {}
_lock = threading.Lock()


def _setting(name: str, default: float) -> float:
    value = os.environ.get(name)
    try:
        return float(value) if value else default
    except ValueError:
        raise ValueError(f"{name} must be a number, not {value!r}.") from None


def torch_threads() -> int:
    """Threads torch's CPU kernels use: LINEAGE_TORCH_THREADS, or every core."""
    return max(1, int(_setting("LINEAGE_TORCH_THREADS", os.cpu_count() or 1)))


def worker_for(device: str) -> InferenceWorker:
    """The server's worker for a device, started on first use (and torch's thread count set then)."""
    with _lock:
        if device not in _workers:
            torch.set_num_threads(torch_threads())
            _workers[device] = InferenceWorker(window_s=_setting("LINEAGE_BATCH_WINDOW_MS", 25) / 1000,
                                               max_waiting=int(_setting("LINEAGE_QUEUE_LIMIT", 64)),
                                               max_batch_images=int(_setting("LINEAGE_MAX_BATCH", 16)),
                                               name=f"inference-{device}")
        return _workers[device]
