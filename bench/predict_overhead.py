"""Per-image overhead of the app's prediction path over bare PyTorch, same model, same input,
same process. App: image bytes → load_image → the weights' preprocessing → predict (top-k, names).
Bare: the same PIL image → the same transforms → model → softmax → top-k.

Run: .venv/bin/python bench/predict_overhead.py [--repeats 30]
Target (issue 4): app / bare ≤ 1.1 on the CPU (and on a GPU when there is one).
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import torch  # noqa: E402

from models.images import load_image  # noqa: E402
from models.inference import predict  # noqa: E402
from models.loading import load_for_prediction  # noqa: E402
from models.preprocessing import preprocess_for  # noqa: E402
from models.registry import get_spec  # noqa: E402
from models.runtime import pick_device  # noqa: E402
from models.samples import sample_digit, sample_image  # noqa: E402

MODELS = ("resnet18", "mobilenet_v3_large", "lenet5")


def median_seconds(run, repeats: int) -> float:
    run()  # warm-up
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def compare(model_id: str, device: str, repeats: int) -> tuple[float, float]:
    spec = get_spec(model_id)
    built, _ = load_for_prediction(spec, device, "pretrained:digits" if model_id == "lenet5" else "untrained")
    preprocess = preprocess_for(spec)
    picture = sample_digit(3) if model_id == "lenet5" else sample_image("chelsea")
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    data = buffer.getvalue()

    def app() -> None:
        predict(built, [("x", load_image(data, "x.png"))], preprocess, topk=5)

    def bare() -> None:
        from PIL import Image

        image = Image.open(io.BytesIO(data)).convert("RGB")
        with torch.inference_mode():
            logits = built.model(preprocess(image).unsqueeze(0).to(device))
            torch.softmax(logits, 1).topk(5)
        if device == "cuda":
            torch.cuda.synchronize()

    return median_seconds(app, repeats), median_seconds(bare, repeats)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()
    devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
    for device in devices:
        pick_device(device)
        for model_id in MODELS:
            app, bare = compare(model_id, device, args.repeats)
            print(f"{device:4} {model_id:20} app {app * 1000:8.2f} ms  bare {bare * 1000:8.2f} ms  "
                  f"ratio {app / bare:5.3f} (target ≤ 1.1)")


if __name__ == "__main__":
    main()
