"""A class at once: start the server, open N students' pages (one browser context each), all upload
a different photo at the same moment to /Predict?model=resnet18 (top-5 + Grad-CAM), and print each
class's latency (median, max), errors, cross-talk and the server's peak RSS, then the capacity per
core: the largest class whose every student was answered within `--target-s` without an error,
per CPU core. `--soak K` opens and closes K sessions one after another, each predicting once, and
prints the RSS peak and plateau. `--inference ray` runs the same through the Ray Serve worker.

    .venv/bin/python bench/classroom.py [--students 1 8 16 32] [--soak 200] [--target-s 4] [--inference ray]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.harness import streamlit_server  # noqa: E402
from tests.e2e.students import rss_bytes, run_class, run_sessions, server_pid, write_photos  # noqa: E402

PAGE = "/Predict?model=resnet18"


class PeakRss:
    """Samples a process's RSS every 0.2 s in the background; `peak()` since the last `reset()`."""

    def __init__(self, pid: int) -> None:
        self.pid, self.value, self.stopped = pid, 0, threading.Event()
        threading.Thread(target=self._sample, daemon=True).start()

    def _sample(self) -> None:
        while not self.stopped.wait(0.2):
            self.value = max(self.value, rss_bytes(self.pid))

    def reset(self) -> None:
        self.value = rss_bytes(self.pid)

    def peak(self) -> int:
        return max(self.value, rss_bytes(self.pid))


def one_class(url: str, folder: Path, students: int, rss: PeakRss) -> tuple[float | None, int]:
    """One class's figures, printed; returns its slowest answer (None if any student got none) and its errors."""
    rss.reset()
    answers, opening = run_class(url + PAGE, write_photos(folder, students))
    times = [a.seconds for a in answers if a.seconds is not None]
    errors = [a for a in answers if a.error]
    crossed = sum(a.cross_talk for a in answers)
    spread = f"median {statistics.median(times):.2f} s, max {max(times):.2f} s" if times else "no answer"
    print(f"N={students:>3}: {spread}; answered {len(times)}/{students}; errors {len(errors)}; "
          f"cross-talk {crossed}; pages opened in {opening:.1f} s; server peak RSS {rss.peak() / 2**20:.0f} MiB; "
          f"load average {os.getloadavg()[0]:.1f}", flush=True)
    for answer in errors[:3]:
        print(f"        student {answer.student}: {answer.error}", flush=True)
    return (max(times) if len(times) == students else None), len(errors) + crossed


def capacity(results: dict[int, tuple[float | None, int]], target_s: float) -> None:
    """The largest class answered within the target without an error or cross-talk, per core."""
    cores = os.cpu_count() or 1
    within = [n for n, (slowest, errors) in results.items() if slowest is not None and slowest <= target_s and not errors]
    if within:
        print(f"capacity: {max(within)} students at once answered within {target_s:g} s on {cores} cores "
              f"= {max(within) / cores:.1f} students per core (of the classes run: {sorted(results)})", flush=True)
    else:
        print(f"capacity: no class of {sorted(results)} was answered within {target_s:g} s on {cores} cores", flush=True)


def soak(url: str, folder: Path, sessions: int, rss: PeakRss) -> None:
    """Sessions opened and closed in sequence, each predicting once: the RSS after each, its peak and plateau."""
    (photo,) = write_photos(folder, 1)
    levels, errors, every = [], [], max(1, sessions // 8)
    rss.reset()

    def after(session: int, answer) -> None:
        if answer.error:
            errors.append(answer.error)
        levels.append(rss_bytes(rss.pid))
        if (session + 1) % every == 0:
            print(f"  soak: {session + 1} sessions, RSS {levels[-1] / 2**20:.0f} MiB, errors {len(errors)}", flush=True)

    run_sessions(url + PAGE, photo, sessions, after)
    tail, half = levels[len(levels) * 3 // 4:], levels[len(levels) // 2:]
    print(f"soak {sessions} sessions: errors {len(errors)}; RSS after the first {levels[0] / 2**20:.0f} MiB, "
          f"peak {rss.peak() / 2**20:.0f} MiB, plateau (median of the last quarter) "
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
        rss = PeakRss(server_pid(int(url.rsplit(":", 1)[1])))
        print(f"server {url}, {PAGE}, untrained weights (offline: the same compute as pretrained), "
              f"{args.inference} inference, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; "
              "a first student warms the model up", flush=True)
        run_class(url + PAGE, write_photos(folder, 1))
        results = {students: one_class(url, folder, students, rss) for students in args.students}
        if results:
            capacity(results, args.target_s)
        if args.soak:
            soak(url, folder, args.soak, rss)
        rss.stopped.set()


if __name__ == "__main__":
    main()
