"""The inference workers' settings, read from the environment (one place for both workers).

LINEAGE_INFERENCE (default "local"): "local", one worker thread per device in this process; "ray",
every job goes to a Ray Serve deployment (models/serving/ray_worker.py, `pip install -r requirements-ray.txt`).
LINEAGE_BATCH_WINDOW_MS (default 25): how long the worker waits for other sessions' jobs to join a batch.
LINEAGE_QUEUE_LIMIT (default 64): jobs that may wait; beyond it a job is refused as "server busy".
LINEAGE_MAX_BATCH (default 16): images in one pass (bounds the memory of a batched CAM).
LINEAGE_TORCH_THREADS (default: the CPU cores less one, at least one): torch's intra-op threads,
set in the worker's thread. One worker thread runs every pass, and the core left over keeps the
server's own threads (websockets, script runs, drawing the results) from stalling torch's pool: an
OpenMP pass as wide as the machine waits at every barrier for whichever of its threads was pre-empted.
Inter-op threads are left alone: eager models never use that pool.
"""

from __future__ import annotations

import os

BACKENDS = ("local", "ray")


def setting(name: str, default: float) -> float:
    """A number from the environment, or `default` when unset (a clear error for a bad value)."""
    value = os.environ.get(name)
    try:
        return float(value) if value else default
    except ValueError:
        raise ValueError(f"{name} must be a number, not {value!r}.") from None


def torch_threads() -> int:
    """Threads torch's CPU kernels use in the worker: LINEAGE_TORCH_THREADS, or the cores less one."""
    return max(1, int(setting("LINEAGE_TORCH_THREADS", (os.cpu_count() or 1) - 1)))


def backend() -> str:
    """Which worker serves the jobs: LINEAGE_INFERENCE, "local" (default) or "ray"."""
    chosen = os.environ.get("LINEAGE_INFERENCE") or "local"
    if chosen not in BACKENDS:
        raise ValueError(f"LINEAGE_INFERENCE must be one of {', '.join(BACKENDS)}, not {chosen!r}.")
    return chosen


def batching() -> dict:
    """The batching settings both workers share: window, queue limit, images per pass."""
    return {"window_s": setting("LINEAGE_BATCH_WINDOW_MS", 25) / 1000,
            "max_waiting": int(setting("LINEAGE_QUEUE_LIMIT", 64)),
            "max_batch_images": int(setting("LINEAGE_MAX_BATCH", 16))}
