"""A deterministic layered layout: one column per year, one horizontal lane per family.

Columns are the distinct years in order (so the 14 quiet years after LeNet take one step,
not half the chart); inside a lane, networks of the same year stack in rows. Same graph in,
same positions out: nothing here is random.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx


@dataclass(frozen=True)
class Lane:
    """A family's horizontal band: rows `top` (inclusive) down to `bottom` (inclusive)."""

    family: str
    label: str
    top: int
    bottom: int


@dataclass(frozen=True)
class Layout:
    """Node positions (x = year column, y = minus the row) plus the axes' meaning."""

    positions: dict[str, tuple[float, float]]
    years: tuple[int, ...]
    lanes: tuple[Lane, ...]

    def column_of(self, year: int) -> int:
        return self.years.index(year)


def compute_layout(graph: nx.DiGraph) -> Layout:
    """Place every node: columns by year, lanes by family in data-file order, rows by parents."""
    years = tuple(sorted({data["year"] for _, data in graph.nodes(data=True)}))
    families = list(graph.graph["families"])
    topo_rank = {n: i for i, n in enumerate(nx.lexicographical_topological_sort(graph))}
    cells: dict[tuple[str, int], list[str]] = {}
    for node_id in sorted(graph.nodes, key=topo_rank.__getitem__):
        data = graph.nodes[node_id]
        cells.setdefault((data["family"], data["year"]), []).append(node_id)

    lanes, rows, next_row = [], {}, 0
    for family in families:
        height = max((len(cells.get((family, y), [])) for y in years), default=0)
        if height == 0:
            continue
        lanes.append(Lane(family, graph.graph["families"][family]["label"], next_row, next_row + height - 1))
        for year in years:
            members = cells.get((family, year), [])
            # Order a cell's members by where their parents sit, so edges cross less.
            members.sort(key=lambda n: (_mean_parent_row(graph, n, rows, next_row), topo_rank[n]))
            for offset, node_id in enumerate(members):
                rows[node_id] = next_row + offset
        next_row += height

    positions = {n: (float(years.index(graph.nodes[n]["year"])), -float(rows[n])) for n in graph.nodes}
    return Layout(positions, years, tuple(lanes))


def _mean_parent_row(graph: nx.DiGraph, node_id: str, rows: dict[str, int], default: int) -> float:
    placed = [rows[p] for p in graph.predecessors(node_id) if p in rows]
    return sum(placed) / len(placed) if placed else float(default)
