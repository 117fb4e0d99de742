"""The tree's layout by Graphviz `dot`: one rank (column) per year, edges routed around nodes.

Each node is given to dot as a box as wide as its label and tall enough for its marker and its
label, so dot's own node separation keeps labels apart and its spline routing keeps every line
off nodes and labels it does not connect. The splines come back as polylines; a same-year edge
is drawn as a bracket beside its column (on the side fewer lines pass), and lines that meet at a
node's port are spread apart (`lineage.fanning`). Each edge's clickable ◆ marker is then put on its
own line, clear of nodes, labels, other lines and other markers. A layout that breaks one of these rules is redone with more room. Coordinates are
pixels, y upwards. Same graph in, same layout out: dot is deterministic and nothing here is random.
"""

from __future__ import annotations

import json
import math
from dataclasses import astuple, dataclass

import graphviz
import networkx as nx
import numpy as np

from lineage.fanning import crowding, fanned_routes
from lineage.geometry import (Box, Point, label_lines, point_polyline_distance, points_polyline_distances,
                              polyline_crosses_box, text_box, text_height, text_width)

NODE_SIZE, SELECTED_SIZE = 20, 26  # marker diameters in px, as drawn and when selected
LABEL_FONT_SIZE = 11
EDGE_MARKER_SIZE = 9
MARKER_CLEARANCE = EDGE_MARKER_SIZE / 2 + 1.5  # px from a ◆ marker's centre to any line but its own
MARKER_SPACING = 2 * EDGE_MARKER_SIZE + 1.5  # px between two ◆ markers' centres
PAD = 1.0  # px of air around a node's box
ROOM = (0.05, 0.12, 0.2, 0.32)  # dot's ranksep (inches between columns), tried in turn until the rules hold
NODESEP = 0.15  # inches between two boxes in a column: room for a same-year edge and its marker
SAMPLES_PER_BEZIER = 12
PT_PER_INCH = 72


def marker_reach(size: float) -> float:
    """How far from a marker's centre plotly starts its text label (scatter's text offset)."""
    return size / 2 / 0.8 + 1


@dataclass(frozen=True)
class Layout:
    """Where everything is drawn, in px (y up): nodes, their labels, routed edges and ◆ markers."""

    positions: dict[str, Point]
    years: tuple[int, ...]
    year_x: tuple[float, ...]
    label_text: dict[str, tuple[str, ...]]
    labels: dict[str, Box]
    node_boxes: dict[str, Box]
    routes: dict[tuple[str, str], tuple[Point, ...]]
    markers: dict[tuple[str, str], Point]
    width: float
    height: float


def compute_layout(graph: nx.DiGraph) -> Layout:
    """Lay the graph out with dot, with more room each time until `problems` finds none (else the
    try with the fewest)."""
    best = None
    for ranksep in ROOM:
        layout = _dot_layout(graph, ranksep)
        found = problems(graph, layout)
        # A line by a node or over a label misleads; a crowded ◆ only inconveniences: weigh them so.
        cost = sum(1 if "marker of" in problem else 100 for problem in found)
        if best is None or cost < best[0]:
            best = (cost, layout)
        if cost == 0:
            break
    return best[1]


def problems(graph: nx.DiGraph, layout: Layout) -> list[str]:
    """Every way the drawing could suggest a lineage that is not there (empty when none)."""
    found = []
    node_ids = list(layout.positions)
    for i, a in enumerate(node_ids):
        for b in node_ids[i + 1:]:
            if layout.node_boxes[a].overlaps(layout.node_boxes[b]):
                found.append(f"nodes {a} and {b} overlap")
    reach = marker_reach(SELECTED_SIZE)
    for (u, v), route in layout.routes.items():
        for node in node_ids:
            if node in (u, v):
                continue
            if point_polyline_distance(layout.positions[node], route) <= reach:
                found.append(f"edge {u}->{v} passes within {reach:.0f} px of {node}")
            if polyline_crosses_box(route, layout.labels[node]):
                found.append(f"edge {u}->{v} crosses the label of {node}")
    for edge, marker in layout.markers.items():
        others = [route for other, route in layout.routes.items() if other != edge]
        if any(point_polyline_distance(marker, route) <= MARKER_CLEARANCE for route in others):
            found.append(f"the marker of {edge[0]}->{edge[1]} is near another line")
    found += [f"edge {u}->{v} has no marker" for u, v in layout.routes if (u, v) not in layout.markers]
    return found


def _dot_layout(graph: nx.DiGraph, ranksep: float) -> Layout:
    years = tuple(sorted({data["year"] for _, data in graph.nodes(data=True)}))
    lines = {n: tuple(label_lines(graph.nodes[n]["name"])) for n in graph.nodes}
    dot = graphviz.Digraph(
        graph_attr=dict(rankdir="LR", newrank="true", ranksep=str(ranksep), nodesep=str(NODESEP),
                        splines="spline", outputorder="edgesfirst"),
        node_attr=dict(shape="box", fixedsize="true", label=""),
    )
    for i, year in enumerate(years):  # an invisible chain of years fixes the columns' order
        dot.node(_year_node(year), style="invis", width="0.01", height="0.01")
        if i:
            dot.edge(_year_node(years[i - 1]), _year_node(year), style="invis")
    for node_id in graph.nodes:
        width, height = _box_size(lines[node_id])
        dot.node(node_id, width=f"{width / PT_PER_INCH:.4f}", height=f"{height / PT_PER_INCH:.4f}")
    for year in years:
        with dot.subgraph() as column:
            column.attr(rank="same")
            column.node(_year_node(year))
            for node_id in graph.nodes:
                if graph.nodes[node_id]["year"] == year:
                    column.node(node_id)
    for u, v in graph.edges:  # lines leave and enter a box at its marker's height, beside the label
        if graph.nodes[u]["year"] == graph.nodes[v]["year"]:
            dot.edge(u, v, style="invis")  # keeps the two near each other; drawn by `_bracket`
        else:
            dot.edge(f"{u}:e", f"{v}:w")
    try:
        drawn = json.loads(dot.pipe(format="json"))
    except graphviz.ExecutableNotFound:
        raise RuntimeError("The tree is laid out by Graphviz, whose `dot` program is not installed: "
                           "`apt-get install graphviz` (or `brew install graphviz`), then start again.") from None
    objects = {o["name"]: o for o in drawn["objects"]}
    positions = {n: _point(objects[n]["pos"]) for n in graph.nodes}
    names = {o["_gvid"]: o["name"] for o in drawn["objects"]}
    routes = {(names[e["tail"]], names[e["head"]]): _route(e["pos"]) for e in drawn["edges"]
              if names[e["tail"]] in positions}
    routes = {(u, v): _joined(positions[u], routes[u, v], positions[v]) for u, v in graph.edges
              if graph.nodes[u]["year"] != graph.nodes[v]["year"]}
    gaps = {}  # per year: x of the gaps left and right of its column, half a ranksep from its widest box
    for year in years:
        column = [n for n in graph if graph.nodes[n]["year"] == year]
        half = {n: _box_size(lines[n])[0] / 2 for n in column}
        gaps[year] = (min(positions[n][0] - half[n] for n in column) - ranksep * PT_PER_INCH / 2,
                      max(positions[n][0] + half[n] for n in column) + ranksep * PT_PER_INCH / 2)
    for u, v in graph.edges:
        if graph.nodes[u]["year"] == graph.nodes[v]["year"]:
            sides = [_bracket(positions[u], positions[v], x) for x in gaps[graph.nodes[u]["year"]]]
            routes[u, v] = min(sides, key=lambda bracket: crowding(bracket, routes.values(), 2 * MARKER_CLEARANCE))
    labels = {n: _label_box(lines[n], positions[n]) for n in graph.nodes}
    routes = fanned_routes(graph, {e: routes[e] for e in graph.edges}, positions, labels, NODE_SIZE / 2 + 1,
                           marker_reach(SELECTED_SIZE))
    boxes = {n: _node_box(lines[n], positions[n]) for n in graph.nodes}
    _, _, right, top = (float(v) for v in drawn["bb"].split(","))
    layout = Layout(positions, years, tuple(_point(objects[_year_node(y)]["pos"])[0] for y in years), lines,
                    labels, boxes, routes, {}, right, top)
    return Layout(**{**layout.__dict__, "markers": _place_markers(graph, layout)})


def _year_node(year: int) -> str:
    return f"year {year}"


def _box_size(lines: tuple[str, ...]) -> tuple[float, float]:
    """(width, height) kept free for a node: its label below the marker, the same above (dot
    centres the box on the marker), plus air."""
    half_height = marker_reach(SELECTED_SIZE) + text_height(len(lines), LABEL_FONT_SIZE)
    width = max(max(text_width(line, LABEL_FONT_SIZE) for line in lines), 2 * marker_reach(SELECTED_SIZE))
    return width + 2 * PAD, 2 * half_height + 2 * PAD


def _node_box(lines: tuple[str, ...], centre: Point) -> Box:
    width, height = _box_size(lines)
    return Box(centre[0] - width / 2, centre[1] - height / 2, centre[0] + width / 2, centre[1] + height / 2)


def _label_box(lines: tuple[str, ...], centre: Point) -> Box:
    """Where the label is drawn below its marker, whether the marker is drawn selected or not."""
    box = text_box(list(lines), LABEL_FONT_SIZE, centre[0], centre[1] - marker_reach(SELECTED_SIZE))
    return Box(box.x0, box.y0, box.x1, centre[1] - marker_reach(NODE_SIZE))


def _point(text: str) -> Point:
    x, y = text.split(",")[-2:]
    return float(x), float(y)


def _route(pos: str) -> tuple[Point, ...]:
    """dot's edge spline ("e,tip x,y x,y …": cubic Bézier pieces) as a polyline; the arrow tip is
    left out (the line is carried on to the marker's rim instead)."""
    controls = [_point(t) for t in pos.split() if not t.startswith(("e,", "s,"))]
    points = [controls[0]]
    for i in range(0, len(controls) - 3, 3):
        p0, p1, p2, p3 = controls[i:i + 4]
        for step in range(1, SAMPLES_PER_BEZIER + 1):
            t = step / SAMPLES_PER_BEZIER
            points.append(tuple(
                (1 - t) ** 3 * a + 3 * (1 - t) ** 2 * t * b + 3 * (1 - t) * t * t * c + t ** 3 * d
                for a, b, c, d in zip(p0, p1, p2, p3)))
    return tuple((round(x, 2), round(y, 2)) for x, y in points)


def _bracket(source: Point, target: Point, x: float) -> tuple[Point, ...]:
    """A same-year edge (both nodes in one column): out sideways at the source marker's height,
    along the gap beside the column at `x`, back in at the target's, so it crosses no label."""
    rim = math.copysign(NODE_SIZE / 2 + 1, x - source[0])
    return ((source[0] + rim, source[1]), (x, source[1]), (x, target[1]), (target[0] + rim, target[1]))


def _joined(source: Point, route: tuple[Point, ...], target: Point) -> tuple[Point, ...]:
    """dot's route runs from box edge to box edge (for a same-year edge sometimes drawn backwards):
    orient it from source to target and carry it on to the rims of the two markers."""
    rim = NODE_SIZE / 2 + 1
    if math.dist(route[0], target) + math.dist(route[-1], source) < math.dist(route[0], source) + math.dist(route[-1], target):
        route = route[::-1]

    def towards(centre: Point, point: Point) -> Point:
        distance = math.dist(centre, point) or 1.0
        return (round(centre[0] + (point[0] - centre[0]) * rim / distance, 2),
                round(centre[1] + (point[1] - centre[1]) * rim / distance, 2))

    return (towards(source, route[0]), *route, towards(target, route[-1]))


def _place_markers(graph: nx.DiGraph, layout: Layout) -> dict[tuple[str, str], Point]:
    """Each edge's ◆ on its own line, as near its middle as the rules allow: off every node's marker
    and label, clear of every other line and of the other markers. The edges with the fewest clear
    places choose first. An edge with none takes the place farthest from other lines (still off
    nodes, labels and markers), and `problems` reports it."""
    labels = np.array([astuple(box.grown(EDGE_MARKER_SIZE / 2)) for box in layout.labels.values()])
    centres = np.array(list(layout.positions.values()))
    off_node = marker_reach(SELECTED_SIZE) + EDGE_MARKER_SIZE / 2
    reach = 4 * MARKER_CLEARANCE  # farther lines cannot change the choice: count them as that far
    clearance = {}
    for edge in graph.edges:
        points = np.array(_along_from_middle(layout.routes[edge]))
        in_label = ((labels[None, :, 0] <= points[:, None, 0]) & (points[:, None, 0] <= labels[None, :, 2])
                    & (labels[None, :, 1] <= points[:, None, 1]) & (points[:, None, 1] <= labels[None, :, 3])).any(axis=1)
        near_node = (np.sqrt(((points[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2)) <= off_node).any(axis=1)
        free = points[~in_label & ~near_node]
        others = [route for other, route in layout.routes.items() if other != edge]
        distances = np.minimum(points_polyline_distances(free, others), reach)
        clearance[edge] = [((float(x), float(y)), float(d)) for (x, y), d in zip(free, distances)]
    markers: dict[tuple[str, str], Point] = {}
    for edge in sorted(graph.edges, key=lambda e: sum(c > MARKER_CLEARANCE for _, c in clearance[e])):
        spaced = [(p, c) for p, c in clearance[edge] if all(math.dist(p, m) > MARKER_SPACING for m in markers.values())]
        clear = [p for p, c in spaced if c > MARKER_CLEARANCE]
        if clear or spaced or clearance[edge]:
            markers[edge] = clear[0] if clear else max(spaced or clearance[edge], key=lambda pc: pc[1])[0]
    return {edge: markers[edge] for edge in graph.edges if edge in markers}


def _along_from_middle(route: tuple[Point, ...], step: float = 2.0) -> list[Point]:
    """Points every `step` px along a polyline, ordered by their distance (along it) from its middle."""
    points, lengths = [], []
    travelled = 0.0
    for a, b in zip(route, route[1:]):
        length = math.dist(a, b)
        for k in range(max(1, int(length / step))):
            t = k * step / length if length else 0.0
            points.append((a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])))
            lengths.append(travelled + k * step)
        travelled += length
    middle = travelled / 2
    order = sorted(range(len(points)), key=lambda i: (abs(lengths[i] - middle), lengths[i]))
    return [(round(points[i][0], 2), round(points[i][1], 2)) for i in order]
