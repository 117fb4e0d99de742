"""Two checks of issue 11, printed, never asserted:

1. The app's benchmark (`models.compare.bench.run_benchmark`: the shared model from
   models.runtime, the hook guard, inference mode, Timer.blocked_autorange) against a bare
   `torch.utils.benchmark` timing of a fresh torchvision model on the same input, batch and
   threads, in the same process; the two alternate so that load on the machine hits both alike.
   Target: they agree within 10% (median of the rounds' medians).
2. The Compare page for three models, warm (the models counted once already): the script's run
   under Streamlit's AppTest (the server's share), and a page load in a real browser until the
   table shows and the run has ended (everything: the frontend bundle, the websocket, plotly
   drawing in headless Chromium). Target: under 2 s.
The machine's load average is printed first: on a shared machine it says how far to trust the rest.

Run: .venv/bin/python bench/compare.py [--model resnet18] [--batch 1] [--threads N] [--rounds 5] [--loads 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import torch  # noqa: E402
import torchvision  # noqa: E402
from torch.utils import benchmark  # noqa: E402

from models.compare.bench import BenchSettings, example_batch, run_benchmark  # noqa: E402

PAGE_MODELS = "alexnet,vgg16,resnet50"


def agreement(model_id: str, batch: int, threads: int, rounds: int, min_run_time: float) -> None:
    settings = BenchSettings("cpu", batch, threads, min_run_time_s=min_run_time)
    bare_model = torchvision.models.get_model(model_id, weights=None).eval()
    inputs = example_batch(model_id, batch, "cpu")
    bare_timer = benchmark.Timer(stmt="model(x)", setup="torch.set_grad_enabled(False)",
                                 globals={"model": bare_model, "x": inputs[0]}, num_threads=threads)
    for _ in range(3):
        with torch.inference_mode():
            bare_model(inputs[0])
    app, bare = [], []
    for round_ in range(rounds):
        app.append(run_benchmark(model_id, settings).latency_ms)
        bare.append(bare_timer.blocked_autorange(min_run_time=min_run_time).median * 1e3)
        print(f"  round {round_ + 1}: app {app[-1]:.2f} ms, bare {bare[-1]:.2f} ms")
    ratio = statistics.median(app) / statistics.median(bare)
    verdict = "within" if abs(ratio - 1) <= 0.10 else "NOT within"
    print(f"{model_id} cpu batch {batch}, {threads} threads: app median {statistics.median(app):.2f} ms, bare "
          f"torch.utils.benchmark median {statistics.median(bare):.2f} ms, app/bare = {ratio:.3f} ({verdict} 10%)")


def script_run(runs: int) -> None:
    from tests.app.helpers import run_page

    app = run_page("pages/4_Compare.py", timeout=300, models=PAGE_MODELS)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        app.run()
        times.append(time.perf_counter() - started)
    print(f"Compare page, {PAGE_MODELS}, warm script run (AppTest): median {statistics.median(times):.2f} s, "
          f"max {max(times):.2f} s over {runs} runs (target < 2 s)")


def page_render(loads: int) -> None:
    from playwright.sync_api import sync_playwright

    from tests.e2e.harness import launch_chromium, open_page, streamlit_server, wait_idle

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        with streamlit_server(Path(tmp) / "server.log", {"LINEAGE_OFFLINE": "1"}) as url:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            link = f"{url}/Compare?models={PAGE_MODELS}"
            open_page(page, link)  # cold: counts the models (or reads the disk cache)
            page.locator("[data-testid='stDataFrame']").first.wait_for()
            times = []
            for _ in range(loads):
                started = time.perf_counter()
                open_page(page, link)
                page.locator("[data-testid='stDataFrame']").first.wait_for()
                times.append(time.perf_counter() - started)
            toggles = []
            for index in range(loads):
                unit, caption = (("GFLOPs", "1 multiply-accumulate = 2 FLOPs") if index % 2 == 0
                                 else ("GMACs", "MACs: multiply-accumulates"))
                started = time.perf_counter()
                page.get_by_text(unit, exact=True).first.click()
                page.get_by_text(caption).first.wait_for()
                wait_idle(page)
                toggles.append(time.perf_counter() - started)
        browser.close()
    print(f"Compare page, {PAGE_MODELS}, warm, in Chromium: page load → table shown and run ended: median "
          f"{statistics.median(times):.2f} s, max {max(times):.2f} s over {loads} loads; GMACs/GFLOPs toggle → "
          f"table redrawn: median {statistics.median(toggles):.2f} s, max {max(toggles):.2f} s (target < 2 s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="resnet18")
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--threads", type=int, default=torch.get_num_threads())
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--min-time", type=float, default=1.0)
    parser.add_argument("--loads", type=int, default=5)
    args = parser.parse_args()
    print(f"load average (1, 5, 15 min): {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
    agreement(args.model, args.batch, args.threads, args.rounds, args.min_time)
    script_run(args.loads)
    page_render(args.loads)


if __name__ == "__main__":
    main()
