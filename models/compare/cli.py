"""`python -m models bench [ID ...|--all] [--device cpu|cuda] [--batch N] [--threads N]
[--channels-last] [--amp] [--compile] [--json]`: latency and throughput on this machine, with a
progress bar on stderr. Untrained weights: a timing does not depend on their values. Bad input
(an unknown id, a device this machine lacks) raises ValueError/UnknownModelError, which
`models.__main__` prints as one line with exit status 2.
"""

from __future__ import annotations

import argparse
import json
import sys

from tqdm import tqdm

from models.compare.bench import MIN_RUN_TIME_S, BenchResult, BenchSettings, run_benchmark, untrained_note
from models.registry import REGISTRY, get_spec
from models.runtime import pick_device


def add_command(commands: argparse._SubParsersAction) -> None:
    """Register `bench` on the CLI's subparsers."""
    parser = commands.add_parser("bench", help="latency and images/s on this machine (torch.utils.benchmark)")
    parser.add_argument("ids", nargs="*", metavar="ID")
    parser.add_argument("--all", action="store_true", help="every registered model")
    parser.add_argument("--device", choices=("auto", "cpu", "cuda", "mps"), default="cpu")
    parser.add_argument("--batch", type=int, default=1, metavar="N")
    parser.add_argument("--threads", type=int, default=None, metavar="N", help="intra-op threads (default: torch's)")
    parser.add_argument("--channels-last", action="store_true", help="NHWC memory format (a private copy)")
    parser.add_argument("--amp", action="store_true", help="autocast: bfloat16 on CPU, float16 on CUDA")
    parser.add_argument("--compile", action="store_true", help="torch.compile the model first")
    parser.add_argument("--min-time", type=float, default=MIN_RUN_TIME_S, metavar="S",
                        help="seconds of timing per model after the warm-up")
    parser.add_argument("--json", action="store_true", help="one object per model, in order")
    parser.set_defaults(run=run_bench)


def run_bench(args: argparse.Namespace) -> int:
    """Check everything cheap first (ids, device, numbers), then time each model in turn."""
    ids = list(REGISTRY) if args.all else args.ids
    if not ids:
        raise ValueError("name at least one model id, or --all")
    for model_id in ids:
        get_spec(model_id)
    settings = BenchSettings(pick_device(args.device), args.batch, args.threads, args.channels_last, args.amp,
                             args.compile, args.min_time)
    results = []
    with tqdm(total=len(ids) * 100, file=sys.stderr, unit="%", bar_format="{l_bar}{bar}| {n:.0f}/{total}") as bar:
        for index, model_id in enumerate(ids):
            def progress(fraction: float, what: str, base: int = index * 100) -> None:
                bar.set_description(f"{model_id}: {what}")
                bar.n = base + round(fraction * 100)
                bar.refresh()

            results.append(run_benchmark(model_id, settings, progress))
    if args.json:
        print(json.dumps([r.to_dict() for r in results]))
    else:
        _print_table(results)
    return 0


def _print_table(results: list[BenchResult]) -> None:
    first = results[0]
    print(f"device {first.device} · batch {first.batch} · {first.threads} threads · channels_last "
          f"{first.channels_last} · amp {first.amp or 'off'} · compile {first.compile}")
    print(f"{'id':22} {'median ms':>10} {'p90 ms':>10} {'images/s':>10} {'runs':>6}")
    for result in results:
        print(f"{result.id:22} {result.latency_ms:>10.2f} {result.latency_p90_ms:>10.2f} "
              f"{result.images_per_s:>10.1f} {result.runs:>6}")
    print(untrained_note(first))
