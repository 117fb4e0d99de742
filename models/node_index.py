"""The light index of the zoo: per lineage node, its models' ids, names and kinds, default first,
and the edges that have an experiment.

The home page's panels need only these facts; reading them from `node_index.json` keeps torch,
torchvision and timm out of the first paint. The file is generated from the registry
(`python -m models.node_index`) and a test regenerates it and compares, so it cannot drift.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from lineage.queries import chronological

INDEX_PATH = Path(__file__).with_name("node_index.json")
REGENERATE = "python -m models.node_index"
MAX_COMPARED = 4  # models on one Compare page, and so in one "Compare with…" link


@dataclass(frozen=True)
class ModelFacts:
    """What a link to a model needs: its id, display name and kind ('image' or 'sequence')."""

    id: str
    name: str
    kind: str


def build_index() -> dict:
    """The index computed from the registries (imports torch): node → its models, default first;
    the [parent, child] edges that have an experiment."""
    from models.experiments import EXPERIMENTS
    from models.registry import REGISTRY, specs_for_node

    nodes = sorted({spec.node for spec in REGISTRY.values()})
    return {"models": {node: [{"id": s.id, "name": s.name, "kind": s.kind} for s in specs_for_node(node)]
                       for node in nodes},
            "experiments": sorted([source, target] for source, target in EXPERIMENTS)}


def write_index(path: Path = INDEX_PATH) -> None:
    """Regenerate the committed index from the registry."""
    path.write_text(json.dumps(build_index(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


@functools.cache
def _raw() -> dict:
    return json.loads(INDEX_PATH.read_text(encoding="utf-8"))


@functools.cache
def _models() -> dict[str, tuple[ModelFacts, ...]]:
    return {node: tuple(ModelFacts(**facts) for facts in models) for node, models in _raw()["models"].items()}


def models_for_node(node_id: str) -> tuple[ModelFacts, ...]:
    """Every model of a node, its default first; empty for a node without a model."""
    return _models().get(node_id, ())


def has_experiment(source: str, target: str) -> bool:
    """Whether the edge source → target has an experiment (models.experiments)."""
    return [source, target] in _raw()["experiments"]


def with_parents(graph: nx.DiGraph, node_id: str, model_id: str | None = None) -> str:
    """The `?models=` value of a "Compare with…" link: `model_id` (default: the network's default
    model) and its parents' default models, oldest first, at most MAX_COMPARED in all; empty for a
    network without a model."""
    own = model_id or getattr(default_model_for_node(node_id), "id", None)
    if own is None:
        return ""
    parents = (default_model_for_node(p) for p in chronological(graph, graph.predecessors(node_id)))
    return ",".join([own, *(p.id for p in parents if p)][:MAX_COMPARED])


def default_model_for_node(node_id: str) -> ModelFacts | None:
    """The model a click on the node opens, or None when the node has no model."""
    models = models_for_node(node_id)
    return models[0] if models else None


if __name__ == "__main__":
    write_index()
    print(f"wrote {INDEX_PATH}")
