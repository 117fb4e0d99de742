"""Export the lineage as node-link JSON, a mermaid flowchart or GraphML."""

from __future__ import annotations

import io
import json

import networkx as nx

from lineage.localized import LANGUAGES, localized
from lineage.queries import chronological

FORMATS = ("json", "mermaid", "graphml")


def to_json(graph: nx.DiGraph) -> str:
    """Node-link JSON: {"nodes": [...], "edges": [...]}, nodes oldest first."""
    nodes = [dict(graph.nodes[n]) for n in chronological(graph, graph.nodes)]
    edges = [dict(data) for _, _, data in graph.edges(data=True)]
    payload = {key: graph.graph[key] for key in ("tags", "tags_zh", "families", "edge_kinds")}
    payload |= {"nodes": nodes, "edges": edges}
    return json.dumps(payload, indent=2, ensure_ascii=False)


def mermaid_id(node_id: str) -> str:
    """Mermaid node ids cannot hold hyphens safely next to arrows, so use underscores."""
    return node_id.replace("-", "_")


# How mermaid draws each kind of edge (`linkStyle`), so the arrows themselves stay `-->|label|`.
MERMAID_KIND_STYLE = {"documented": "stroke-width:2px", "conceptual": "stroke-dasharray:6 4",
                      "parallel": "stroke-dasharray:2 3"}


def to_mermaid(graph: nx.DiGraph, lang: str = "en") -> str:
    """A `graph TD` flowchart with every node by name, every edge labelled by its innovation (in
    `lang`; names stay as published) and styled by its kind: per kind, a `%%` comment says what it
    means and a `linkStyle` line draws it."""
    lines = ["graph TD"]
    for node_id in chronological(graph, graph.nodes):
        lines.append(f'  {mermaid_id(node_id)}["{_escape(graph.nodes[node_id]["name"])}"]')
    by_kind: dict[str, list[str]] = {kind: [] for kind in MERMAID_KIND_STYLE}
    for index, (source, target, data) in enumerate(graph.edges(data=True)):
        label = _escape(localized(data, "innovation", lang))
        lines.append(f'  {mermaid_id(source)} -->|"{label}"| {mermaid_id(target)}')
        by_kind[data["kind"]].append(str(index))
    for kind, indices in by_kind.items():
        if indices:
            lines.append(f"  %% {kind}: {localized(graph.graph['edge_kinds'][kind], 'description', lang)}")
            lines.append(f"  linkStyle {','.join(indices)} {MERMAID_KIND_STYLE[kind]}")
    return "\n".join(lines) + "\n"


def _escape(text: str) -> str:
    return text.replace('"', "#quot;")


def to_graphml(graph: nx.DiGraph) -> str:
    """GraphML with list attributes flattened to '; '-joined text (GraphML holds scalars only)."""
    flat = nx.DiGraph()
    for node_id, data in graph.nodes(data=True):
        attrs = {k: v for k, v in data.items() if k != "innovations"}
        attrs["innovations"] = "; ".join(i["name"] for i in data["innovations"])
        attrs["innovation_tags"] = "; ".join(i["tag"] for i in data["innovations"])
        flat.add_node(node_id, **attrs)
    for source, target, data in graph.edges(data=True):
        flat.add_edge(source, target, **data)
    buffer = io.BytesIO()
    nx.write_graphml(flat, buffer, encoding="utf-8")
    return buffer.getvalue().decode("utf-8")


def export(graph: nx.DiGraph, fmt: str, lang: str = "en") -> str:
    """Dispatch to one of FORMATS; `lang` is the mermaid labels' language (JSON and GraphML carry
    every language's fields)."""
    if fmt not in FORMATS:
        raise ValueError(f"Unknown format '{fmt}'. Choose one of: {', '.join(FORMATS)}.")
    if lang not in LANGUAGES or (lang != "en" and fmt != "mermaid"):
        raise ValueError(f"Language '{lang}' is not available for {fmt}: the mermaid export takes one of "
                         f"{', '.join(LANGUAGES)}; JSON and GraphML carry every language.")
    writers = {"json": to_json, "mermaid": lambda g: to_mermaid(g, lang), "graphml": to_graphml}
    return writers[fmt](graph)
