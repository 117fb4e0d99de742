"""Per-image overhead of the app's prediction path over bare PyTorch: same model object, same
input, same process, the two timed alternately so that load on the machine hits both alike.

  app:          image bytes → load_image (size checks, EXIF, RGB) → the weights' preprocessing →
                predict (hook guard, inference mode, softmax, top-k with class names)
  bare:         the same bytes → PIL.Image.open → RGB → the same transforms → model → softmax → top-k
  bare from PIL: the already-decoded PIL image → the same transforms → model → softmax → top-k

Run: .venv/bin/python bench/predict_overhead.py [--repeats 50] [--models resnet18 ...]
Target: app / bare ≤ 1.1 (median per image) on the CPU, and on a GPU when there is one.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import torch  # noqa: E402
from PIL import Image  # noqa: E402

from models.prediction.images import load_image  # noqa: E402
from models.prediction.inference import predict  # noqa: E402
from models.prediction.loading import default_choice, load_for_prediction  # noqa: E402
from models.registry import get_spec  # noqa: E402
from models.prediction.samples import sample_digit, sample_image  # noqa: E402

MODELS = ("resnet18", "mobilenet_v3_large", "lenet5")


def timed(run: Callable[[], object], device: str) -> float:
    started = time.perf_counter()
    run()
    if device == "cuda":
        torch.cuda.synchronize()
    return time.perf_counter() - started


def compare(model_id: str, device: str, repeats: int) -> dict[str, float]:
    """Median seconds per image of each path, timed in turn `repeats` times after a warm-up."""
    spec = get_spec(model_id)
    built, _ = load_for_prediction(spec, device, default_choice(spec))  # offline: untrained, same compute
    preprocess = built.preprocess
    buffer = io.BytesIO()
    (sample_digit(3) if spec.digits else sample_image("chelsea")).save(buffer, "PNG")
    data = buffer.getvalue()
    decoded = Image.open(io.BytesIO(data)).convert("RGB")

    def bare(image: Image.Image) -> None:
        with torch.inference_mode():
            logits = built.model(preprocess(image).unsqueeze(0).to(device))
            torch.softmax(logits, dim=1).topk(5)

    paths = {
        "app": lambda: predict(built, [("x.png", load_image(data, "x.png"))], preprocess, topk=5),
        "bare": lambda: bare(Image.open(io.BytesIO(data)).convert("RGB")),
        "bare from PIL": lambda: bare(decoded),
    }
    timings: dict[str, list[float]] = {name: [] for name in paths}
    for attempt in range(repeats + 3):
        for name, run in paths.items():
            seconds = timed(run, device)
            if attempt >= 3:
                timings[name].append(seconds)
    return {name: statistics.median(values) for name, values in timings.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=50)
    parser.add_argument("--models", nargs="+", default=list(MODELS))
    args = parser.parse_args()
    devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
    print(f"torch {torch.__version__}, {torch.get_num_threads()} CPU threads, "
          f"{torch.cuda.get_device_name() if torch.cuda.is_available() else 'no GPU'}; median of {args.repeats}")
    print(f"{'device':6} {'model':20} {'app ms':>9} {'bare ms':>9} {'ratio':>6}   {'bare-from-PIL ms':>16} {'ratio':>6}")
    for device in devices:
        for model_id in args.models:
            t = compare(model_id, device, args.repeats)
            print(f"{device:6} {model_id:20} {t['app'] * 1e3:9.2f} {t['bare'] * 1e3:9.2f} {t['app'] / t['bare']:6.3f}"
                  f"   {t['bare from PIL'] * 1e3:16.2f} {t['app'] / t['bare from PIL']:6.3f}")


if __name__ == "__main__":
    main()
