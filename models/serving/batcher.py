"""Batch the requests of every session: jobs for the same model (and CAM method) that arrive within
a short window run as one forward pass (and one backward for the CAM), on one worker thread.

Each job gets back only its own images' results. A job whose batch fails is run again alone, so a
bad input fails its own caller and no other. The queue is bounded: a job beyond the limit is refused
at once with a message that says the server is busy, rather than left to time out.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Protocol

import torch
from PIL import Image
from streamlit.logger import get_logger

from lineage.text import Text
from models.prediction.cam import CamResult, cams_and_logits
from models.prediction.inference import Prediction, predict, predictions_from
from models.runtime import BuiltModel


LOGGER = get_logger(__name__)  # one line per batch in the server's log: how long its jobs took from queued to answered
BATCH_LOG = "batch of {jobs} jobs ({images} images) for {model}: ran in {ran:.3f} s; queued to answered {waits} s"


class ServerBusyError(RuntimeError):
    """The queue is full; the message says how many are waiting and to try again."""

    @classmethod
    def full(cls, waiting: int) -> ServerBusyError:
        """The refusal when `waiting` requests already wait (the most the queue holds)."""
        return cls(Text("The server is busy: {count} requests are already waiting (the most it queues). "
                        "Please try again in a few seconds.", count=waiting))


@dataclass(frozen=True, eq=False)
class InferenceJob:
    """One session's request: its images through one model, top-k, and a CAM method (or none).
    A remote worker builds its own copy of the model from `built.spec.id` and `built.choice`."""

    built: BuiltModel
    images: tuple[tuple[str, Image.Image], ...]
    topk: int = 5
    cam_method: str | None = None

    def __post_init__(self) -> None:
        if not self.images:
            raise ValueError("A job needs at least one image.")

    @property
    def batch_key(self) -> tuple:
        """Jobs with the same key can share a pass: the same model object, the same CAM method."""
        return id(self.built.model), self.cam_method


@dataclass(frozen=True)
class Answer:
    """A job's results, one per image in its order: the prediction and the CAM (None without one)."""

    predictions: tuple[Prediction, ...]
    cams: tuple[CamResult | None, ...]


@dataclass(frozen=True)
class Ticket:
    """A queued job: its place in line when it was queued (1: next), and its future answer."""

    position: int
    future: Future

    def result(self, timeout: float | None = None) -> Answer:
        """The job's answer, or its own error."""
        return self.future.result(timeout)


class Worker(Protocol):
    """What the Predict page needs of an inference worker: the in-process `InferenceWorker`, or
    `models.serving.ray_worker.RayServeWorker` on a Ray Serve deployment."""

    def submit(self, job: InferenceJob) -> Ticket:
        """Queue a job (ServerBusyError at once when the queue is full)."""

    def close(self) -> None:
        """Stop after the jobs already queued."""


def run_jobs(jobs: Sequence[InferenceJob]) -> list[Answer]:
    """Jobs with one batch key as a single batch (top-k at the largest k asked, then cut per job).
    With a CAM the top-k come from the CAM's own forward: one forward and one backward in all, and
    each prediction's latency is that whole pass per image."""
    first = jobs[0]
    images = [pair for job in jobs for pair in job.images]
    topk = max(job.topk for job in jobs)
    if first.cam_method and first.built.spec.cam_layer:
        started = time.perf_counter()
        cams, logits = cams_and_logits(first.built, [image for _, image in images], method=first.cam_method)
        latency = (time.perf_counter() - started) / len(images)
        predictions = predictions_from(first.built, [name for name, _ in images], logits, topk, latency)
    else:
        predictions, cams = predict(first.built, images, topk=topk), [None] * len(images)
    answers, start = [], 0
    for job in jobs:
        end = start + len(job.images)
        answers.append(Answer(tuple(dataclasses.replace(p, top=p.top[:job.topk]) for p in predictions[start:end]),
                              tuple(cams[start:end])))
        start = end
    return answers


def answer_each(jobs: Sequence[InferenceJob],
                run: Callable[[Sequence[InferenceJob]], list[Answer]] = run_jobs) -> list[Answer | Exception]:
    """Each job's answer from one batch, or, when that batch fails, from each job alone: a broken
    input fails its own job (its exception in its place) and no other."""
    try:
        return list(run(jobs))
    except Exception as error:  # noqa: BLE001 — someone's input broke the batch: run each alone to find whose
        if len(jobs) == 1:
            return [error]
        return [answer for job in jobs for answer in answer_each([job], run)]


class InferenceWorker:
    """One thread that runs every session's jobs, batching those that arrive within `window_s`, with
    torch's intra-op threads set to `torch_threads` (None: left as they are)."""

    def __init__(self, window_s: float = 0.025, max_waiting: int = 64, max_batch_images: int = 16,
                 run: Callable[[Sequence[InferenceJob]], list[Answer]] = run_jobs, name: str = "inference",
                 torch_threads: int | None = None) -> None:
        self.window_s, self.max_waiting, self.max_batch_images, self.run = window_s, max_waiting, max_batch_images, run
        self.torch_threads = torch_threads
        self.waiting: deque[tuple[InferenceJob, Future, float]] = deque()  # with the time each was queued
        self.ready = threading.Condition()
        self.closed = False
        self.thread = threading.Thread(target=self._serve, name=name, daemon=True)
        self.thread.start()

    def submit(self, job: InferenceJob) -> Ticket:
        """Queue a job; ServerBusyError at once when `max_waiting` jobs are already waiting."""
        future: Future = Future()
        with self.ready:
            if self.closed:
                raise RuntimeError("The inference worker is closed.")
            if len(self.waiting) >= self.max_waiting:
                raise ServerBusyError.full(len(self.waiting))
            self.waiting.append((job, future, time.perf_counter()))
            position = len(self.waiting)
            self.ready.notify()
        return Ticket(position, future)

    def close(self) -> None:
        """Stop after the jobs already queued."""
        with self.ready:
            self.closed = True
            self.ready.notify()
        self.thread.join()

    def _serve(self) -> None:
        if self.torch_threads:  # in this thread, which runs every pass (torch's setting is per process)
            torch.set_num_threads(self.torch_threads)
        while True:
            with self.ready:
                while not self.waiting and not self.closed:
                    self.ready.wait()
                if not self.waiting:
                    return
            time.sleep(self.window_s)  # let the other sessions' jobs of this moment arrive
            self._run_batch(self._take_batch())

    def _take_batch(self) -> list[tuple[InferenceJob, Future, float]]:
        """The oldest job and the later ones with its key, up to `max_batch_images` images, in order."""
        with self.ready:
            key, batch, images, kept = self.waiting[0][0].batch_key, [], 0, deque()
            while self.waiting:
                entry = self.waiting.popleft()
                job = entry[0]
                if job.batch_key == key and (not batch or images + len(job.images) <= self.max_batch_images):
                    batch.append(entry)
                    images += len(job.images)
                else:
                    kept.append(entry)
            self.waiting = kept
        return batch

    def _run_batch(self, batch: list[tuple[InferenceJob, Future, float]]) -> None:
        jobs, started = [job for job, _, _ in batch], time.perf_counter()
        for (_, future, _), answer in zip(batch, answer_each(jobs, self.run)):
            if isinstance(answer, Exception):
                future.set_exception(answer)
            else:
                future.set_result(answer)
        done = time.perf_counter()
        LOGGER.info(BATCH_LOG.format(jobs=len(jobs), images=sum(len(job.images) for job in jobs), model=jobs[0].built.spec.id,
                                     ran=done - started, waits=" ".join(f"{done - queued:.3f}" for _, _, queued in batch)))
