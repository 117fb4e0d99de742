"""A class at once: start the server, open N students' pages (one browser context each), all upload
a different photo at the same moment to /Predict?model=resnet18 (top-5 + Grad-CAM), and print each
class's latency (median, max), errors, cross-talk, the server's peak RSS and the CPU that the
server and the bench's own browsers (by Chromium process kind) spent answering, then the capacity per
core: the largest class whose every student was answered within `--target-s` without an error,
per CPU core. `--soak K` opens and closes K sessions one after another, each predicting once, and
prints the RSS peak and plateau. `--inference ray` runs the same through the Ray Serve worker
(the RSS is then the web server's process alone; the CPU includes Ray's processes).

    .venv/bin/python bench/classroom.py [--students 1 8 16 32] [--soak 200] [--target-s 4] [--inference ray]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from models.serving.batcher import BATCH_LOG  # noqa: E402
from tests.e2e.harness import streamlit_server  # noqa: E402
from tests.e2e.students import (cpu_seconds, descendants, process_kind, rss_bytes, run_class,  # noqa: E402
                                run_sessions, server_pid, write_photos)

PAGE = "/Predict?model=resnet18"


class Sampler:
    """Samples the server's RSS, and the CPU time of the server (with its children: Ray's workers)
    and of this bench's browsers by process kind, every 0.2 s in the background; `peak()` and
    `cpu()` since the last `reset()`. The browsers share this machine's cores with the server here,
    unlike a class's own devices, so their CPU is shown beside the server's."""

    def __init__(self, pid: int) -> None:
        self.pid, self.value, self.stopped, self.lock = pid, 0, threading.Event(), threading.Lock()
        self.seen: dict[int, tuple[str, float]] = {}  # pid → (kind, CPU seconds); a process that ended keeps its last
        self.started: dict[str, float] = {}
        self._sample_cpu()
        threading.Thread(target=self._sample, daemon=True).start()

    def _sample(self) -> None:
        while not self.stopped.wait(0.2):
            self.value = max(self.value, rss_bytes(self.pid))
            self._sample_cpu()

    def _sample_cpu(self) -> None:
        server = {self.pid, *descendants(self.pid)}
        with self.lock:  # the class's own thread samples too, at its start and end
            for pid in descendants(os.getpid()):  # read the kind each time: a zygote's fork becomes a renderer
                last_kind, last_seconds = self.seen.get(pid, (None, 0.0))
                kind = "server" if pid in server else process_kind(pid) or last_kind
                if kind:
                    self.seen[pid] = kind, max(last_seconds, cpu_seconds(pid))

    def _totals(self) -> dict[str, float]:
        totals: dict[str, float] = {}
        with self.lock:
            for kind, seconds in self.seen.values():
                totals[kind] = totals.get(kind, 0.0) + seconds
        return totals

    def reset(self) -> None:
        self._sample_cpu()
        self.value = rss_bytes(self.pid)
        self.started = self._totals()

    def peak(self) -> int:
        return max(self.value, rss_bytes(self.pid))

    def cpu(self) -> dict[str, float]:
        """CPU seconds since `reset()` by kind: "server", and the kinds of `process_kind`."""
        self._sample_cpu()
        return {kind: seconds - self.started.get(kind, 0.0) for kind, seconds in self._totals().items()}


def browsers_cpu(cpu: dict[str, float]) -> float:
    """The bench's own processes' CPU seconds, all but the server's."""
    return sum(seconds for kind, seconds in cpu.items() if kind != "server")


class ServerLog:
    """The batch lines the inference worker writes to the server's log since the last `mark()`."""

    def __init__(self, path: Path) -> None:
        self.path, self.offset = path, 0
        self.prefix, self.waits_at = BATCH_LOG.split("{")[0], BATCH_LOG.split("{waits}")[0].rsplit("}", 1)[1]

    def mark(self) -> None:
        self.offset = self.path.stat().st_size

    def batches(self) -> list[tuple[int, list[float]]]:
        """(jobs, each job's seconds from queued to answered) per batch since `mark()`."""
        with self.path.open() as log:
            log.seek(self.offset)
            lines = [line for line in log if self.prefix in line]
        return [(int(line.split(self.prefix)[1].split()[0]),
                 [float(w) for w in line.rsplit(self.waits_at, 1)[1].split()[:-1]]) for line in lines]

    def summary(self) -> str:
        batches = self.batches()
        waits = [wait for _, job_waits in batches for wait in job_waits]
        if not waits:
            return "server: no batch in its log"
        return (f"server, queued to answered: median {statistics.median(waits):.2f} s, max {max(waits):.2f} s "
                f"({len(waits)} jobs in batches of {[jobs for jobs, _ in batches]})")


def one_class(url: str, folder: Path, students: int, sampler: Sampler, log: ServerLog) -> tuple[float | None, int]:
    """One class's figures, printed; returns its slowest answer (None if any student got none) and its errors."""
    sampler.reset()
    log.mark()
    marks: dict[str, tuple[float, dict[str, float]]] = {}

    def mark(name: str) -> None:
        marks[name] = time.perf_counter(), sampler.cpu()

    answers, opening = run_class(url + PAGE, write_photos(folder, students), lambda: mark("start"), lambda: mark("end"))
    times = [a.seconds for a in answers if a.seconds is not None]
    errors = [a for a in answers if a.error]
    crossed = sum(a.cross_talk for a in answers)
    spread = f"median {statistics.median(times):.2f} s, max {max(times):.2f} s" if times else "no answer"
    cpu = sampler.cpu()
    print(f"N={students:>3}: {spread}; answered {len(times)}/{students}; errors {len(errors)}; "
          f"cross-talk {crossed}; pages opened in {opening:.1f} s; server peak RSS {sampler.peak() / 2**20:.0f} MiB; "
          f"CPU: server {cpu.get('server', 0.0):.1f} s, the bench's browsers {browsers_cpu(cpu):.1f} s; "
          f"load average {os.getloadavg()[0]:.1f}", flush=True)
    print(f"        {log.summary()}", flush=True)
    if len(marks) == 2:
        print(f"        {answering_cpu(marks['start'], marks['end'])}", flush=True)
    for answer in errors[:3]:
        print(f"        student {answer.student}: {answer.error}", flush=True)
    return (max(times) if len(times) == students else None), len(errors) + crossed


def answering_cpu(start: tuple[float, dict[str, float]], end: tuple[float, dict[str, float]]) -> str:
    """The CPU spent from the first upload to the last answer, by side (the browsers' by process
    kind), and the least wall time this machine's cores could have done it in: a floor that the
    bench's own browsers raise here, where they share the cores that a class's own devices would not."""
    (began, before), (ended, after) = start, end
    spent = {kind: seconds - before.get(kind, 0.0) for kind, seconds in after.items()}
    server, browsers, cores = spent.get("server", 0.0), browsers_cpu(spent), os.cpu_count() or 1
    kinds = ", ".join(f"{kind} {seconds:.1f}" for kind, seconds in sorted(spent.items(), key=lambda item: -item[1])
                      if kind != "server" and seconds >= 0.05)
    return (f"while answering ({ended - began:.1f} s): CPU server {server:.1f} s, the bench's browsers {browsers:.1f} s "
            f"({kinds}); the {cores} cores need at least {(server + browsers) / cores:.1f} s for that work, "
            f"{server / cores:.1f} s for the server's share alone")


def capacity(results: dict[int, tuple[float | None, int]], target_s: float) -> None:
    """The largest class answered within the target without an error or cross-talk, per core."""
    cores = os.cpu_count() or 1
    within = [n for n, (slowest, errors) in results.items() if slowest is not None and slowest <= target_s and not errors]
    if within:
        print(f"capacity: {max(within)} students at once answered within {target_s:g} s on {cores} cores "
              f"= {max(within) / cores:.1f} students per core (of the classes run: {sorted(results)})", flush=True)
    else:
        print(f"capacity: no class of {sorted(results)} was answered within {target_s:g} s on {cores} cores", flush=True)


def soak(url: str, folder: Path, sessions: int, sampler: Sampler) -> None:
    """Sessions opened and closed in sequence, each predicting once: the RSS after each, its peak and plateau."""
    (photo,) = write_photos(folder, 1)
    levels, errors, every = [], [], max(1, sessions // 8)
    sampler.reset()

    def after(session: int, answer) -> None:
        if answer.error:
            errors.append(answer.error)
        levels.append(rss_bytes(sampler.pid))
        if (session + 1) % every == 0:
            print(f"  soak: {session + 1} sessions, RSS {levels[-1] / 2**20:.0f} MiB, errors {len(errors)}", flush=True)

    run_sessions(url + PAGE, photo, sessions, after)
    tail, half = levels[len(levels) * 3 // 4:], levels[len(levels) // 2:]
    print(f"soak {sessions} sessions: errors {len(errors)}; RSS after the first {levels[0] / 2**20:.0f} MiB, "
          f"peak {sampler.peak() / 2**20:.0f} MiB, plateau (median of the last quarter) "
          f"{statistics.median(tail) / 2**20:.0f} MiB, change over the second half "
          f"{(half[-1] - half[0]) / 2**20:+.0f} MiB", flush=True)
    for error in errors[:3]:
        print(f"        {error}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, nargs="*", default=[1, 8, 16, 32])
    parser.add_argument("--soak", type=int, default=0, help="sessions in sequence (0: no soak)")
    parser.add_argument("--target-s", type=float, default=4.0, help="slowest answer a class may wait for capacity")
    parser.add_argument("--inference", choices=["local", "ray"], default="local", help="the server's worker")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="classroom-"))
    env = {"LINEAGE_OFFLINE": "1", "LINEAGE_CACHE_DIR": str(folder / "cache"), "TORCH_HOME": str(folder / "torch"),
           "LINEAGE_INFERENCE": args.inference}
    with streamlit_server(folder / "streamlit.log", env, timeout=600) as url:
        sampler = Sampler(server_pid(int(url.rsplit(":", 1)[1])))
        print(f"server {url}, {PAGE}, untrained weights (offline: the same compute as pretrained), "
              f"{args.inference} inference, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; "
              "a first student warms the model up", flush=True)
        run_class(url + PAGE, write_photos(folder, 1))
        log = ServerLog(folder / "streamlit.log")
        results = {students: one_class(url, folder, students, sampler, log) for students in args.students}
        if results:
            capacity(results, args.target_s)
        if args.soak:
            soak(url, folder, args.soak, sampler)
        sampler.stopped.set()


if __name__ == "__main__":
    main()
