"""Layer maps for (model, weights, image), one forward each, kept in a cache bounded by bytes;
and `layer_activations`, the call for notebooks."""

from __future__ import annotations

import hashlib
import threading
import warnings
import weakref
from collections import OrderedDict

import numpy as np
from PIL import Image

from models.inside.adapter import BuiltModel, WeightsChoice, get_spec, input_tensor, load
from models.inside.capture import LayerMaps, capture
from models.inside.stages import layers_of

THUMB_SIDE = 56  # thumbnails are area-downsampled to at most this many pixels a side
CACHE_BYTES = 64 * 2**20


class ModelBytesLRU:
    """Least recently used goes first once the entries (dicts of values with `nbytes`) hold more than
    `limit` bytes. An entry holds its model weakly: it never keeps an evicted model alive, and a
    rebuilt model misses."""

    def __init__(self, limit: int) -> None:
        self.limit, self.items, self.lock = limit, OrderedDict(), threading.Lock()

    def get(self, key: tuple, model: object) -> dict | None:
        """The entry for `key` when it was made by this very model (a rebuilt one is another model)."""
        with self.lock:
            if key not in self.items or self.items[key][0]() is not model:
                return None
            self.items.move_to_end(key)
            return self.items[key][1]

    def put(self, key: tuple, model: object, value: dict) -> None:
        with self.lock:
            self.items[key] = (weakref.ref(model), value)
            while len(self.items) > 1 and self.held() > self.limit:
                self.items.popitem(last=False)

    def held(self) -> int:
        """Bytes held by every cached entry."""
        return sum(maps.nbytes for _, entry in self.items.values() for maps in entry.values())


_cache = ModelBytesLRU(CACHE_BYTES)


def image_digest(image: Image.Image) -> str:
    """A short fingerprint of an image's pixels, for cache keys."""
    return hashlib.sha1(f"{image.mode}{image.size}".encode() + image.tobytes()).hexdigest()[:16]


def image_maps(built: BuiltModel, image: Image.Image, layers: tuple[str, ...], weights: WeightsChoice | None = None,
               max_side: int | None = THUMB_SIDE) -> dict[str, LayerMaps]:
    """Thumbnails and means of `layers` for one image: one forward per (model, weights, image,
    layers), remembered within the cache's byte budget."""
    key = (built.spec.id, built.device, built.weights_label, image_digest(image), layers, max_side)
    if (hit := _cache.get(key, built.model)) is not None:
        return hit
    batch = input_tensor(built, image, built.preprocess)
    result = capture(built, batch, layers, max_side)
    _cache.put(key, built.model, result)
    return result


def layer_activations(model_id: str, image: Image.Image, layer: str | None = None, weights: WeightsChoice | None = None,
                      device: str = "cpu") -> np.ndarray:
    """The output of one layer (default: the first stage) for `image`, as the module returns it
    without the batch dimension, e.g. (C, H, W); pretrained weights by default, untrained offline."""
    spec = get_spec(model_id)
    offered = layers_of(spec.id)
    name = offered.check(layer) if layer else offered.stages[0]
    built, fallback = load(spec, weights, device)
    if fallback:
        warnings.warn(f"{fallback} These are the activations of the UNTRAINED model.", stacklevel=2)
    batch = input_tensor(built, image, built.preprocess)
    return capture(built, batch, [name], keep_raw=[name])[name].raw
