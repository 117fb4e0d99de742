"""Heavy work (training an experiment, timing a benchmark) runs one job at a time per server, in
arrival order. Identical requests (same key) share one run, every caller can read its place in line
and the run's progress, and a full queue refuses at once instead of letting callers time out."""

from __future__ import annotations

import threading
from collections import OrderedDict, deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

from lineage.text import Text

Report = Callable[[Any], None]


class QueueFullError(RuntimeError):
    """Raised by `JobQueue.submit` when as many jobs are waiting as the queue allows."""


@dataclass(eq=False)
class Job:
    """One run of `work(report)`, shared by every caller that asked for the same key."""

    key: Hashable
    work: Callable[[Report], Any]
    state: str = "queued"  # queued → running → done | failed
    updates: list[Any] = field(default_factory=list)
    result: Any = None
    error: BaseException | None = None
    _finished: threading.Event = field(default_factory=threading.Event, repr=False)

    @property
    def finished(self) -> bool:
        return self._finished.is_set()

    def wait(self, timeout: float | None = None) -> Any:
        """Block until the job ends; return its result or raise its error (a TimeoutError if not ended)."""
        if not self._finished.wait(timeout):
            raise TimeoutError(f"job {self.key!r} has not finished")
        if self.error is not None:
            raise self.error
        return self.result

    def progress(self) -> list[Any]:
        """A snapshot of what the work has reported so far (safe to read while it runs)."""
        return list(self.updates)


class JobQueue:
    """A single worker thread that runs jobs in order. `max_waiting` bounds the line; the last
    `keep_finished` finished jobs stay so a repeated request gets its answer without a new run."""

    def __init__(self, max_waiting: int = 32, keep_finished: int = 64) -> None:
        self.max_waiting = max_waiting
        self.keep_finished = keep_finished
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._waiting: deque[Job] = deque()
        self._running: Job | None = None
        self._finished: OrderedDict[Hashable, Job] = OrderedDict()
        self._worker: threading.Thread | None = None

    def submit(self, key: Hashable, work: Callable[[Report], Any]) -> Job:
        """The job for `key`: the one already queued, running or recently finished, else a new one
        that runs `work(report)` when its turn comes. Raises QueueFullError when the line is full."""
        with self._lock:
            existing = self._find(key)
            if existing is not None:
                return existing
            if len(self._waiting) >= self.max_waiting:
                raise QueueFullError(Text("the server is busy: {count} runs are already waiting; try again in a minute",
                                          count=len(self._waiting)))
            job = Job(key=key, work=work)
            self._waiting.append(job)
            self._start_worker()
            self._wake.notify()
            return job

    def find(self, key: Hashable) -> Job | None:
        """The queued, running or recently finished job for `key`, without starting one."""
        with self._lock:
            return self._find(key)

    def position(self, job: Job) -> int:
        """The job's place in line: 1 for the next to run, 0 once it runs or has finished."""
        with self._lock:
            return self._waiting.index(job) + 1 if job in self._waiting else 0

    def _find(self, key: Hashable) -> Job | None:
        if self._running is not None and self._running.key == key:
            return self._running
        for job in self._waiting:
            if job.key == key:
                return job
        if key in self._finished:
            self._finished.move_to_end(key)
            return self._finished[key]
        return None

    def _start_worker(self) -> None:
        if self._worker is None or not self._worker.is_alive():
            self._worker = threading.Thread(target=self._serve, name="heavy-work", daemon=True)
            self._worker.start()

    def _serve(self) -> None:
        while True:
            with self._lock:
                while not self._waiting:
                    self._wake.wait()
                job = self._running = self._waiting.popleft()
                job.state = "running"
            try:
                job.result = job.work(job.updates.append)
                job.state = "done"
            except Exception as error:  # the caller sees it through job.wait(); other jobs go on
                job.error, job.state = error, "failed"
            with self._lock:
                self._running = None
                if job.state == "done":
                    self._finished[job.key] = job
                    while len(self._finished) > self.keep_finished:
                        self._finished.popitem(last=False)
            job._finished.set()


HEAVY_WORK = JobQueue()
"""The server's one queue for heavy work, shared by every session."""
