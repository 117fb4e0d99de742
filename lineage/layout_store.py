"""The tree's layout kept beside the data file, so that a fresh server draws the tree at once
instead of running Graphviz and placing every ◆ marker on its first visit (seconds on 2 cores).

The stored layout carries a key made of everything the layout is computed from: the networks'
ids, names and years and the edges, in order; the layout code (layout, fanning, geometry, this module);
Graphviz's version; the font the labels are measured with, and Pillow's version. When the key differs, the layout is computed again (never a stale one).
Regenerate the file after editing the tree: `python -m lineage.layout_store`.
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import astuple
from importlib import metadata
from pathlib import Path

import graphviz
import networkx as nx

from lineage import fanning, geometry, layout
from lineage.geometry import Box
from lineage.layout import Layout, compute_layout

STORE = Path(__file__).parent / "data" / "layout.json"
_EDGE = ">"


def layout_key(graph: nx.DiGraph) -> str:
    """A digest of every input of `compute_layout` for this graph."""
    digest = hashlib.sha256()
    shape = [[n, graph.nodes[n]["name"], graph.nodes[n]["year"]] for n in graph.nodes] + [list(e) for e in graph.edges]
    digest.update(json.dumps(shape).encode())
    for module in (layout, fanning, geometry, sys.modules[__name__]):
        digest.update(Path(module.__file__).read_bytes())
    try:
        digest.update(repr(graphviz.version()).encode())
    except graphviz.ExecutableNotFound:  # no key matches: `compute_layout` then says what to install
        digest.update(b"no dot")
    font = geometry.FONT_FILE
    digest.update(font.read_bytes() if font.exists() else b"no font")
    digest.update(metadata.version("pillow").encode())
    return digest.hexdigest()


def stored_layout(graph: nx.DiGraph, store: Path = STORE) -> Layout:
    """The stored layout when its key is this graph's, else a freshly computed one."""
    key = layout_key(graph)
    try:
        saved = json.loads(store.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        saved = {}
    if saved.get("key") == key:
        return _from_json(saved["layout"])
    return compute_layout(graph)


def save_layout(graph: nx.DiGraph, store: Path = STORE) -> Layout:
    """Compute the layout and store it with its key (what `python -m lineage.layout_store` does)."""
    computed = compute_layout(graph)
    store.write_text(json.dumps({"key": layout_key(graph), "layout": _to_json(computed)}, indent=0) + "\n",
                     encoding="utf-8")
    return computed


def _to_json(drawn: Layout) -> dict:
    return dict(positions=drawn.positions, years=drawn.years, year_x=drawn.year_x, label_text=drawn.label_text,
                labels=_boxes_to_json(drawn.labels), node_boxes=_boxes_to_json(drawn.node_boxes),
                routes=_edges_to_json(drawn.routes), markers=_edges_to_json(drawn.markers), width=drawn.width,
                height=drawn.height)


def _boxes_to_json(boxes: dict[str, Box]) -> dict[str, tuple]:
    return {node: astuple(box) for node, box in boxes.items()}


def _edges_to_json(values: dict[tuple[str, str], object]) -> dict[str, object]:
    return {_EDGE.join(edge): value for edge, value in values.items()}


def _from_json(data: dict) -> Layout:
    def edges(values: dict) -> dict:
        return {tuple(key.split(_EDGE)): value for key, value in values.items()}

    return Layout(
        positions={node: tuple(point) for node, point in data["positions"].items()},
        years=tuple(data["years"]), year_x=tuple(data["year_x"]),
        label_text={node: tuple(lines) for node, lines in data["label_text"].items()},
        labels={node: Box(*box) for node, box in data["labels"].items()},
        node_boxes={node: Box(*box) for node, box in data["node_boxes"].items()},
        routes=edges({key: tuple(tuple(point) for point in route) for key, route in data["routes"].items()}),
        markers=edges({key: tuple(point) for key, point in data["markers"].items()}),
        width=data["width"], height=data["height"],
    )


if __name__ == "__main__":
    from lineage import load_lineage

    save_layout(load_lineage())
    print(f"wrote {STORE}")
