"""Analysing every model (`python -m models summary --all --no-cache`, cold) against a naive
baseline (build each torchvision/timm model on the CPU with random weights, then fvcore), both
minus the cost of a process that only imports torch, torchvision and timm. Each is measured in
its own child process (wall time and peak RSS). Also: a warm, in-process analysis in ms.

Run: .venv/bin/python bench/analysis_speed.py [--subset N]
Targets (issue 3): ≤ 0.2 of the baseline's time and ≤ 0.3 of its peak memory; warm < 50 ms.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MEASURE = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
           "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode; "
           "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024, code)")
IMPORT_ONLY = "import torch, torchvision, timm"
BASELINE = """
import sys, warnings, logging, torch
warnings.simplefilter("ignore"); logging.disable(logging.WARNING)
from fvcore.nn import FlopCountAnalysis
from models.registry import REGISTRY
ids = [s.id for s in REGISTRY.values() if s.source != "local"][: int(sys.argv[1])]
for model_id in ids:
    spec = REGISTRY[model_id]
    model = spec.build("cpu")
    x = torch.randn(1, 3, spec.input_size, spec.input_size)
    with torch.no_grad():
        FlopCountAnalysis(model, x).unsupported_ops_warnings(False).uncalled_modules_warnings(False).total()
    del model
"""


def measure(*command: str) -> tuple[float, int]:
    """(seconds, peak RSS bytes) of one child process."""
    out = subprocess.run([sys.executable, "-c", MEASURE, *command], cwd=ROOT, capture_output=True, text=True, check=True)
    seconds, rss, code = out.stdout.split()
    if code != "0":
        raise RuntimeError(f"{command} exited with {code}")
    return float(seconds), int(rss)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--subset", type=int, default=10_000, help="only the first N library models")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from models.registry import REGISTRY

    ids = [s.id for s in REGISTRY.values()]
    library_ids = [s.id for s in REGISTRY.values() if s.source != "local"][: args.subset]
    with tempfile.TemporaryDirectory() as cache:
        base_t, base_m = measure(sys.executable, "-c", IMPORT_ONLY)
        ours_t, ours_m = measure(sys.executable, "-c", "import os, sys; os.environ['LINEAGE_CACHE_DIR'] = sys.argv[1]; "
                                 "from models.__main__ import main; sys.argv = ['models', 'summary', '--json', "
                                 "'--no-cache', *sys.argv[2:]]; main()", cache, *(library_ids if args.subset < 10_000 else ids))
    naive_t, naive_m = measure(sys.executable, "-c", BASELINE, str(args.subset))
    print(f"models analysed: ours {len(library_ids) if args.subset < 10_000 else len(ids)}, baseline {len(library_ids)}")
    print(f"import-only process:     {base_t:6.1f} s  {base_m / 2**20:7.0f} MiB peak")
    print(f"summary --all (cold):    {ours_t:6.1f} s  {ours_m / 2**20:7.0f} MiB peak")
    print(f"naive CPU build+fvcore:  {naive_t:6.1f} s  {naive_m / 2**20:7.0f} MiB peak")
    time_ratio = (ours_t - base_t) / (naive_t - base_t)
    memory_ratio = (ours_m - base_m) / (naive_m - base_m)
    print(f"ratio beyond imports: time {time_ratio:.3f} (target ≤ 0.2), peak memory {memory_ratio:.3f} (target ≤ 0.3)")

    from models.analysis import analyse

    analyse("resnet50")
    started = time.perf_counter()
    for _ in range(100):
        analyse("resnet50")
    print(f"warm in-process analysis: {(time.perf_counter() - started) * 10:.3f} ms per call (target < 50 ms)")
    print(json.dumps({"time_ratio": round(time_ratio, 4), "memory_ratio": round(memory_ratio, 4)}))


if __name__ == "__main__":
    main()
