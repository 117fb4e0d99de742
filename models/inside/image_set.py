"""What excites a channel over a set of images: a folder or the user's uploads, or the bundled sample
photos. Each file is read safely (`models.prediction.images`), the set is bounded in count and bytes,
and each image is kept only as the model's input and a small thumbnail while the set is ranked by
the layer's per-channel mean activations (one batched forward, on a private copy)."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from models.inside.adapter import BuiltModel
from models.inside.exciting import TOP, channel_means, top_inputs
from models.inside.maps import ModelBytesLRU
from models.prediction.digits import DigitInputError
from models.prediction.images import ImageInputError, check_size, load_image
from models.prediction.samples import SAMPLES, sample_image

MAX_IMAGES = 32  # a set holds at most this many images (the rest are left out, and said so)
MAX_SET_BYTES = 128 * 2**20  # ...and at most this many bytes of files together
THUMB_SIDE = 160  # what is kept of each image for display
SET_BATCH = 8  # images per forward: memory stays bounded for the largest models
CACHE_BYTES = 32 * 2**20


@dataclass(frozen=True)
class SetImage:
    """One image of a set: its name and how to get its pixels (decoded only when ranked)."""

    name: str
    load: Callable[[], Image.Image]


@dataclass(frozen=True)
class SetFile:
    """A file offered to a set: its name, size in bytes and how to read it (read only when admitted)."""

    name: str
    size: int
    read: Callable[[], bytes]


@dataclass(frozen=True)
class RankedSet:
    """A set's images (names, thumbnails) with the (N, C) mean activation of each channel of `layer`,
    and one message per image that could not be ranked."""

    layer: str
    names: tuple[str, ...]
    thumbnails: tuple[Image.Image, ...]
    means: np.ndarray
    refused: tuple[str, ...]

    @property
    def nbytes(self) -> int:
        """Memory held by the means and the thumbnails."""
        return self.means.nbytes + sum(3 * t.width * t.height for t in self.thumbnails)

    def top(self, channel: int, count: int = TOP) -> list[tuple[int, float]]:
        """(image index, mean activation) of the `count` images exciting `channel` most, best first."""
        if not self.names:
            return []
        if not 0 <= channel < self.means.shape[1]:
            raise ValueError(f"{self.layer} has {self.means.shape[1]} channels (0–{self.means.shape[1] - 1}), "
                             f"not #{channel}.")
        ranked = top_inputs(self.means[:, [channel]], self.layer, top=min(count, len(self.names)))
        return [(int(i), float(v)) for i, v in zip(ranked.indices[0], ranked.values[0])]


def admitted(files: Sequence[SetFile]) -> tuple[list[SetImage], list[str]]:
    """The files a set takes (at most MAX_IMAGES, MAX_SET_BYTES together, each within the image size
    limit, checked before it is read) and a message for each one left out."""
    images: list[SetImage] = []
    refused: list[str] = []
    total = 0
    for file in files:
        if len(images) == MAX_IMAGES:
            refused.append(f"Only the first {MAX_IMAGES} images are ranked; {len(files) - len(images) - len(refused)} "
                           f"more were left out (the limit is {MAX_IMAGES} a set).")
            break
        try:
            check_size(file.size, file.name)
        except ImageInputError as error:
            refused.append(str(error))
            continue
        if total + file.size > MAX_SET_BYTES:
            refused.append(f"{file.name} was left out: a set's files may hold {MAX_SET_BYTES // 2**20} MB together.")
            continue
        total += file.size
        images.append(SetImage(file.name, lambda file=file: load_image(file.read(), file.name)))
    return images, refused


def folder_files(folder: Path) -> list[SetFile]:
    """The files directly inside `folder`, by name (hidden files and subfolders left out)."""
    if not folder.is_dir():
        raise ValueError(f"{folder} is not a folder")
    return [SetFile(path.name, path.stat().st_size, path.read_bytes)
            for path in sorted(folder.iterdir()) if path.is_file() and not path.name.startswith(".")]


def sample_set() -> list[SetImage]:
    """The bundled sample photos as a set."""
    return [SetImage(name, lambda name=name: sample_image(name)) for name in SAMPLES]


_ranked = ModelBytesLRU(CACHE_BYTES)


def rank_set(built: BuiltModel, images: Sequence[SetImage], layer: str, refused: Sequence[str] = (),
             key: Hashable | None = None) -> RankedSet:
    """Every image of the set read, preprocessed as the model's weights want and ranked by `layer`'s
    channels; an image that cannot be read is refused with its message. With a `key` naming the set,
    the result is remembered for this very model within a byte budget (a page reruns often)."""
    cache_key = None if key is None else (built.spec.id, built.weights_label, layer, key)
    if cache_key is not None and (hit := _ranked.get(cache_key, built.model)) is not None:
        return hit[layer]
    names, thumbnails, inputs, refused = [], [], [], list(refused)
    for image in images:
        try:
            picture = image.load()
            inputs.append(built.preprocess(picture))
        except (ImageInputError, DigitInputError) as error:
            refused.append(str(error) if image.name in str(error) else f"{image.name}: {error}")
            continue
        picture.thumbnail((THUMB_SIDE, THUMB_SIDE))
        names.append(image.name)
        thumbnails.append(picture)
    means = (channel_means(built, torch.stack(inputs), [layer], batch=SET_BATCH)[layer] if inputs
             else np.zeros((0, 0), dtype=np.float32))
    result = RankedSet(layer, tuple(names), tuple(thumbnails), means, tuple(refused))
    if cache_key is not None:
        _ranked.put(cache_key, built.model, {layer: result})
    return result
