"""`python -m models predict ID IMAGE [IMAGE ...] [--weights FILE|pretrained[:NAME]|untrained]`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from models.checkpoints import CheckpointError
from models.images import ImageInputError, load_image
from models.inference import predict
from models.loading import default_choice, load_checkpoint, load_for_prediction
from models.preprocessing import preprocess_for
from models.registry import get_spec
from models.runtime import UNTRAINED, pick_device
from models.weights import WeightsUnavailableError


def add_predict_command(commands) -> None:
    """Register the subcommand on the CLI's subparsers."""
    parser = commands.add_parser("predict", help="top-k classes for images")
    parser.add_argument("id")
    parser.add_argument("images", nargs="+", metavar="IMAGE")
    parser.add_argument("--weights", default=None,
                        help="a checkpoint file (.safetensors/.pt/.pth), pretrained[:NAME] or untrained")
    parser.add_argument("--topk", type=int, default=5)
    parser.add_argument("--device", default="auto")
    parser.add_argument("--json", action="store_true")
    parser.set_defaults(run=run_predict)


def run_predict(args: argparse.Namespace) -> int:
    spec = get_spec(args.id)
    device = pick_device(args.device)
    images = [(path, _read_image(path)) for path in args.images]
    choice = args.weights or default_choice(spec)
    try:
        if choice.startswith("pretrained") or choice == UNTRAINED:
            built, warning = load_for_prediction(spec, device, choice)
            if warning:
                print(f"warning: {warning}\nwarning: using an UNTRAINED model: predictions are meaningless.",
                      file=sys.stderr)
        else:
            built = load_checkpoint(spec, device, _read_file(choice), Path(choice).name)
    except (CheckpointError, WeightsUnavailableError) as error:
        raise ValueError(str(error)) from None
    weights_name = choice.partition(":")[2] or None
    results = predict(built, images, preprocess_for(spec, weights_name), topk=args.topk)
    if args.json:
        print(json.dumps([r.to_dict() for r in results], ensure_ascii=False))
        return 0
    print(f"{spec.name} on {built.device} — weights: {built.weights_label}")
    for result in results:
        print(f"\n{result.image}  ({result.latency_s * 1000:.1f} ms)")
        for top in result.top:
            print(f"  {top.prob:7.2%}  {top.label}")
    return 0


def _read_file(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise ValueError(f"cannot read {path}: {error.strerror}") from None


def _read_image(path: str):
    try:
        return load_image(_read_file(path), Path(path).name)
    except ImageInputError as error:
        raise ValueError(str(error)) from None
