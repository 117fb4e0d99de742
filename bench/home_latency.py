"""Home page speed, measured in a real browser: server start → first interactive render, and
click → details panel update for a series of nodes. Prints the figures; asserts nothing.

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
            latencies = []
            for node_id in targets:
                title = graph.nodes[node_id]["title"]
                page.wait_for_timeout(600)  # beyond plotly's double-click window
                page.mouse.move(*point_centre(page, node_id))
                page.wait_for_timeout(150)
                t0 = time.perf_counter()
                page.mouse.down()
                page.mouse.up()
                page.get_by_text(title, exact=False).first.wait_for(timeout=30_000)
                latencies.append(time.perf_counter() - t0)
                wait_idle(page)
        browser.close()
    print(f"server start → first interactive render: {first_render:.2f} s")
    print(f"click → panel update over {len(latencies)} clicks: median {statistics.median(latencies) * 1000:.0f} ms, "
          f"p90 {sorted(latencies)[int(0.9 * (len(latencies) - 1))] * 1000:.0f} ms, "
          f"max {max(latencies) * 1000:.0f} ms (target < 300 ms)")


if __name__ == "__main__":
    main()
