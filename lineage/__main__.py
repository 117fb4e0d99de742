"""Command line: `python -m lineage export --format json|mermaid|graphml [--lang zh]`, `python -m lineage path A B`."""

from __future__ import annotations

import argparse
import sys

from lineage import LineageDataError, UnknownNodeError, load_graph
from lineage.export import FORMATS, export
from lineage.loader import DATA_FILE
from lineage.localized import LANGUAGES
from lineage.queries import path_between


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; errors print one line on stderr and exit with status 2."""
    parser = argparse.ArgumentParser(prog="python -m lineage", description=__doc__)
    parser.add_argument("--data", default=str(DATA_FILE), help="lineage data file (YAML)")
    commands = parser.add_subparsers(dest="command", required=True)
    export_cmd = commands.add_parser("export", help="print the whole tree in a format")
    export_cmd.add_argument("--format", choices=FORMATS, default="json")
    export_cmd.add_argument("--lang", choices=LANGUAGES, default="en", help="language of the mermaid labels")
    path_cmd = commands.add_parser("path", help="the chain of innovations from one network to another")
    path_cmd.add_argument("start")
    path_cmd.add_argument("end")
    args = parser.parse_args(argv)
    try:
        graph = load_graph(args.data)
        if args.command == "export":
            sys.stdout.write(export(graph, args.format, args.lang))
            return 0
        return _print_path(graph, args.start, args.end)
    except (LineageDataError, UnknownNodeError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def _print_path(graph, start: str, end: str) -> int:
    path = path_between(graph, start, end)
    name = lambda n: graph.nodes[n]["name"]  # noqa: E731 - a one-word local helper
    if not path.found:
        hint = f" Both descend from {name(path.common_ancestor)}." if path.common_ancestor else ""
        print(f"No line of descent connects {name(start)} and {name(end)}.{hint}", file=sys.stderr)
        return 1
    print(" -> ".join(name(n) for n in path.nodes))
    for step in path.steps:
        print(f"  {name(step.source)} -> {name(step.target)}: {step.innovation}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
