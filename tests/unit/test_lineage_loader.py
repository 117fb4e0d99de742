"""Loading and validation of the lineage data file: every bad case names file, entry and field."""

import copy

import pytest
import yaml

from lineage import LineageDataError, load_graph, load_lineage

MINIMAL = {
    "tags": {"scaling": "bigger models", "connectivity": "skip connections"},
    "families": {"early": {"label": "Early", "description": "first nets"}},
    "nodes": [
        {
            "id": node_id, "name": name, "year": year, "title": f"{name} paper", "first_author": "A. Author",
            "authors": "A. Author, B. Author", "venue": "Venue", "url": f"https://example.org/{node_id}",
            "family": "early", "summary": "A network.", "innovations": [{"name": "depth", "tag": "scaling"}],
        }
        for node_id, name, year in (("a", "A", 2000), ("b", "B", 2001), ("c", "C", 2002))
    ],
    "edges": [
        {"source": "a", "target": "b", "innovation": "deeper", "tag": "scaling", "explanation": "More layers.",
         "evidence": "paper", "spine": True},
        {"source": "b", "target": "c", "innovation": "skip", "tag": "connectivity", "explanation": "Shortcuts.",
         "evidence": "paper", "spine": False},
    ],
}


def write(tmp_path, data) -> str:
    path = tmp_path / "lineage.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_minimal_file_loads_into_a_digraph(tmp_path):
    graph = load_graph(write(tmp_path, MINIMAL))
    assert list(graph.nodes) == ["a", "b", "c"]
    assert graph.edges["a", "b"]["innovation"] == "deeper"
    assert graph.nodes["c"]["year"] == 2002
    assert set(graph.graph["tags"]) == {"scaling", "connectivity"}


def mutate(change):
    data = copy.deepcopy(MINIMAL)
    change(data)
    return data


BAD_CASES = {
    "missing field": (lambda d: d["nodes"][1].pop("title"), "nodes[1] (b)", "title"),
    "empty field": (lambda d: d["nodes"][0].update(summary=""), "nodes[0] (a)", "summary"),
    "wrong type": (lambda d: d["nodes"][0].update(year="1998"), "nodes[0] (a)", "year"),
    "bool year": (lambda d: d["nodes"][0].update(year=True), "nodes[0] (a)", "year"),
    "duplicate id": (lambda d: d["nodes"][2].update(id="a"), "nodes[2] (a)", "id"),
    "unsafe id": (lambda d: d["nodes"][0].update(id="Le Net"), "nodes[0] (Le Net)", "id"),
    "unknown family": (lambda d: d["nodes"][0].update(family="alien"), "nodes[0] (a)", "family"),
    "bad url": (lambda d: d["nodes"][0].update(url="doi:10.1/x"), "nodes[0] (a)", "url"),
    "unknown innovation tag": (
        lambda d: d["nodes"][0]["innovations"].append({"name": "x", "tag": "magic"}), "nodes[0] (a)", "innovations[1]"),
    "unknown field": (lambda d: d["nodes"][0].update(colour="red"), "nodes[0] (a)", "colour"),
    "dangling edge": (lambda d: d["edges"][1].update(target="zzz"), "edges[1] (b -> zzz)", "target"),
    "edge missing field": (lambda d: d["edges"][0].pop("explanation"), "edges[0] (a -> b)", "explanation"),
    "edge unknown tag": (lambda d: d["edges"][0].update(tag="magic"), "edges[0] (a -> b)", "tag"),
    "cycle": (lambda d: d["edges"].append({**d["edges"][0], "source": "c", "target": "a"}), "edges", "target"),
    "no nodes": (lambda d: d.update(nodes=[]), "nodes", "nodes"),
}


@pytest.mark.parametrize("case", BAD_CASES, ids=list(BAD_CASES))
def test_each_bad_case_names_file_entry_and_field(tmp_path, case):
    change, entry, field = BAD_CASES[case]
    path = write(tmp_path, mutate(change))
    with pytest.raises(LineageDataError) as error:
        load_graph(path)
    assert error.value.entry == entry
    assert error.value.field == field
    assert str(path) in str(error.value)


def test_cycle_message_shows_the_cycle(tmp_path):
    data = mutate(BAD_CASES["cycle"][0])
    with pytest.raises(LineageDataError, match="cycle"):
        load_graph(write(tmp_path, data))


def test_unreadable_and_invalid_yaml(tmp_path):
    with pytest.raises(LineageDataError, match="cannot be read"):
        load_graph(tmp_path / "missing.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("nodes: [unclosed", encoding="utf-8")
    with pytest.raises(LineageDataError, match="not valid YAML"):
        load_graph(broken)


def test_bundled_file_is_valid_and_big_enough():
    graph = load_lineage()
    assert graph.number_of_nodes() >= 25
    assert all(isinstance(graph.nodes[n]["year"], int) for n in graph.nodes)
    for node_id in graph.nodes:
        assert 80 <= len(graph.nodes[node_id]["summary"]) <= 1200, f"{node_id}: summary length"
