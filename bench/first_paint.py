"""First paint of the home page against a bare Streamlit page with one plotly chart of the same
size, in the same run: each on its own freshly started server (both up at once), the first browser
visit (the one that imports everything) and then fresh visits, the two pages taking turns so that a
change in the machine's load falls on both alike; each timed from navigation to the chart drawn and
the script run finished. A first visit is one sample per server, so `--servers` fresh pairs give
several. Prints the figures and the ratios; asserts nothing.

Run: .venv/bin/python bench/first_paint.py [--visits 9] [--servers 3]
Target (issue 12): the home page within 1.25× of the bare page.
"""

from __future__ import annotations

import argparse
import contextlib
import math
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=9, help="later visits to each page (their median is shown)")
    parser.add_argument("--servers", type=int, default=3,
                        help="fresh pairs of servers, each giving one first visit to each page (their median is shown)")
    args = parser.parse_args()
    graph = load_lineage()
    size = tree_figure(graph, compute_layout(graph), frozenset(), frozenset(), None).layout.height or 700
    first: dict[str, list[float]] = {"bare": [], "home": []}
    later: dict[str, list[float]] = {"bare": [], "home": []}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        for pair in range(args.servers):
            folder = Path(tmp) / str(pair)
            folder.mkdir()
            with contextlib.ExitStack() as servers:
                urls = {"bare": servers.enter_context(streamlit_server(
                            folder / "bare.log", {"BARE_POINTS": str(graph.number_of_nodes()), "BARE_HEIGHT": str(size)},
                            script="bench/bare_plotly_page.py")),
                        "home": servers.enter_context(streamlit_server(folder / "home.log", {"LINEAGE_CACHE_DIR": str(folder)}))}
                order = list(urls) if pair % 2 == 0 else list(reversed(urls))  # neither page is always visited first
                for name in order:
                    first[name].append(visit(browser, urls[name]))
                print(f"pair {pair + 1}: first visits, home/bare {first['home'][-1] / first['bare'][-1]:.2f}×", flush=True)
                for _ in range(math.ceil(args.visits / args.servers)):
                    for name in order:
                        later[name].append(visit(browser, urls[name]))
        browser.close()
    bare = statistics.median(first["bare"]), statistics.median(later["bare"])
    home = statistics.median(first["home"]), statistics.median(later["home"])
    print(f"bare page (one plotly chart, {graph.number_of_nodes()} points, {size} px): "
          f"first visit median {bare[0]:.2f} s, later visits median {bare[1]:.2f} s")
    print(f"home page: first visit median {home[0]:.2f} s, later visits median {home[1]:.2f} s")
    print(f"ratio home/bare: first visit {home[0] / bare[0]:.2f}×, later visits {home[1] / bare[1]:.2f}× (target ≤ 1.25×)")


if __name__ == "__main__":
    main()
