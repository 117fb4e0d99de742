"""Time a model on this machine's hardware with torch.utils.benchmark: a warm-up, then
`Timer.blocked_autorange` (which synchronises an accelerator around every block), reporting the
median and 90th percentile per batch and the images per second.

The model comes from `models.runtime.build_model` (untrained weights: the timing does not depend
on the values). It is shared with other sessions, so anything that would change it (channels-last
memory format) is done to a private copy.
"""

from __future__ import annotations

import contextlib
import copy
import logging
import statistics
from collections.abc import Callable
from dataclasses import asdict, dataclass

import torch

from lineage.text import Text
# torch.utils.benchmark imports cpp_extension, whose "No CUDA runtime is found" warning is about
# compiling extensions (never done here) and would add a second line to the CLI's one-line errors.
logging.getLogger("torch.utils.cpp_extension").setLevel(logging.ERROR)
from torch.utils import benchmark  # noqa: E402

from models import hook_guard
from models.jobs import HEAVY_WORK, Job
from models.registry import get_spec
from models.runtime import build_model, pick_device
from models.weights import UNTRAINED_LABEL

WARMUP_RUNS = 3
MIN_RUN_TIME_S = 1.0
MIN_MEASUREMENTS = 5  # a p90 needs several: a model slower than the run time still gets this many blocks
Progress = Callable[[float, str], None]  # (fraction done, what is happening)


@dataclass(frozen=True)
class BenchSettings:
    """How to run: hashable, so it keys the shared queue and the caches of results."""

    device: str = "cpu"
    batch: int = 1
    threads: int | None = None  # None: torch's current number of intra-op threads
    channels_last: bool = False
    amp: bool = False  # autocast: bfloat16 on CPU, float16 on CUDA
    compile: bool = False
    min_run_time_s: float = MIN_RUN_TIME_S

    def __post_init__(self) -> None:
        if self.batch < 1:
            raise ValueError(f"The batch must be at least 1 (got {self.batch}).")
        if self.threads is not None and self.threads < 1:
            raise ValueError(f"The number of threads must be at least 1 (got {self.threads}).")

    @property
    def amp_dtype(self) -> torch.dtype | None:
        """The autocast dtype when --amp is on: bf16 on CPU, fp16 on CUDA."""
        if not self.amp:
            return None
        return torch.float16 if self.device == "cuda" else torch.bfloat16


@dataclass(frozen=True)
class BenchResult:
    """One model's timing; `to_dict` is the CLI's --json object."""

    id: str
    device: str
    batch: int
    latency_ms: float  # median per batch
    latency_p90_ms: float
    images_per_s: float
    threads: int
    channels_last: bool
    amp: str | None
    compile: bool
    runs: int
    weights: str

    def to_dict(self) -> dict:
        """Plain JSON-ready data."""
        return asdict(self)


def example_batch(model_id: str, batch: int, device: str) -> tuple[torch.Tensor, ...]:
    """The model's example inputs repeated to `batch` (images filled with seeded noise)."""
    generator = torch.Generator().manual_seed(0)
    batched = []
    for tensor in get_spec(model_id).example_inputs(device="cpu"):
        tensor = tensor.expand(batch, *tensor.shape[1:]).contiguous()
        if tensor.is_floating_point():
            tensor = torch.randn(tensor.shape, generator=generator)
        batched.append(tensor.to(device))
    return tuple(batched)


def prepare(model_id: str, settings: BenchSettings) -> tuple[Callable[[], object], str]:
    """The forward pass to time (inference mode, autocast when asked) and the weights' label."""
    device = pick_device(settings.device)
    built = build_model(model_id, device)
    model, inputs = built.model, example_batch(model_id, settings.batch, device)
    if settings.channels_last:
        model = copy.deepcopy(model).to(memory_format=torch.channels_last)
        inputs = tuple(t.to(memory_format=torch.channels_last) if t.dim() == 4 else t for t in inputs)
    if settings.compile:
        model = torch.compile(model)
    autocast = (torch.autocast(device_type=device, dtype=settings.amp_dtype) if settings.amp
                else contextlib.nullcontext())

    def forward() -> object:
        with torch.inference_mode(), autocast:
            return model(*inputs)

    return forward, built.weights_label


def run_benchmark(model_id: str, settings: BenchSettings, progress: Progress | None = None) -> BenchResult:
    """Warm up, then time blocks of `forward` until `settings.min_run_time_s` has passed (and at
    least MIN_MEASUREMENTS blocks); the median and p90 of the blocks' time per batch."""
    done = [0.0]

    def report(fraction: float, what: str) -> None:  # never backwards, whichever phase estimates it
        done[0] = max(done[0], fraction)
        if progress:
            progress(done[0], what)

    device = pick_device(settings.device)
    threads = settings.threads or torch.get_num_threads()
    report(0.0, Text("building {model} on {device}", model=model_id, device=device))
    forward, weights = prepare(model_id, settings)
    with hook_guard.shared():
        previous = torch.get_num_threads()
        torch.set_num_threads(threads)
        try:
            for run in range(WARMUP_RUNS):  # the first runs compile, allocate and tune kernels
                report(0.05 + 0.15 * run / WARMUP_RUNS, "warming up")
                forward()
            if device == "cuda":
                torch.cuda.synchronize()
            timer = benchmark.Timer(stmt="forward()", globals={"forward": forward}, num_threads=threads,
                                    label=model_id)
            spent = [0.0]

            def on_block(number: int, seconds: float) -> None:
                spent[0] += seconds
                report(min(1.0, 0.2 + 0.8 * spent[0] / settings.min_run_time_s), "timing")

            measurement = timer.blocked_autorange(callback=on_block, min_run_time=settings.min_run_time_s)
            times = list(measurement.times)
            while len(times) < MIN_MEASUREMENTS:
                report(0.2 + 0.8 * len(times) / MIN_MEASUREMENTS, "timing")
                times += timer.timeit(measurement.number_per_run).times
        finally:
            torch.set_num_threads(previous)
    median = statistics.median(times)
    p90 = statistics.quantiles(times, n=10, method="inclusive")[-1]
    report(1.0, "done")
    return BenchResult(model_id, device, settings.batch, median * 1e3, p90 * 1e3,
                       settings.batch / median, threads, settings.channels_last,
                       str(settings.amp_dtype).replace("torch.", "") if settings.amp else None, settings.compile,
                       len(times) * measurement.number_per_run, weights)


def untrained_note(result: BenchResult) -> str:
    """Why the weights do not matter for a timing, said every time one is shown."""
    if result.weights == UNTRAINED_LABEL:
        return Text("weights: untrained (random initialization); the timing does not depend on them")
    return Text("weights: {label}", label=Text(result.weights))


def bench_key(model_id: str, settings: BenchSettings) -> tuple:
    """The shared queue's key for one timing: identical requests (model, device, settings) share a run."""
    return ("bench", model_id, settings)


def submit_benchmark(model_id: str, settings: BenchSettings) -> Job:
    """Queue a timing on the server's one heavy-work queue (or join the identical one already
    queued, running or finished); its progress updates are (fraction, what) pairs."""
    get_spec(model_id)
    pick_device(settings.device)  # refuse a device this machine lacks now, not when the turn comes
    return HEAVY_WORK.submit(bench_key(model_id, settings),
                             lambda report: run_benchmark(model_id, settings, lambda *update: report(update)))


def measured(model_ids: list[str], settings: BenchSettings) -> dict[str, BenchResult]:
    """The finished timings of these models with exactly these settings (nothing is run)."""
    jobs = {model_id: HEAVY_WORK.find(bench_key(model_id, settings)) for model_id in model_ids}
    return {model_id: job.result for model_id, job in jobs.items() if job is not None and job.state == "done"}
