"""Analysing every model on the meta device against a naive baseline. Prints the figures; asserts nothing.

Each measurement is its own child process (wall time, and peak RSS from `os.wait4`, so per run):
  1. a process that only imports torch, torchvision and timm;
  2. `python -m models summary --all --json --no-cache` (cold, with an empty analysis cache);
  3. the naive baseline: build each torchvision/timm model on the CPU with random weights, then
     count it with fvcore's FlopCountAnalysis at its input size.
The ratios subtract the import-only cost from both sides. Then, in this process: a cold and a
warm (second) analysis of ResNet-50.

Run: .venv/bin/python bench/analysis_speed.py [--subset N]
Targets (issue 3): ≤ 0.2 of the baseline's time and ≤ 0.3 of its peak memory; warm < 50 ms.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

IMPORT_ONLY = "import torch, torchvision, timm"
BASELINE = """
import gc, logging, sys, warnings
warnings.simplefilter("ignore"); logging.disable(logging.WARNING)
import torch
from fvcore.nn import FlopCountAnalysis
from models.registry import REGISTRY
for model_id in sys.argv[1:]:
    spec = REGISTRY[model_id]
    model = spec.build("cpu")
    image = torch.randn(1, 3, spec.input_size, spec.input_size)
    with torch.no_grad():
        FlopCountAnalysis(model, image).unsupported_ops_warnings(False).uncalled_modules_warnings(False).total()
    del model
    gc.collect()
"""


def measure(*args: str, env: dict[str, str] | None = None) -> tuple[float, int]:
    """(wall seconds, peak RSS bytes) of one child process running `python args...`."""
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, *args], cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"{args[:3]} exited with {child.returncode}")
    return time.perf_counter() - started, usage.ru_maxrss * 1024  # ru_maxrss is in KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--subset", type=int, default=None, help="only the first N torchvision/timm models")
    args = parser.parse_args()
    from models.registry import REGISTRY

    library = [s.id for s in REGISTRY.values() if s.source != "local"][: args.subset]
    ours_ids = ["--all"] if args.subset is None else library
    with tempfile.TemporaryDirectory() as cache:
        imports = measure("-c", IMPORT_ONLY)
        ours = measure("-m", "models", "summary", *ours_ids, "--json", "--no-cache",
                       env={**os.environ, "LINEAGE_CACHE_DIR": cache})
    naive = measure("-c", BASELINE, *library)
    counted = len(REGISTRY) if args.subset is None else len(library)
    print(f"import torch+torchvision+timm only:  {imports[0]:7.1f} s  {imports[1] / 2**20:7.0f} MiB peak")
    print(f"summary, {counted} models on meta:     {ours[0]:7.1f} s  {ours[1] / 2**20:7.0f} MiB peak")
    print(f"naive, {len(library)} models CPU+fvcore:    {naive[0]:7.1f} s  {naive[1] / 2**20:7.0f} MiB peak")
    time_ratio = (ours[0] - imports[0]) / (naive[0] - imports[0])
    memory_ratio = (ours[1] - imports[1]) / (naive[1] - imports[1])
    print(f"beyond the imports: time ratio {time_ratio:.3f} (target ≤ 0.2), "
          f"peak memory ratio {memory_ratio:.3f} (target ≤ 0.3)")

    from models.analysis import analyse

    with tempfile.TemporaryDirectory() as cache:
        os.environ["LINEAGE_CACHE_DIR"] = cache
        started = time.perf_counter()
        analyse("resnet50")
        cold = time.perf_counter() - started
        started = time.perf_counter()
        analyse("resnet50")
        warm = time.perf_counter() - started
    print(f"in process, resnet50: cold {cold * 1e3:.0f} ms, warm (second call) {warm * 1e3:.4f} ms (target < 50 ms)")


if __name__ == "__main__":
    main()
