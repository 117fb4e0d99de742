"""Tour page speed in a real browser on a fresh server: a deep link → the step's headline and note
(the light sections, no torch) against → its numbers (torch loaded, the models counted); then → for
each following step, the same two times. Prints the figures; asserts nothing.

Run: .venv/bin/python bench/tour_steps.py [--tour imagenet] [--steps 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import sync_playwright  # noqa: E402

from lineage import load_lineage  # noqa: E402
from lineage.tours import bundled_tours  # noqa: E402
from models.node_index import default_model_for_node  # noqa: E402
from tests.e2e.harness import launch_chromium, streamlit_server, wait_idle  # noqa: E402
from ui.tour_views import headline  # noqa: E402

HEADLINE = ".st-key-tour_headline h2"
NUMBERS = ".st-key-tour_numbers [data-testid='stTable']"


def _until(page, step_headline: str, model: str, started: float) -> tuple[float, float]:
    """Seconds from `started` until the headline reads `step_headline`, then until the numbers name `model`."""
    page.wait_for_function("([h, text]) => document.querySelector(h)?.innerText === text", arg=[HEADLINE, step_headline],
                           timeout=300_000, polling=20)
    light = time.perf_counter() - started
    page.wait_for_function("([n, name]) => (document.querySelector(n)?.innerText || '').includes(name)",
                           arg=[NUMBERS, model], timeout=300_000, polling=20)
    return light, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tour", default="imagenet")
    parser.add_argument("--steps", type=int, default=5)
    args = parser.parse_args()
    graph, tour = load_lineage(), bundled_tours()[args.tour]
    steps = tour.steps[: args.steps]
    titles = [headline(graph, step) for step in steps]
    models = [default_model_for_node(step.target).name for step in steps]  # the child's column in the numbers
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        with streamlit_server(Path(tmp) / "server.log", {"LINEAGE_CACHE_DIR": tmp, "LINEAGE_OFFLINE": "1"}) as url:
            page = browser.new_page(viewport={"width": 1024, "height": 768})
            started = time.perf_counter()
            page.goto(f"{url}/Tour?tour={args.tour}&step=1&present=1")
            first = _until(page, titles[0], models[0], started)
            wait_idle(page, 300_000)
            following = []
            for title, model in zip(titles[1:], models[1:]):
                page.locator(HEADLINE).click()
                started = time.perf_counter()
                page.keyboard.press("ArrowRight")
                following.append(_until(page, title, model, started))
                wait_idle(page, 300_000)
        browser.close()
    print(f"deep link on a fresh server (step 1): headline {first[0]:.2f} s, numbers {first[1]:.2f} s")
    if following:
        print(f"→ to the next step ({len(following)} steps): headline median "
              f"{statistics.median(f[0] for f in following):.2f} s (max {max(f[0] for f in following):.2f}), "
              f"numbers median {statistics.median(f[1] for f in following):.2f} s "
              f"(max {max(f[1] for f in following):.2f})")


if __name__ == "__main__":
    main()
