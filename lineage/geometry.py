"""Plane geometry in the tree's pixel coordinates: boxes, distances to polylines, label sizes.

Shared by the layout (which places labels and edge markers), the figure and the tests that
check the drawing never suggests a lineage that is not there.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

Point = tuple[float, float]
LINE_SPACING = 1.3  # plotly's line height for multi-line text, in font sizes
FONT_FILE = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")  # Debian's fonts-dejavu-core
WIDTH_MARGIN = 1.04  # labels are laid out 4 % wider than DejaVu Sans draws them (fonts differ)
FALLBACK_EM_PER_CHAR = 0.66  # without the font file: wider than any common sans-serif's average
_BREAKS = re.compile(r"(?<=-)|\s+|(?<=[a-z])(?=[vV]\d)")


@dataclass(frozen=True)
class Box:
    """An axis-aligned rectangle, x0 <= x1 and y0 <= y1."""

    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box) -> bool:
        """True when the two boxes share interior area."""
        return min(self.x1, other.x1) > max(self.x0, other.x0) and min(self.y1, other.y1) > max(self.y0, other.y0)

    def grown(self, by: float) -> Box:
        """The box with `by` added on every side."""
        return Box(self.x0 - by, self.y0 - by, self.x1 + by, self.y1 + by)

    def contains(self, point: Point) -> bool:
        """True when the point lies inside the box or on its border."""
        return self.x0 <= point[0] <= self.x1 and self.y0 <= point[1] <= self.y1


def point_segment_distance(point: Point, start: Point, end: Point) -> float:
    """Euclidean distance from a point to a line segment."""
    (px, py), (ax, ay), (bx, by) = point, start, end
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def point_polyline_distance(point: Point, line: tuple[Point, ...]) -> float:
    """Distance from a point to the nearest segment of a polyline."""
    return min(point_segment_distance(point, a, b) for a, b in zip(line, line[1:]))


def points_polyline_distances(points: np.ndarray, lines: list[tuple[Point, ...]]) -> np.ndarray:
    """For each of n points (an n×2 array), its distance to the nearest segment of any of the
    polylines (inf when there are none): `point_polyline_distance` for many points at once."""
    segments = [(a, b) for line in lines for a, b in zip(line, line[1:])]
    if not segments:
        return np.full(len(points), np.inf)
    starts, ends = np.array([a for a, _ in segments]), np.array([b for _, b in segments])
    along = ends - starts
    length2 = (along ** 2).sum(axis=1)
    offset = points[:, None, :] - starts[None, :, :]
    t = np.clip((offset * along).sum(axis=2) / np.where(length2 == 0, 1.0, length2), 0.0, 1.0)
    nearest = starts[None, :, :] + t[:, :, None] * along[None, :, :]
    return np.sqrt(((points[:, None, :] - nearest) ** 2).sum(axis=2)).min(axis=1)


def segment_crosses_box(start: Point, end: Point, box: Box) -> bool:
    """True when the segment passes through the box's interior (Liang–Barsky clipping)."""
    (x0, y0), (x1, y1) = start, end
    dx, dy = x1 - x0, y1 - y0
    low, high = 0.0, 1.0
    for p, q in ((-dx, x0 - box.x0), (dx, box.x1 - x0), (-dy, y0 - box.y0), (dy, box.y1 - y0)):
        if p == 0:
            if q <= 0:
                return False
            continue
        t = q / p
        if p < 0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low >= high:
            return False
    return True


def polyline_crosses_box(line: tuple[Point, ...], box: Box) -> bool:
    """True when any segment of the polyline passes through the box."""
    return any(segment_crosses_box(a, b, box) for a, b in zip(line, line[1:]))


def label_lines(name: str, max_chars: int = 9) -> list[str]:
    """A node name on one line, or on two lines broken at a space, a hyphen or before a version
    ("MobileNet v2", "Inception-ResNet", "EfficientNetV2") when it is longer than `max_chars`."""
    parts = [p for p in _BREAKS.split(name) if p]
    if len(name) <= max_chars or len(parts) < 2:
        return [name]
    splits = [(" ".join(parts[:i]).replace("- ", "-"), " ".join(parts[i:]).replace("- ", "-")) for i in range(1, len(parts))]
    return list(min(splits, key=lambda pair: (max(len(pair[0]), len(pair[1])), len(pair[1]))))


@lru_cache(maxsize=4096)
def text_width(text: str, font_size: float) -> float:
    """The width a line of text takes in the browser, with a margin (measured with DejaVu Sans; a
    Chinese character, which DejaVu Sans lacks, takes the full em the browser's CJK font gives it)."""
    wide = sum(unicodedata.east_asian_width(char) in "WF" for char in text)
    rest = "".join(char for char in text if unicodedata.east_asian_width(char) not in "WF")
    try:
        from PIL import ImageFont

        width = ImageFont.truetype(str(FONT_FILE), round(font_size)).getlength(rest) * font_size / round(font_size)
    except OSError:
        width = FALLBACK_EM_PER_CHAR * font_size * len(rest)
    return (width + wide * font_size) * WIDTH_MARGIN


def text_height(lines: int, font_size: float) -> float:
    """The height of a block of `lines` lines of text (plus its descent)."""
    return ((lines - 1) * LINE_SPACING + 1.25) * font_size


def text_box(lines: list[str], font_size: float, centre_x: float, top: float) -> Box:
    """The box of a centred block of text whose top edge is at y = `top` (y grows upwards)."""
    width = max(text_width(line, font_size) for line in lines)
    return Box(centre_x - width / 2, top - text_height(len(lines), font_size), centre_x + width / 2, top)
