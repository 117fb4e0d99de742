"""Lines spread apart where dot makes them meet: siblings that leave (or enter) a node share
its port, and a same-year bracket's stubs run at the marker's height beside them. Spreading them
a few px gives every line a stretch of its own, clear of the others, for its ◆ marker."""

from __future__ import annotations

import math
from collections.abc import Iterable

import networkx as nx

from lineage.geometry import Box, Point, point_polyline_distance, polyline_crosses_box

FAN_GAP, FAN_REACH, FAN_LENGTH = 9.0, 11.0, 60.0  # px: siblings' spread at a shared port, at most ±reach, over length
BRACKET_OFFSET = 10.0  # px from a marker's height to a same-year bracket's stub (less than a rim's 11)


def crowding(bracket: tuple[Point, ...], routes: Iterable[tuple[Point, ...]], near: float) -> int:
    """How many points of other lines lie within `near` px of a same-year bracket's run along the
    gap beside its column (fewer: the clearer side of the column for it)."""
    (x, y0), (_, y1) = bracket[1], bracket[2]
    low, high = sorted((y0, y1))
    return sum(abs(px - x) < near and low <= py <= high for route in routes for px, py in route)


def fanned_routes(graph: nx.DiGraph, routes: dict[tuple[str, str], tuple[Point, ...]], positions: dict[str, Point],
                  labels: dict[str, Box], rim: float, keep_off: float) -> dict[tuple[str, str], tuple[Point, ...]]:
    """dot starts every line that leaves a node at one port on its right (and ends every line that
    enters one at one port on its left), so siblings run together there. Same-year brackets get
    their stubs BRACKET_OFFSET px off the marker's height, towards each other; the other lines of
    each side are spread up to FAN_GAP px apart within ±FAN_REACH, clear of that side's stubs, in
    the order they head off, fading out over FAN_LENGTH px: each line gets a stretch of its own
    for its ◆ marker. A line that its spreading would take over a label or within `keep_off` px of
    a node it does not connect stays as it was. `rim`: how far from a node's centre lines start."""
    same_year = {e for e in graph.edges if graph.nodes[e[0]]["year"] == graph.nodes[e[1]]["year"]}
    fanned = {e: _raised_stubs(routes[e], rim) if e in same_year else routes[e] for e in graph.edges}
    for node in graph:
        centre = positions[node]
        stubs = [fanned[e][0 if e[0] == node else -1] for e in same_year if node in e]
        for edges, at_start, side in (([e for e in graph.out_edges(node) if e not in same_year], True, 1),
                                      ([e for e in graph.in_edges(node) if e not in same_year], False, -1)):
            if len(edges) < 2:
                continue
            offsets = [py - centre[1] for px, py in stubs if (px - centre[0]) * side > 0]
            low = max([-FAN_REACH] + [o + FAN_GAP for o in offsets if o < 0])
            high = min([FAN_REACH] + [o - FAN_GAP for o in offsets if o > 0])
            edges.sort(key=lambda e: _heading(fanned[e], at_start))
            gap = min(FAN_GAP, (high - low) / (len(edges) - 1))
            for i, edge in enumerate(edges):
                bent = _bent(fanned[edge], (low + high) / 2 + (i - (len(edges) - 1) / 2) * gap, at_start)
                if not any(polyline_crosses_box(bent, box) for box in labels.values()) and all(
                        point_polyline_distance(spot, bent) > keep_off for other, spot in positions.items()
                        if other not in edge):
                    fanned[edge] = bent
    return fanned


def _raised_stubs(route: tuple[Point, ...], rim: float) -> tuple[Point, ...]:
    """A same-year bracket with both stubs BRACKET_OFFSET px towards the other node, on the rims."""
    (x0, y0), (gap_x, _), _, (x1, y1) = route
    towards = math.copysign(BRACKET_OFFSET, y1 - y0)
    inward = math.copysign(rim - math.sqrt(rim ** 2 - BRACKET_OFFSET ** 2), x0 - gap_x)
    start, end = (round(x0 + inward, 2), y0 + towards), (round(x1 + inward, 2), y1 - towards)
    return (start, (gap_x, start[1]), (gap_x, end[1]), end)


def _heading(route: tuple[Point, ...], at_start: bool) -> float:
    """How far up a route has gone FAN_LENGTH px from its start (or, from its end, come from)."""
    points = route if at_start else route[::-1]
    travelled = 0.0
    for a, b in zip(points, points[1:]):
        travelled += math.dist(a, b)
        if travelled >= FAN_LENGTH:
            return b[1] - points[0][1]
    return points[-1][1] - points[0][1]


def _bent(route: tuple[Point, ...], offset: float, at_start: bool) -> tuple[Point, ...]:
    """The route with its points moved up by `offset`, fully at its start (end) and fading to none
    FAN_LENGTH px along; the point on the node's rim stays."""
    points = list(route if at_start else route[::-1])
    travelled, bent = 0.0, [points[0]]
    for a, b in zip(points, points[1:]):
        travelled += math.dist(a, b)
        weight = 0.5 * (1 + math.cos(math.pi * travelled / FAN_LENGTH)) if travelled < FAN_LENGTH else 0.0
        bent.append((b[0], round(b[1] + offset * weight, 2)))
    return tuple(bent if at_start else bent[::-1])
