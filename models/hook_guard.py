"""A readers-writer guard between counting and inference.

FlopCounterMode installs process-global module hooks while it counts: a forward pass of another
session running at that moment would be counted, or would see the hooks. Counting takes the
guard exclusively; inference and CAM forwards share it, so they still run concurrently. A waiting
count goes before new forwards (no starvation), so neither is re-entrant: never nest `shared()`,
nor count inside it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

_condition = threading.Condition()
_readers = 0
_writer = False
_writers_waiting = 0


@contextmanager
def shared() -> Iterator[None]:
    """Held by every inference forward; many at once, never during counting."""
    global _readers
    with _condition:
        _condition.wait_for(lambda: not _writer and not _writers_waiting)
        _readers += 1
    try:
        yield
    finally:
        with _condition:
            _readers -= 1
            _condition.notify_all()


@contextmanager
def exclusive() -> Iterator[None]:
    """Held while counting with global hooks: waits for running forwards, blocks new ones."""
    global _writer, _writers_waiting
    with _condition:
        _writers_waiting += 1
        _condition.wait_for(lambda: not _writer and _readers == 0)
        _writers_waiting -= 1
        _writer = True
    try:
        yield
    finally:
        with _condition:
            _writer = False
            _condition.notify_all()
