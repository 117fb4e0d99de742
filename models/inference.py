"""Top-k predictions on images with the model's own preprocessing and class names."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import torch
from PIL import Image

from models import hook_guard
from models.preprocessing import Preprocess
from models.runtime import BuiltModel


@dataclass(frozen=True)
class TopClass:
    index: int
    label: str
    prob: float


@dataclass(frozen=True)
class Prediction:
    """What one image was predicted to be, by which weights, where and how fast."""

    image: str
    top: tuple[TopClass, ...]
    weights_label: str
    trained: bool
    device: str
    latency_s: float

    def to_dict(self) -> dict:
        return {"image": self.image, "top": [vars(t) for t in self.top], "weights": self.weights_label,
                "trained": self.trained, "device": self.device, "latency_ms": round(self.latency_s * 1000, 2)}


def class_names(built: BuiltModel) -> list[str]:
    """The head's class names: the weights' own, else ImageNet-1k for 1000-way heads, else indices."""
    if built.categories:
        return list(built.categories)
    if built.spec.num_classes == 1000:
        from models.weights import imagenet_categories

        return imagenet_categories()
    return [f"class {i}" for i in range(built.spec.num_classes)]


def predict(built: BuiltModel, images: Sequence[tuple[str, Image.Image]], preprocess: Preprocess,
            topk: int = 5) -> list[Prediction]:
    """Run the images as one batch; latency is the batch's time divided by the number of images."""
    if built.spec.kind != "image":
        raise ValueError(f"{built.spec.name} is not an image model; it cannot classify images.")
    names = class_names(built)
    batch = torch.stack([preprocess(image) for _, image in images]).to(built.device)
    with hook_guard.shared(), torch.inference_mode():
        started = time.perf_counter()
        logits = built.model(batch)
        if built.device == "cuda":
            torch.cuda.synchronize()
        latency = (time.perf_counter() - started) / len(images)
    probabilities = torch.softmax(logits.float(), dim=1).cpu()
    values, indices = probabilities.topk(min(topk, probabilities.shape[1]), dim=1)
    return [
        Prediction(name, tuple(TopClass(int(i), names[int(i)], float(p)) for p, i in zip(row_p, row_i)),
                   built.weights_label, built.trained, built.device, latency)
        for (name, _), row_p, row_i in zip(images, values, indices)
    ]
