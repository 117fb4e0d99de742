"""Home page speed, measured in a real browser: server start → first interactive render, and
click → details panel update for a series of nodes. For comparison, in the same browser and
server: choosing a network in the "Go to" picker, which redraws the whole figure (a click does
not: the browser already shows the selection). Prints the figures; asserts nothing.

Run: .venv/bin/python bench/home_latency.py [--clicks 12]
Target (issue 2): click → panel under 300 ms on a 2-core machine.
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
from tests.e2e.harness import launch_chromium, open_page, streamlit_server, wait_idle  # noqa: E402
from tests.e2e.plotly_points import point_centre, wait_for_points  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clicks", type=int, default=12)
    args = parser.parse_args()
    graph = load_lineage()
    targets = [n for n in graph.nodes][: args.clicks]
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        started = time.perf_counter()
        with streamlit_server(Path(tmp) / "server.log", {"LINEAGE_CACHE_DIR": tmp}) as url:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            open_page(page, url)
            wait_for_points(page)
            first_render = time.perf_counter() - started
            clicks, picks = [], []
            for node_id in targets:
                page.wait_for_timeout(600)  # beyond plotly's double-click window
                page.mouse.move(*point_centre(page, node_id))
                page.wait_for_timeout(150)
                t0 = time.perf_counter()
                page.mouse.down()
                page.mouse.up()
                clicks.append(_until_panel_shows(page, graph, node_id, t0))
            for node_id in reversed(targets):
                picker = page.get_by_label("Go to a network")
                picker.click()
                picker.fill(graph.nodes[node_id]["name"])
                page.get_by_role("option", name=f"{graph.nodes[node_id]['name']} (").first.wait_for()
                t0 = time.perf_counter()
                page.keyboard.press("Enter")
                picks.append(_until_panel_shows(page, graph, node_id, t0))
        browser.close()
    print(f"server start → first interactive render: {first_render:.2f} s")
    print(f"click → panel update:   {_summary(clicks)} (target < 300 ms)")
    print(f"picker → panel update:  {_summary(picks)} (redraws the figure)")
    print(f"click / picker, medians: {statistics.median(clicks) / statistics.median(picks):.2f}")


def _until_panel_shows(page, graph, node_id: str, started: float) -> float:
    """Seconds from `started` until the node's details heading is on the page (a node's name alone
    is already in the chart); then wait for the run to end."""
    node = graph.nodes[node_id]
    page.get_by_role("heading", name=f"{node['name']} ({node['year']})").wait_for(timeout=30_000)
    elapsed = time.perf_counter() - started
    wait_idle(page)
    return elapsed


def _summary(latencies: list[float]) -> str:
    ordered = sorted(latencies)
    return (f"median {statistics.median(ordered) * 1000:4.0f} ms, p90 {ordered[int(0.9 * (len(ordered) - 1))] * 1000:4.0f} ms, "
            f"max {ordered[-1] * 1000:4.0f} ms over {len(ordered)}")


if __name__ == "__main__":
    main()
