"""The exports carry each edge's kind (documented, conceptual, parallel) and keep the seed's drawing."""

import json
import re

import networkx as nx
import pytest

from lineage import load_lineage
from lineage.export import to_graphml, to_json, to_mermaid
from tests.seed import parse_mermaid, seed_mermaid_block


@pytest.fixture(scope="module")
def graph():
    return load_lineage()


def kinds(graph) -> dict[tuple[str, str], str]:
    return {(u, v): d["kind"] for u, v, d in graph.edges(data=True)}


def test_json_edges_carry_their_kind_and_the_kinds_are_described(graph):
    data = json.loads(to_json(graph))
    assert {(e["source"], e["target"]): e["kind"] for e in data["edges"]} == kinds(graph)
    assert list(data["edge_kinds"]) == ["documented", "conceptual", "parallel"]
    assert all(entry["description"] for entry in data["edge_kinds"].values())


def test_graphml_round_trips_the_kind(graph):
    back = nx.parse_graphml(to_graphml(graph))
    assert {(u, v): d["kind"] for u, v, d in back.edges(data=True)} == kinds(graph)


def test_mermaid_styles_every_edge_by_its_kind_and_keeps_the_seed_block(graph):
    text = to_mermaid(graph)
    arrows = [line for line in text.splitlines() if "-->" in line]
    styled: dict[int, str] = {}
    for indices, style in re.findall(r"^\s*linkStyle ([\d,]+) (.+)$", text, re.M):
        for index in indices.split(","):
            assert int(index) not in styled, "an edge is styled twice"
            styled[int(index)] = style
    assert sorted(styled) == list(range(len(arrows)))
    # linkStyle numbers edges in the order they are declared: edge i of the export is edge i of the graph.
    expected = [d["kind"] for *_, d in graph.edges(data=True)]
    style_of = {"documented": "stroke-width:2px", "conceptual": "stroke-dasharray:6 4", "parallel": "stroke-dasharray:2 3"}
    assert [styled[i] for i in range(len(arrows))] == [style_of[k] for k in expected]
    assert parse_mermaid(seed_mermaid_block()) <= parse_mermaid(text)
