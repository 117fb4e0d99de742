"""Every experiment at its defaults: seconds of a fresh run (target: measured ≤ 5 s, trained ≤ 60 s
on a 2-core machine), then the time to read the same result back from the disk cache.

    python bench/experiments.py [--only FROM TO]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TARGET = {"measured": 5.0, "trained": 60.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", nargs=2, metavar=("FROM", "TO"))
    args = parser.parse_args()
    os.environ["LINEAGE_CACHE_DIR"] = tempfile.mkdtemp(prefix="bench-experiments-")  # a cold cache
    from models.experiments import EXPERIMENTS, run_experiment

    edges = [tuple(args.only)] if args.only else list(EXPERIMENTS)
    print(f"{'edge':30} {'kind':9} {'fresh s':>8} {'target':>7} {'cache hit ms':>13}  verdict")
    for edge in edges:
        kind = EXPERIMENTS[edge].kind
        started = time.perf_counter()
        result = run_experiment(*edge)
        fresh = time.perf_counter() - started
        started = time.perf_counter()
        hit = run_experiment(*edge)
        hit_ms = (time.perf_counter() - started) * 1000
        assert hit.cached
        over = "!" if fresh > TARGET[kind] else " "
        print(f"{' → '.join(edge):30} {kind:9} {fresh:8.2f} {TARGET[kind]:6.0f}{over} "
              f"{hit_ms:13.1f}  {'supports' if result.supports_claim else 'not shown'}", flush=True)
    print(f"(load average at the end: {', '.join(f'{x:.1f}' for x in os.getloadavg())})")


if __name__ == "__main__":
    main()
