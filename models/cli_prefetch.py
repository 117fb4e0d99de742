"""`python -m models prefetch [ID ...|--all] [--to DIR]`: fetch the default pretrained weights
before a class (progress on stderr, cached ones skipped). Offline it lists what it would fetch and
exits with status 1 and one line on stderr."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from models.prefetch import WeightsState, can_download, prefetch, weights_state
from models.registry import get_spec
from models.weights import WeightsUnavailableError


def add_command(commands: argparse._SubParsersAction) -> None:
    """Register `prefetch` on the CLI's subparsers."""
    command = commands.add_parser("prefetch", help="download the default pretrained weights before a class")
    command.add_argument("ids", nargs="*", metavar="ID")
    command.add_argument("--all", action="store_true", help="every model that has pretrained weights")
    command.add_argument("--to", type=Path, default=None, metavar="DIR",
                         help="also copy the files here (then set LINEAGE_WEIGHTS_DIR=DIR where the app runs)")
    command.set_defaults(run=run_prefetch)


def run_prefetch(args: argparse.Namespace) -> int:
    if bool(args.ids) == args.all:
        raise ValueError("name model ids, or --all (not both)")
    states = weights_state(None if args.all else [get_spec(i).id for i in args.ids])
    missing = [s for s in states if s.path is None]
    if missing and not can_download(missing[0].option):
        for state in missing:
            print(f"would fetch {state.spec.id}: {state.option.provenance} ({_size(state)}) from {state.option.url}")
        print(f"error: offline: {len(missing)} weights file(s) not fetched (listed above)", file=sys.stderr)
        return 1
    for state in states:
        try:
            path = prefetch(state, args.to, None if state.path else _bar(state))
        except WeightsUnavailableError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        print(f"{'cached ' if state.path else 'fetched'} {state.spec.id}: {path}")
    return 0


def _size(state: WeightsState) -> str:
    return f"{state.option.file_size_mb:.1f} MB" if state.option.file_size_mb else "size unknown"


def _bar(state: WeightsState):
    shown = {"tenth": -1}

    def report(done: int, total: int) -> None:
        tenth = 10 * done // total if total else -1
        if tenth != shown["tenth"]:
            shown["tenth"] = tenth
            amount = f"{done / 2**20:.1f}/{total / 2**20:.1f} MB" if total else f"{done / 2**20:.1f} MB"
            print(f"  {state.spec.id}: {amount}", file=sys.stderr, flush=True)

    return report
