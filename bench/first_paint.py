"""First paint of the home page against a bare Streamlit page with one plotly chart of the same
size, in the same run: each on its own freshly started server, the first browser visit (the one
that imports everything) and then fresh visits, timed from navigation to the chart drawn and the
script run finished. Prints the figures and the ratio; asserts nothing.

Run: .venv/bin/python bench/first_paint.py [--visits 5]
Target (issue 12): the home page within 1.25× of the bare page.
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
from lineage.figure import tree_figure  # noqa: E402
from lineage.layout import compute_layout  # noqa: E402
from tests.e2e.harness import launch_chromium, streamlit_server, wait_idle  # noqa: E402


def visit(browser, url: str) -> float:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    started = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=120_000)
    wait_idle(page, 120_000)
    seconds = time.perf_counter() - started
    context.close()
    return seconds


def measure(browser, tmp: Path, name: str, script: str, env: dict[str, str], visits: int) -> tuple[float, float]:
    with streamlit_server(tmp / f"{name}.log", env, script=script) as url:
        first = visit(browser, url)
        again = statistics.median(visit(browser, url) for _ in range(visits))
    return first, again


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=5)
    args = parser.parse_args()
    graph = load_lineage()
    size = tree_figure(graph, compute_layout(graph), frozenset(), frozenset(), None).layout.height or 700
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        bare = measure(browser, Path(tmp), "bare", "bench/bare_plotly_page.py",
                       {"BARE_POINTS": str(graph.number_of_nodes()), "BARE_HEIGHT": str(size)}, args.visits)
        home = measure(browser, Path(tmp), "home", "app.py", {"LINEAGE_CACHE_DIR": tmp}, args.visits)
        browser.close()
    print(f"bare page (one plotly chart, {graph.number_of_nodes()} points, {size} px): "
          f"first visit {bare[0]:.2f} s, later visits median {bare[1]:.2f} s")
    print(f"home page: first visit {home[0]:.2f} s, later visits median {home[1]:.2f} s")
    print(f"ratio home/bare: first visit {home[0] / bare[0]:.2f}×, later visits {home[1] / bare[1]:.2f}× (target ≤ 1.25×)")


if __name__ == "__main__":
    main()
