"""`python -m models activations MODEL IMAGE [--layer NAME] [--weights pretrained[:NAME]|untrained]
[--out grid.png]`: a PNG of a layer's most active channels; `python -m models activations MODEL
--list-layers`: the layers it offers, natural stages first, one per line; `--images DIR [--channel N]`:
the images of a folder that excite a channel most (default: IMAGE's most active channel), one per line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PIL import Image

from models.prediction.images import load_image
from models.inside.adapter import BuiltModel, ModelSpec, WeightsChoice, get_spec, load, weights_from_text
from models.inside.image_set import SetFile, admitted, folder_files, rank_set
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
    parser.add_argument("--images", default=None, metavar="DIR",
                        help="rank the images of this folder by how much they excite a channel of the layer")
    parser.add_argument("--channel", type=int, default=None,
                        help="the channel --images ranks by (default: the one IMAGE excites most)")
    parser.set_defaults(run=run_activations)


def run_activations(args: argparse.Namespace) -> int:
    """Check the model, layer, image and folder first (cheap to refuse), then build and run."""
    spec = get_spec(args.id)
    offered = layers_of(spec.id)
    if args.list_layers:
        print("\n".join(offered.offered))
        return 0
    if not args.image and not args.images:
        raise ValueError("name an IMAGE file (or pass --images DIR, or --list-layers)")
    if args.channels < 1:
        raise ValueError(f"--channels must be at least 1, not {args.channels}")
    if args.images and not args.image and args.channel is None:
        raise ValueError("--images needs --channel N (or an IMAGE, whose most active channel is ranked)")
    layer = offered.check(args.layer) if args.layer else offered.stages[0]
    image = _read_image(args.image) if args.image else None
    files = folder_files(Path(args.images)) if args.images else []
    weights = weights_from_text(args.weights)
    built = _loaded(spec, weights)
    channel = args.channel
    if image is not None:
        maps = image_maps(built, image, (layer,), weights)[layer]
        try:
            channel_grid(maps, args.channels).save(args.out)
        except (OSError, ValueError) as error:
            raise ValueError(f"cannot write {args.out}: {getattr(error, 'strerror', None) or error}") from None
        print(f"{spec.name} {layer}: output {'×'.join(map(str, maps.shape))} ({maps.layout}); "
              f"the {min(args.channels, len(maps.means))} most active channels → {args.out}")
        channel = maps.ranked(1)[0] if channel is None else channel
    if args.images:
        _print_ranking(built, files, layer, channel, args.images)
    return 0


def _read_image(path: str) -> Image.Image:
    """The IMAGE argument, read safely; a file that cannot be read is one line."""
    try:
        return load_image(Path(path).read_bytes(), Path(path).name)
    except OSError as error:
        raise ValueError(f"cannot read {path}: {error.strerror or error}") from None


def _loaded(spec: ModelSpec, weights: WeightsChoice | None) -> BuiltModel:
    """The model for the weights, saying on stderr when pretrained ones fell back or it is untrained."""
    built, warning = load(spec, weights)
    if warning:
        print(f"warning: {warning}", file=sys.stderr)
    if not built.trained:
        print(f"warning: UNTRAINED weights ({built.weights_label}): the maps show the architecture's shapes, "
              "not learned features.", file=sys.stderr)
    return built


def _print_ranking(built: BuiltModel, files: list[SetFile], layer: str, channel: int, folder: str) -> None:
    """The folder's images that excite `channel` most, best first; each file left out named on stderr."""
    images, refused = admitted(files)
    ranked = rank_set(built, images, layer, refused)
    for message in ranked.refused:
        print(f"skipped: {message}", file=sys.stderr)
    if not ranked.names:
        raise ValueError(f"no image in {folder} could be read")
    top = ranked.top(channel)
    print(f"{built.spec.name} {layer} #{channel}: the {len(top)} of {len(ranked.names)} images in {folder} "
          "that excite it most (mean activation)")
    for place, (index, value) in enumerate(top, 1):
        print(f"{place:>2}. {value:10.4g}  {ranked.names[index]}")
