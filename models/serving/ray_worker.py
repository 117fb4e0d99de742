"""The inference worker's second implementation, on Ray Serve, for when one machine is not enough:
jobs go to a deployment whose replicas (here, or on a Ray cluster's nodes, with a GPU where they have
one) build their own copy of the model from its id and weights choice, and batch every session's
requests with Ray Serve's own `@serve.batch`. Same answers as the in-process worker (one pass per
model and CAM method, a broken input failing only its own job), same bounded queue.

LINEAGE_RAY_ADDRESS (default: a Ray of this process, started on first use): a cluster to join, e.g.
"auto" or "ray://head:10001"; its nodes need this code at the same path (deploy/Dockerfile's image).
LINEAGE_RAY_REPLICAS (default 1): replicas of the deployment.
LINEAGE_RAY_CPUS (default 1), LINEAGE_RAY_GPUS (default 0): what each replica reserves; its torch
threads are LINEAGE_TORCH_THREADS, or its CPUs.
LINEAGE_RAY_DEVICE (default "auto"): the device each replica predicts on (cuda, then mps, then cpu).
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import ray
import torch
from PIL import Image
from ray import serve
from ray.exceptions import RayTaskError

from models.runtime import build_model, pick_device
from models.serving.batcher import Answer, InferenceJob, ServerBusyError, Ticket, answer_each
from models.serving.settings import setting
from models.weights import WeightsChoice

APP = "lineage-inference"
ROOT = Path(__file__).resolve().parents[2]
FORWARDED_ENV = ("TORCH_HOME", "HF_HOME", "HF_HUB_CACHE")  # with every LINEAGE_* variable: replicas read the server's settings


@dataclass(frozen=True)
class RemoteJob:
    """What travels to a replica: not the model, but what builds the same one there."""

    model_id: str
    weights: WeightsChoice
    images: tuple[tuple[str, Image.Image], ...]
    topk: int
    cam_method: str | None

    @classmethod
    def of(cls, job: InferenceJob) -> RemoteJob:
        """The remote form of a local job (its model's id and the weights choice it was built from)."""
        return cls(job.built.spec.id, job.built.choice, job.images, job.topk, job.cam_method)


def answer_remote_jobs(jobs: Sequence[RemoteJob], device: str, max_images: int) -> list[Answer | Exception]:
    """Each job's answer (or its own error), in order: the jobs for one model and CAM method run as
    one pass of at most `max_images` images (a larger job alone), on models built (and cached) here."""
    results: list[Answer | Exception | None] = [None] * len(jobs)
    groups: dict[tuple, list[list[tuple[int, InferenceJob]]]] = {}
    for index, remote in enumerate(jobs):
        try:
            local = InferenceJob(build_model(remote.model_id, device, remote.weights), remote.images, remote.topk,
                                 remote.cam_method)
        except Exception as error:  # noqa: BLE001 — a model that cannot be built fails only its own job
            results[index] = error
            continue
        passes = groups.setdefault(local.batch_key, [[]])
        if passes[-1] and sum(len(job.images) for _, job in passes[-1]) + len(local.images) > max_images:
            passes.append([])
        passes[-1].append((index, local))
    for members in (members for passes in groups.values() for members in passes):
        for (index, _), answer in zip(members, answer_each([local for _, local in members])):
            results[index] = answer
    return results


@serve.deployment(name="Predictor")
class Predictor:
    """A replica: torch's threads set, its device picked, every request through one batcher."""

    def __init__(self, device: str, threads: int, window_s: float, max_batch_images: int) -> None:
        torch.set_num_threads(threads)
        self.device, self.max_images = pick_device(device), max_batch_images
        self.batch.set_max_batch_size(max_batch_images)  # requests gathered at once; passes are cut by images
        self.batch.set_batch_wait_timeout_s(window_s)

    async def __call__(self, job: RemoteJob) -> Answer:
        answer = await self.batch(job)
        if isinstance(answer, Exception):
            raise answer
        return answer

    @serve.batch
    async def batch(self, jobs: list[RemoteJob]) -> list[Answer | Exception]:
        # off the replica's event loop, so the next batch gathers while this one runs
        return await asyncio.to_thread(answer_remote_jobs, jobs, self.device, self.max_images)


def deployment(window_s: float, max_waiting: int, max_batch_images: int) -> serve.Application:
    """The Predictor with this server's settings (replicas, CPUs, GPUs, threads, batching)."""
    cpus = setting("LINEAGE_RAY_CPUS", 1)
    threads = int(setting("LINEAGE_TORCH_THREADS", cpus))
    return Predictor.options(
        num_replicas=int(setting("LINEAGE_RAY_REPLICAS", 1)),
        max_ongoing_requests=max(max_waiting, max_batch_images),  # Ray's default (5) would cap a batch at 5 jobs
        ray_actor_options={"num_cpus": cpus, "num_gpus": setting("LINEAGE_RAY_GPUS", 0)},
    ).bind(os.environ.get("LINEAGE_RAY_DEVICE") or "auto", max(1, threads), window_s, max_batch_images)


def replica_env() -> dict[str, str]:
    """The environment the replicas get: this code on their path, and the server's own settings."""
    env = {name: value for name, value in os.environ.items() if name.startswith("LINEAGE_") or name in FORWARDED_ENV}
    return {**env, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}


class RayServeWorker:
    """The `Worker` interface on a Ray Serve deployment: `submit` sends the job and returns at once
    with its place in this server's line; at most `max_waiting` of this server's jobs are in flight."""

    def __init__(self, window_s: float = 0.025, max_waiting: int = 64, max_batch_images: int = 16,
                 ray_init: dict | None = None) -> None:
        """`ray_init`: more arguments for `ray.init` where this worker starts Ray (a test's small local one)."""
        self.max_waiting, self.in_flight, self.closed = max_waiting, 0, False
        self.lock, self.stopped = threading.Lock(), threading.Event()
        connected: Future = Future()
        # Ray's driver stops answering once the thread that started it ends (a session's script
        # thread, in Streamlit), so a thread of the worker's own starts it and lives as long as the worker.
        app = deployment(window_s, max_waiting, max_batch_images)
        threading.Thread(target=self._drive, args=(app, connected, ray_init or {}), name="ray-driver", daemon=True).start()
        self.handle = connected.result()
        self.pool = ThreadPoolExecutor(max_workers=max_waiting, thread_name_prefix="ray-inference")

    def _drive(self, app: serve.Application, connected: Future, ray_init: dict) -> None:
        try:
            if not ray.is_initialized():
                ray.init(address=os.environ.get("LINEAGE_RAY_ADDRESS") or None, include_dashboard=False,
                         runtime_env={"env_vars": replica_env()}, **ray_init)
            serve.start(proxy_location="Disabled")  # reached through its handle only: no HTTP port opened
            connected.set_result(serve.run(app, name=APP, route_prefix=None))
        except BaseException as error:  # noqa: BLE001 — the constructor raises it
            connected.set_exception(error)
            return
        self.stopped.wait()

    def submit(self, job: InferenceJob) -> Ticket:
        """Send a job; ServerBusyError at once when `max_waiting` of this server's jobs are in flight."""
        remote = RemoteJob.of(job)
        with self.lock:
            if self.closed:
                raise RuntimeError("The inference worker is closed.")
            if self.in_flight >= self.max_waiting:
                raise ServerBusyError.full(self.in_flight)
            self.in_flight += 1
            position = self.in_flight
        try:
            response = self.handle.remote(remote)
        except Exception:
            self._leave_line()
            raise
        return Ticket(position, self.pool.submit(self._answer, response))

    def _leave_line(self) -> None:
        with self.lock:
            self.in_flight -= 1

    def _answer(self, response) -> Answer:
        try:
            return response.result()
        except RayTaskError as error:  # the replica's own exception, not Ray's wrapper with its traceback
            raise error.cause from None
        finally:
            self._leave_line()

    def close(self) -> None:
        """Stop after the jobs already sent, and let Ray's driver thread end (the deployment stays up)."""
        with self.lock:
            self.closed = True
        self.pool.shutdown(wait=True)
        self.stopped.set()
