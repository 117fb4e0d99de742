"""Command line: `python -m models <command> ...` (see README and `--help`). Errors print one line on
stderr and exit with status 2; no tracebacks for bad input. Each subcommand lives in its own module
exposing `add_command(subparsers)`; a new one is one more entry in COMMANDS."""

from __future__ import annotations

import argparse
import sys

from models import cli_predict, cli_prefetch, cli_zoo
from models.compare import cli as cli_bench
from models.experiments import cli as cli_experiment
from models.inside import cli as cli_activations
from models.registry import UnknownModelError
from models.runtime import ModelTooLargeError

COMMANDS = (  # each module: add_command(subparsers), which registers its subcommands
    cli_zoo,
    cli_predict,
    cli_experiment,
    cli_bench,
    cli_activations,
    cli_prefetch,
)


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run one subcommand."""
    parser = argparse.ArgumentParser(prog="python -m models", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.add_command(commands)
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except (UnknownModelError, ValueError, ModelTooLargeError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:  # output piped into e.g. `head`, which stopped reading
        sys.stdout = None
        sys.exit(0)
