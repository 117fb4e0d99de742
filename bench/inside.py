"""Speed of the Inside page's maps, printed (no test on time).

  ResNet-50 at 224 px on the CPU: the maps of its five stages (one hooked forward on a private copy,
  per-channel means, thumbnails) against one bare forward of the same model and input, timed
  alternately so that load on the machine hits both alike. Target: ratio ≤ 1.5 (medians).
  LeNet-5: from a stroke's end (the pad's PNG data URL) to the maps of its five stages: decode,
  find the ink, preprocess, hooked forward, thumbnails. Target: ≤ 100 ms (median).

Run: .venv/bin/python bench/inside.py [--repeats 15]
"""

from __future__ import annotations

import argparse
import base64
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import torch  # noqa: E402
from PIL import Image, ImageDraw  # noqa: E402

from models.prediction.images import image_from_data_url  # noqa: E402
from models.inside.adapter import UNTRAINED, get_spec, input_tensor, load  # noqa: E402
from models.inside.capture import capture  # noqa: E402
from models.inside.maps import THUMB_SIDE  # noqa: E402
from models.inside.stages import layers_of  # noqa: E402
from models.prediction.samples import sample_image  # noqa: E402


def seconds(run) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def resnet50(repeats: int) -> None:
    built, _ = load(get_spec("resnet50"), UNTRAINED)
    batch = input_tensor(built, sample_image("chelsea"), built.preprocess)
    stages = layers_of("resnet50").stages

    def bare() -> None:
        with torch.inference_mode():
            built.model(batch)

    def maps() -> None:
        capture(built, batch, stages, THUMB_SIDE)

    bare(), maps()  # warm-up
    timings = {"bare": [], "maps": []}
    for _ in range(repeats):
        timings["bare"].append(seconds(bare))
        timings["maps"].append(seconds(maps))
    bare_ms, maps_ms = (statistics.median(timings[k]) * 1000 for k in ("bare", "maps"))
    print(f"ResNet-50 224 px CPU ({torch.get_num_threads()} threads): bare forward {bare_ms:.1f} ms, "
          f"maps of {len(stages)} stages {maps_ms:.1f} ms, ratio {maps_ms / bare_ms:.2f} (target ≤ 1.5)")


def drawn_seven() -> str:
    """A 7 as the pad sends it: a 280×280 PNG data URL, dark ink on white."""
    image = Image.new("RGB", (280, 280), "white")
    ImageDraw.Draw(image).line([(80, 60), (200, 60), (120, 230)], fill="black", width=18)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def lenet(repeats: int) -> None:
    built, _ = load(get_spec("lenet5"), None)
    prep, stages, url = built.preprocess, layers_of("lenet5").stages, drawn_seven()

    def update() -> None:
        capture(built, input_tensor(built, image_from_data_url(url), prep), stages, THUMB_SIDE)

    update()
    median = statistics.median(seconds(update) for _ in range(repeats)) * 1000
    print(f"LeNet-5 ({built.weights_label}): stroke end → maps of {len(stages)} stages {median:.1f} ms "
          "(target ≤ 100 ms)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=15)
    arguments = parser.parse_args()
    resnet50(arguments.repeats)
    lenet(arguments.repeats)
