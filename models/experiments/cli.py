"""`python -m models experiment FROM TO [--seed N] [--set NAME=VALUE ...] [--no-cache] [--json]` runs
an edge's experiment; `--list` lists the edges that have one. Bad input raises ValueError or
UnknownExperimentError (a KeyError), which this module turns into one line on stderr and exit 2."""

from __future__ import annotations

import argparse
import json
import sys

from models.experiments.registry import EXPERIMENTS, UnknownExperimentError
from models.experiments.runner import ExperimentResult, run_experiment


def add_command(commands: argparse._SubParsersAction) -> None:
    """Register `experiment` on the `python -m models` subparsers."""
    parser = commands.add_parser("experiment", help="test an edge's claim: a measured or trained experiment")
    parser.add_argument("source", nargs="?", metavar="FROM")
    parser.add_argument("target", nargs="?", metavar="TO")
    parser.add_argument("--list", action="store_true", help="the edges that have an experiment")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="another setting")
    parser.add_argument("--no-cache", action="store_true", help="run afresh, ignoring a cached result")
    parser.add_argument("--json", action="store_true", help="one JSON object")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """List the experiments, or run one and print it; errors: one line on stderr, exit 2."""
    try:
        return _run(args)
    except (UnknownExperimentError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    if args.list:
        for (source, target), experiment in EXPERIMENTS.items():
            print(f"{source:14} {target:14} {experiment.kind:9} {experiment.title}")
        return 0
    if not (args.source and args.target):
        raise ValueError("name an edge (FROM TO), or --list")
    settings = dict(_pair(text) for text in args.set)
    if args.seed is not None:
        settings["seed"] = args.seed
    result = run_experiment(args.source, args.target, settings, use_cache=not args.no_cache)
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False))
    else:
        _print(result)
    return 0


def _pair(text: str) -> tuple[str, str]:
    name, equals, value = text.partition("=")
    if not equals:
        raise ValueError(f"--set takes NAME=VALUE, not {text!r}")
    return name.strip(), value.strip()


def _print(result: ExperimentResult) -> None:
    print(f"{result.title} ({result.edge[0]} → {result.edge[1]}, {result.kind})")
    print(f"  claim: {result.claim}")
    print(f"  paper: {result.paper['statement']} [{result.paper['number']}; {result.paper['where']}]")
    print(f"  {'variant':58} {'params':>12} {'MACs':>14}  other")
    for v in result.variants:
        trained = (f"train loss {v.final_train_loss}, test acc {v.test_accuracy:.3f}" if v.test_accuracy is not None
                   else ", ".join(f"{k} {x:g}" for k, x in v.metrics.items()))
        macs = f"{v.macs:,}" if v.macs is not None else "-"
        print(f"  {v.name[:58]:58} {v.params:>12,} {macs:>14}  {trained}")
    print(f"  verdict: {result.verdict}")
    if result.timing_words:
        print(f"  {result.timing_words}")
    if result.caveat:
        print(f"  note: {result.caveat}")
    print(f"  {result.seconds:.1f} s{' (cached)' if result.cached else ''}")
