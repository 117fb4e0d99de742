"""Every experiment, keyed by the edge (parent, child) whose claim it tests. Each key is checked
against the lineage graph when this module is imported: an experiment for an edge the tree does
not have is a bug, reported at once."""

from __future__ import annotations

import networkx as nx

from lineage import load_lineage
from lineage.queries import require_node
from models.experiments import attention, blocks, factorization, trained
from models.experiments.base import Edge, Experiment


class UnknownExperimentError(KeyError):
    """No experiment for this edge (or an id the tree does not know); the message says which."""

    def __str__(self) -> str:
        return self.args[0]


def _collect() -> dict[Edge, Experiment]:
    found: dict[Edge, Experiment] = {}
    for module in (factorization, blocks, attention, trained):
        for experiment in module.EXPERIMENTS:
            if experiment.edge in found:
                raise ValueError(f"two experiments for the edge {experiment.edge}")
            found[experiment.edge] = experiment
    return found


EXPERIMENTS: dict[Edge, Experiment] = _collect()


def missing_edges(graph: nx.DiGraph) -> list[Edge]:
    """Experiment keys that are not edges of `graph` (empty when all belong to the tree)."""
    return [edge for edge in EXPERIMENTS if not graph.has_edge(*edge)]


def _check(graph: nx.DiGraph) -> None:
    missing = missing_edges(graph)
    if missing:
        raise ValueError("experiments for edges the lineage does not have: "
                         + ", ".join(f"{u} → {v}" for u, v in missing))


_check(load_lineage())


def has_experiment(source: str, target: str) -> bool:
    """Whether the edge source → target has an experiment."""
    return (source, target) in EXPERIMENTS


def get_experiment(source: str, target: str, graph: nx.DiGraph | None = None) -> Experiment:
    """The edge's experiment, or UnknownExperimentError naming the unknown id or the missing edge."""
    graph = graph if graph is not None else load_lineage()
    for node in (source, target):
        try:
            require_node(graph, node)
        except KeyError as error:
            raise UnknownExperimentError(str(error)) from None
    if not graph.has_edge(source, target):
        raise UnknownExperimentError(f"The tree has no edge {source} → {target}.")
    if (source, target) not in EXPERIMENTS:
        raise UnknownExperimentError(f"The edge {source} → {target} has no experiment yet; "
                                     "`python -m models experiment --list` lists those that do.")
    return EXPERIMENTS[source, target]
