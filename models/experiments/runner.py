"""Run an edge's experiment: seeded, with few threads, cached on disk by its settings and a digest of
the code; heavy (trained) runs go through the server's one queue so identical runs are shared."""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import torch

from models.analysis import cache_dir
from models.experiments.base import Experiment, Report, Variant
from models.experiments.registry import get_experiment
from models.jobs import HEAVY_WORK, Job

THREADS = 1  # modest: the server has other sessions to serve, and tiny nets gain nothing from more
_run_lock = threading.Lock()  # torch's thread count is process-wide: one experiment at a time


@dataclass
class ExperimentResult:
    """One run's answer: what was compared, the measured numbers, and the computed verdict."""

    edge: tuple[str, str]
    title: str
    claim: str
    paper: dict[str, str]
    kind: str
    metric: str
    settings: dict[str, float]
    variants: list[Variant]
    figures: dict[str, float]
    verdict: str
    supports_claim: bool
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)
    timing_words: str = ""
    caveat: str = ""
    cached: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data, the CLI's `--json` object."""
        data = asdict(self)
        data["edge"] = list(self.edge)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ExperimentResult:
        """The inverse of to_dict (the disk cache)."""
        data = dict(data, edge=tuple(data["edge"]), variants=[Variant(**v) for v in data["variants"]])
        return cls(**data)


def run_experiment(source: str, target: str, settings: dict[str, Any] | None = None, report: Report | None = None,
                   use_cache: bool = True) -> ExperimentResult:
    """Run (or read from the disk cache) the edge's experiment at its defaults overlaid with `settings`.
    `report` receives each curve point of a trained run as it is measured."""
    experiment = get_experiment(source, target)
    resolved = experiment.resolve(settings)
    path = _disk_path(experiment, resolved)
    if use_cache and (hit := _read(path)) is not None:
        for variant in hit.variants:
            for point in variant.curve:
                (report or _ignore)({"variant": variant.name, **point})
        return hit
    result = _run(experiment, resolved, report or _ignore)
    _write(path, result)
    return result


def submit(source: str, target: str, settings: dict[str, Any] | None = None) -> Job:
    """The queued job for this run: identical requests (same edge and settings) share one job; its
    progress() lists the curve points so far. Raises QueueFullError when the line is full."""
    resolved = get_experiment(source, target).resolve(settings)
    return HEAVY_WORK.submit(job_key(source, target, resolved),
                             lambda report: run_experiment(source, target, resolved, report))


def job_key(source: str, target: str, settings: dict[str, Any] | None = None) -> tuple[str, ...]:
    """The queue key of a run: the edge and its resolved settings (so identical runs share a job)."""
    resolved = get_experiment(source, target).resolve(settings)
    return ("experiment", source, target, json.dumps(resolved, sort_keys=True))


def find_job(source: str, target: str, settings: dict[str, Any] | None = None) -> Job | None:
    """The queued, running or recently finished job of this run, if anyone started it."""
    return HEAVY_WORK.find(job_key(source, target, settings))


def cached_result(source: str, target: str, settings: dict[str, Any] | None = None) -> ExperimentResult | None:
    """The result already on disk for these settings, without running anything."""
    experiment = get_experiment(source, target)
    return _read(_disk_path(experiment, experiment.resolve(settings)))


def _ignore(_update: Any) -> None:
    return None


@contextmanager
def _few_threads():
    with _run_lock:
        before = torch.get_num_threads()
        torch.set_num_threads(THREADS)
        try:
            yield
        finally:
            torch.set_num_threads(before)


def _run(experiment: Experiment, settings: dict[str, float], report: Report) -> ExperimentResult:
    started = time.perf_counter()
    with _few_threads():
        torch.manual_seed(int(settings["seed"]))
        measured = experiment.run(settings, report)
    verdict = experiment.judge(measured.figures)
    return ExperimentResult(
        edge=experiment.edge, title=experiment.title, claim=experiment.claim, paper=asdict(experiment.paper),
        kind=experiment.kind, metric=experiment.metric, settings=settings, variants=measured.variants,
        figures=measured.figures, verdict=verdict.words, supports_claim=verdict.supports,
        seconds=round(time.perf_counter() - started, 3), timings=measured.timings,
        timing_words=experiment.describe_timings(measured.timings) if experiment.describe_timings else "",
        caveat=experiment.caveat)


def experiments_dir() -> Path:
    """Where results persist: beside the analysis cache (models.analysis.cache_dir), in experiments/."""
    return cache_dir().parent / "experiments"


def code_digest() -> str:
    """Changes whenever any experiment module or the counting code it reuses is edited."""
    from models import analysis, jobs

    digest = hashlib.sha1()
    for file in sorted(Path(__file__).parent.glob("*.py")) + [Path(analysis.__file__), Path(jobs.__file__)]:
        digest.update(file.read_bytes())
    return digest.hexdigest()[:12]


def _disk_path(experiment: Experiment, settings: dict[str, float]) -> Path:
    source, target = experiment.edge
    settings_key = hashlib.sha1(json.dumps(settings, sort_keys=True).encode()).hexdigest()[:12]
    return (experiments_dir() / f"torch{torch.__version__}-threads{THREADS}"
            / f"{source}-{target}-{settings_key}-{code_digest()}.json")


def _read(path: Path) -> ExperimentResult | None:
    try:
        result = ExperimentResult.from_dict(json.loads(path.read_text()))
    except (OSError, ValueError, TypeError, KeyError):
        return None
    result.cached = True
    return result


def _write(path: Path, result: ExperimentResult) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
        temporary.write_text(json.dumps(result.to_dict(), allow_nan=False))
        temporary.replace(path)
    except (OSError, ValueError):
        pass  # a read-only home only costs the next request a rerun
