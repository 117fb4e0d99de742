"""Top-k predictions on images with the weights' own preprocessing and class names."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import torch
from PIL import Image

from models import hook_guard
from models.prediction.preprocessing import Preprocess
from models.registry import ModelSpec
from models.runtime import BuiltModel


class NotAnImageModelError(ValueError):
    """The model does not classify images (the Transformer reads token sequences)."""


@dataclass(frozen=True)
class TopClass:
    """One of the k best classes: its index in the head, its name, its softmax probability."""

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
        """The CLI's JSON shape: image, top [{index, label, prob}], weights, trained, device, latency_ms."""
        return {"image": self.image, "top": [asdict(t) for t in self.top], "weights": self.weights_label,
                "trained": self.trained, "device": self.device, "latency_ms": round(self.latency_s * 1000, 3)}


def require_image_model(spec: ModelSpec) -> None:
    """Refuse a model that does not classify images, before anything is built for it."""
    if spec.kind != "image":
        raise NotAnImageModelError(f"{spec.name} is not an image model: it reads token sequences, so it "
                                   "cannot classify images.")


def predict(built: BuiltModel, images: Sequence[tuple[str, Image.Image]], preprocess: Preprocess | None = None,
            topk: int = 5) -> list[Prediction]:
    """Classify (name, image) pairs as one batch, without gradients and never during FLOP counting;
    `preprocess` defaults to the one the model's weights need. Latency is the batch's forward time
    (cuda-synchronised) divided by the number of images."""
    require_image_model(built.spec)
    preprocess = preprocess or built.preprocess
    check_topk(topk)
    if not images:
        return []
    batch = torch.stack([preprocess(image) for _, image in images]).to(built.device, built.dtype)
    with hook_guard.shared(), torch.inference_mode():
        started = time.perf_counter()
        logits = built.model(batch)
        if built.device == "cuda":
            torch.cuda.synchronize()
        latency = (time.perf_counter() - started) / len(images)
    return predictions_from(built, [name for name, _ in images], logits, topk, latency)


def check_topk(topk: int) -> None:
    """Refuse a k below 1 before any work is done for it."""
    if topk < 1:
        raise ValueError(f"topk must be at least 1, not {topk}.")


def predictions_from(built: BuiltModel, names: Sequence[str], logits: torch.Tensor, topk: int,
                     latency_s: float) -> list[Prediction]:
    """The top-k of each row of a batch's logits, named in order; one forward can serve both a
    prediction and its CAM (see models.prediction.cam.cams_and_logits)."""
    check_topk(topk)
    values, indices = torch.softmax(logits.float(), dim=1).topk(min(topk, logits.shape[1]), dim=1)
    return [
        Prediction(name, tuple(TopClass(i, built.categories[i], p) for p, i in zip(row_p, row_i)),
                   built.weights_label, built.trained, built.device, latency_s)
        for name, row_p, row_i in zip(names, values.cpu().tolist(), indices.cpu().tolist())
    ]
