"""`python -m models activations MODEL IMAGE [--layer NAME] [--weights pretrained[:NAME]|untrained]
[--out grid.png]`: a PNG of a layer's most active channels; `python -m models activations MODEL
--list-layers`: the layers it offers, natural stages first, one per line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from models.prediction.images import load_image
from models.inside.adapter import get_spec, load, weights_from_text
from models.inside.maps import image_maps
from models.inside.render import channel_grid
from models.inside.stages import layers_of


def add_command(commands: argparse._SubParsersAction) -> None:
    """Register `activations` on the CLI's subparsers."""
    parser = commands.add_parser("activations", help="a layer's channel maps for an image, as a PNG grid")
    parser.add_argument("id")
    parser.add_argument("image", nargs="?", metavar="IMAGE")
    parser.add_argument("--layer", default=None, help="a layer name (default: the first stage); see --list-layers")
    parser.add_argument("--weights", default=None, metavar="pretrained[:NAME]|untrained",
                        help="pretrained weights (default, where offered) or untrained")
    parser.add_argument("--out", default="grid.png", help="where to write the PNG (default grid.png)")
    parser.add_argument("--channels", type=int, default=16, help="how many of the most active channels")
    parser.add_argument("--list-layers", action="store_true", help="print the layers on offer and stop")
    parser.set_defaults(run=run_activations)


def run_activations(args: argparse.Namespace) -> int:
    """Check the model, layer and image first (cheap to refuse), then build and run one forward."""
    spec = get_spec(args.id)
    offered = layers_of(spec.id)
    if args.list_layers:
        print("\n".join(offered.offered))
        return 0
    if not args.image:
        raise ValueError("name an IMAGE file (or pass --list-layers)")
    if args.channels < 1:
        raise ValueError(f"--channels must be at least 1, not {args.channels}")
    layer = offered.check(args.layer) if args.layer else offered.stages[0]
    try:
        image = load_image(Path(args.image).read_bytes(), Path(args.image).name)
    except OSError as error:
        raise ValueError(f"cannot read {args.image}: {error.strerror or error}") from None
    weights = weights_from_text(args.weights)
    built, warning = load(spec, weights)
    if warning:
        print(f"warning: {warning}", file=sys.stderr)
    if not built.trained:
        print(f"warning: UNTRAINED weights ({built.weights_label}): the maps show the architecture's shapes, "
              "not learned features.", file=sys.stderr)
    maps = image_maps(built, image, (layer,), weights)[layer]
    try:
        channel_grid(maps, args.channels).save(args.out)
    except (OSError, ValueError) as error:
        raise ValueError(f"cannot write {args.out}: {getattr(error, 'strerror', None) or error}") from None
    print(f"{spec.name} {layer}: output {'×'.join(map(str, maps.shape))} ({maps.layout}); "
          f"the {min(args.channels, len(maps.means))} most active channels → {args.out}")
    return 0
