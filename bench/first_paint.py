"""First paint of the home page against a bare Streamlit page with one plotly chart of the same
size, in the same run: each on its own freshly started server (both up at once), the first browser
visit (the one that imports everything) and then fresh visits, the two pages taking turns so that a
change in the machine's load falls on both alike; each timed from navigation to the chart drawn and
the script run finished. A first visit is one sample per server, so `--servers` fresh pairs give
several; and each is taken twice, on a cold pair and on a pair whose script health check has run (as
the Docker images' health check does on start: it runs the home script once). Prints the figures and
the ratios; asserts nothing.

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
from tests.e2e.harness import launch_chromium, run_script_health_check, streamlit_server, wait_idle  # noqa: E402

# How a fresh server meets its first visitor: as started, or after its script health check has run once.
STARTS = {"cold": False, "after its health check": True}


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


@contextlib.contextmanager
def fresh_servers(folder: Path, points: int, height: int):
    """A freshly started server for each page, both up at once: {"bare": url, "home": url}."""
    with contextlib.ExitStack() as servers:
        yield {"bare": servers.enter_context(streamlit_server(
                   folder / "bare.log", {"BARE_POINTS": str(points), "BARE_HEIGHT": str(height)},
                   script="bench/bare_plotly_page.py")),
               "home": servers.enter_context(streamlit_server(folder / "home.log", {"LINEAGE_CACHE_DIR": str(folder)}))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=9, help="later visits to each page (their median is shown)")
    parser.add_argument("--servers", type=int, default=3,
                        help="fresh pairs of servers, each giving one first visit to each page (their median is shown)")
    args = parser.parse_args()
    graph = load_lineage()
    size = tree_figure(graph, compute_layout(graph), frozenset(), frozenset(), None).layout.height or 700
    first: dict[str, dict[str, list[float]]] = {start: {"bare": [], "home": []} for start in STARTS}
    later: dict[str, list[float]] = {"bare": [], "home": []}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        for pair in range(args.servers):
            for start, warm in STARTS.items():
                folder = Path(tmp) / f"{pair}-{warm}"
                folder.mkdir()
                with fresh_servers(folder, graph.number_of_nodes(), size) as urls:
                    if warm:
                        for name, url in urls.items():
                            status, text = run_script_health_check(url)
                            if status != 200:
                                raise SystemExit(f"{name}: the script health check answered {status} {text}")
                    order = list(urls) if pair % 2 == 0 else list(reversed(urls))  # neither page is always visited first
                    for name in order:
                        first[start][name].append(visit(browser, urls[name]))
                    print(f"pair {pair + 1}, {start}: first visits, home/bare "
                          f"{first[start]['home'][-1] / first[start]['bare'][-1]:.2f}×", flush=True)
                    for _ in range(math.ceil(args.visits / (args.servers * len(STARTS)))):
                        for name in order:
                            later[name].append(visit(browser, urls[name]))
        browser.close()
    bare_later, home_later = statistics.median(later["bare"]), statistics.median(later["home"])
    for start, pages in first.items():
        bare, home = statistics.median(pages["bare"]), statistics.median(pages["home"])
        print(f"first visit to a fresh server, {start}: bare {bare:.2f} s, home {home:.2f} s (median), "
              f"home/bare {home / bare:.2f}×")
    print(f"later visits (median): bare {bare_later:.2f} s, home {home_later:.2f} s, home/bare {home_later / bare_later:.2f}×")
    print(f"bare page: one plotly chart, {graph.number_of_nodes()} points, {size} px high. Target (issue 12): home/bare ≤ 1.25×")

if __name__ == "__main__":
    main()
