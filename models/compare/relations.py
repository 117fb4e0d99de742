"""How compared models are related in the tree: for each pair of their networks, the line of
descent between them, or their nearest common ancestor and the line from it to each."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import networkx as nx

from lineage.queries import LineagePath, chronological, path_between
from models.registry import UnknownModelError, default_model_for_node


@dataclass(frozen=True)
class PairLineage:
    """Two networks: `direct` when one descends from the other, else the paths from `ancestor`."""

    first: str
    second: str
    direct: LineagePath | None
    ancestor: str | None
    from_ancestor: tuple[LineagePath, ...] = ()


def pair_lineage(graph: nx.DiGraph, first: str, second: str) -> PairLineage:
    """The path between two networks, or their nearest common ancestor with a path to each."""
    path = path_between(graph, first, second)
    if path.found:
        return PairLineage(first, second, path, None)
    if path.common_ancestor is None:
        return PairLineage(first, second, None, None)
    branches = tuple(path_between(graph, path.common_ancestor, end) for end in (first, second))
    return PairLineage(first, second, None, path.common_ancestor, branches)


def lineage_between(graph: nx.DiGraph, nodes: list[str]) -> list[PairLineage]:
    """Every pair of distinct networks among `nodes`, oldest first (a network compared with
    itself has nothing to say)."""
    distinct = chronological(graph, set(nodes))
    return [pair_lineage(graph, a, b) for a, b in combinations(distinct, 2)]


def default_model_id(node: str) -> str | None:
    """The model a network opens with, or None for a network with no model registered (yet)."""
    try:
        return default_model_for_node(node).id
    except UnknownModelError:
        return None
