"""`python -m models predict ID IMAGE [IMAGE ...] [--weights FILE|pretrained[:NAME]|untrained]
[--topk K] [--device auto|cpu|cuda|mps] [--json]`: top-k classes for image files.

By default a model uses its pretrained weights (LeNet-5: its shipped digits checkpoint); offline,
it falls back to the untrained model and says so loudly on stderr. Bad input raises ValueError,
which `models.__main__` prints as one line.
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from pathlib import Path

from models.prediction.images import load_image
from models.prediction.inference import Prediction, predict, require_image_model
from models.prediction.loading import default_choice, load_for_prediction
from models.registry import get_spec
from models.runtime import BuiltModel, pick_device
from models.weights import Checkpoint, WeightsChoice, parse_choice


def add_command(commands: argparse._SubParsersAction) -> None:
    """Register `predict` on the CLI's subparsers."""
    parser = commands.add_parser("predict", help="top-k classes for image files")
    parser.add_argument("id")
    parser.add_argument("images", nargs="+", metavar="IMAGE")
    parser.add_argument("--weights", default=None, metavar="FILE|pretrained[:NAME]|untrained",
                        help="a checkpoint (.safetensors/.pt/.pth), pretrained weights (default) or untrained")
    parser.add_argument("--topk", type=_positive, default=5, metavar="K")
    parser.add_argument("--device", choices=("auto", "cpu", "cuda", "mps"), default="auto")
    parser.add_argument("--json", action="store_true", help="one object per image, in order")
    parser.set_defaults(run=run_predict)


def run_predict(args: argparse.Namespace) -> int:
    """Check the request and load the images first (cheap to refuse), then the model, then predict."""
    with warnings.catch_warnings():
        # torch's safe unpickler warns about the protocol of a file it is about to refuse: keep errors one line
        warnings.filterwarnings("ignore", message="Detected pickle protocol", category=UserWarning)
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    spec = get_spec(args.id)
    require_image_model(spec)
    device = pick_device(args.device)
    images = [(path, load_image(_read(path), Path(path).name)) for path in args.images]
    choice = _choice(args.weights) if args.weights else default_choice(spec)
    built, warning = load_for_prediction(spec, device, choice)
    if warning:
        print(f"warning: {warning}", file=sys.stderr)
    if not built.trained:
        print(f"warning: using an UNTRAINED model ({built.weights_label}): predictions are meaningless.",
              file=sys.stderr)
    results = predict(built, images, topk=args.topk)
    if args.json:
        print(json.dumps([r.to_dict() for r in results], ensure_ascii=False))
    else:
        _print_table(built, results)
    return 0


def _choice(text: str) -> WeightsChoice:
    """The --weights argument as a choice: untrained, pretrained[:NAME], or a checkpoint file read now."""
    return parse_choice(text) or Checkpoint(Path(text).name, _read(text))


def _print_table(built: BuiltModel, results: list[Prediction]) -> None:
    print(f"{built.spec.name} on {built.device} — weights: {built.weights_label}")
    print(f"{'image':30} {'rank':>4} {'prob':>8}  label")
    for result in results:
        for rank, top in enumerate(result.top, 1):
            name = (result.image if rank == 1 else "")[-30:]
            print(f"{name:30} {rank:>4} {top.prob:>8.2%}  {top.label}")
        print(f"{'':30} {result.latency_s * 1000:.1f} ms per image")


def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise ValueError(f"cannot read {path}: {error.strerror or error}") from None


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not '{text}'")
    return int(text)
