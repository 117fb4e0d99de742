"""Memory bounds of the server: a thread-safe LRU bounded by bytes (not by count), and its budgets.

LINEAGE_MODEL_CACHE_MB (default 2048): the shared models (untrained and pretrained) kept built.
LINEAGE_CHECKPOINT_CACHE_MB (default 512): the private models built from users' checkpoints.
The least recently used entry goes first; one entry larger than the whole budget is still kept
(alone) so that the session asking for it gets its model.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

Value = TypeVar("Value")
MB = 2**20


def budget_bytes(env: str, default_mb: int) -> int:
    """A budget in bytes from an environment variable in MB (a clear error for a bad value)."""
    value = os.environ.get(env)
    try:
        megabytes = float(value) if value else default_mb
    except ValueError:
        raise ValueError(f"{env} must be a number of MB, not {value!r}.") from None
    return int(megabytes * MB)


class ByteLRU(Generic[Value]):
    """A thread-safe LRU whose entries' `weigh(value)` bytes stay within `max_bytes`; one build per
    key even when sessions ask at once."""

    def __init__(self, max_bytes: int, weigh: Callable[[Value], int]) -> None:
        self.max_bytes, self.weigh = max_bytes, weigh
        self.items: OrderedDict[Hashable, Value] = OrderedDict()
        self.lock = threading.Lock()
        self.building: dict[Hashable, threading.Lock] = {}

    @property
    def used_bytes(self) -> int:
        """Bytes held now."""
        with self.lock:
            return sum(self.weigh(value) for value in self.items.values())

    def get(self, key: Hashable, factory: Callable[[], Value]) -> Value:
        """The value for `key`, made by `factory` (once) when it is not held."""
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
            key_lock = self.building.setdefault(key, threading.Lock())
        with key_lock:
            with self.lock:
                if key in self.items:
                    return self.items[key]
            try:
                value = factory()
            finally:
                with self.lock:
                    self.building.pop(key, None)
            with self.lock:
                self.items[key] = value
                self._evict()
            return value

    def _evict(self) -> None:
        total = sum(self.weigh(value) for value in self.items.values())
        while total > self.max_bytes and len(self.items) > 1:
            _, dropped = self.items.popitem(last=False)
            total -= self.weigh(dropped)

    def clear(self) -> None:
        """Drop every entry."""
        with self.lock:
            self.items.clear()
