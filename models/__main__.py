"""Command line: `python -m models list|summary|predict ...` (see README). Errors print one line
on stderr and exit with status 2; no tracebacks for bad input."""

from __future__ import annotations

import argparse
import json
import sys

from models.analysis import ENGINES, Analysis, analyse
from models.registry import REGISTRY, UnknownModelError, get_spec
from models.runtime import ModelTooLargeError


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run one subcommand."""
    parser = argparse.ArgumentParser(prog="python -m models", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    listing = commands.add_parser("list", help="every registered model")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(run=run_list)
    summary = commands.add_parser("summary", help="parameters, MACs and layers, counted without weights")
    summary.add_argument("ids", nargs="*", metavar="ID")
    summary.add_argument("--all", action="store_true", help="every registered model")
    summary.add_argument("--json", action="store_true")
    summary.add_argument("--input-size", type=int, default=None, help="square input side in pixels")
    summary.add_argument("--engine", choices=ENGINES, default="torch")
    summary.add_argument("--no-cache", action="store_true", help="count afresh, ignoring cached analyses")
    summary.add_argument("--layers", action="store_true", help="print every layer, not only the stages")
    summary.set_defaults(run=run_summary)
    from models.cli_predict import add_predict_command
    from models.inside.cli import add_command as add_activations_command

    add_predict_command(commands)
    add_activations_command(commands)
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except (UnknownModelError, ValueError, ModelTooLargeError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


def run_list(args: argparse.Namespace) -> int:
    rows = [
        {"id": s.id, "node": s.node, "name": s.name, "source": s.source, "builder": s.builder,
         "kind": s.kind, "input_size": s.input_size, "num_classes": s.num_classes, "weights": list(s.weights),
         "cam_layer": s.cam_layer, "fidelity": s.fidelity, "aux_note": s.aux_note}
        for s in REGISTRY.values()
    ]
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    print(f"{'id':22} {'node':17} {'source':12} {'input':>5}  builder")
    for row in rows:
        print(f"{row['id']:22} {row['node']:17} {row['source']:12} {row['input_size'] or '-':>5}  {row['builder']}")
    return 0


def run_summary(args: argparse.Namespace) -> int:
    ids = list(REGISTRY) if args.all else args.ids
    if not ids:
        raise ValueError("name at least one model id, or --all")
    for model_id in ids:
        get_spec(model_id)  # fail on an unknown id before counting anything
    results = [analyse(i, args.input_size, args.engine, use_cache=not args.no_cache) for i in ids]
    if args.json:
        payload = [r.to_dict() for r in results]
        print(json.dumps(payload[0] if len(ids) == 1 and not args.all else payload, ensure_ascii=False))
        return 0
    for result in results:
        _print_summary(result, args.layers)
    return 0


def _print_summary(result: Analysis, all_layers: bool) -> None:
    spec = get_spec(result.id)
    print(f"{spec.name} ({result.id}) — {result.input_desc}, counted by {result.engine} on {result.device_used}")
    print(f"  parameters {result.params:,}   {result.macs / 1e9:.3f} GMACs ({result.flops / 1e9:.3f} GFLOPs)   "
          f"weight layers {result.weight_layers}   activations {result.activation_bytes / 2**20:.1f} MiB")
    rows = result.layers if all_layers else result.stages
    print(f"  {'layer' if all_layers else 'stage':34} {'params':>12} {'MMACs':>10}")
    for row in rows:
        print(f"  {row.name[:34]:34} {row.params:>12,} {row.macs / 1e6:>10.1f}")
    if result.operators:
        print(f"  by operator (MMACs): {', '.join(f'{op} {macs / 1e6:.1f}' for op, macs in result.operators.items())}")
    if result.uncounted:
        print(f"  not counted: {', '.join(result.uncounted)}")
    for note in result.notes:
        print(f"  note: {note}")
    print()


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # output piped into e.g. `head`, which stopped reading
        sys.stdout = None
        sys.exit(0)
