"""The light index of the zoo: per lineage node, its models' ids, names and kinds, default first.

The home page's node panel needs only these facts; reading them from `node_index.json` keeps torch,
torchvision and timm out of the first paint. The file is generated from the registry
(`python -m models.node_index`) and a test regenerates it and compares, so it cannot drift.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

INDEX_PATH = Path(__file__).with_name("node_index.json")
REGENERATE = "python -m models.node_index"


@dataclass(frozen=True)
class ModelFacts:
    """What a link to a model needs: its id, display name and kind ('image' or 'sequence')."""

    id: str
    name: str
    kind: str


def build_index() -> dict[str, list[dict[str, str]]]:
    """The index computed from the registry (imports torch): node → its models, default first."""
    from models.registry import REGISTRY, specs_for_node

    nodes = sorted({spec.node for spec in REGISTRY.values()})
    return {node: [{"id": s.id, "name": s.name, "kind": s.kind} for s in specs_for_node(node)] for node in nodes}


def write_index(path: Path = INDEX_PATH) -> None:
    """Regenerate the committed index from the registry."""
    path.write_text(json.dumps(build_index(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


@functools.cache
def _load() -> dict[str, tuple[ModelFacts, ...]]:
    raw = json.loads(INDEX_PATH.read_text(encoding="utf-8"))
    return {node: tuple(ModelFacts(**facts) for facts in models) for node, models in raw.items()}


def models_for_node(node_id: str) -> tuple[ModelFacts, ...]:
    """Every model of a node, its default first; empty for a node without a model."""
    return _load().get(node_id, ())


def default_model_for_node(node_id: str) -> ModelFacts | None:
    """The model a click on the node opens, or None when the node has no model."""
    models = models_for_node(node_id)
    return models[0] if models else None


if __name__ == "__main__":
    write_index()
    print(f"wrote {INDEX_PATH}")
