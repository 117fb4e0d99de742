"""Loading and validation of the lineage data file: every bad case names file, entry and field."""

import copy

import pytest
import yaml

from lineage import LineageDataError, load_graph, load_lineage

MINIMAL = {
    "tags": {"scaling": "bigger models", "connectivity": "skip connections"},
    "tags_zh": {"scaling": {"label": "缩放", "description": "更大的模型"},
                "connectivity": {"label": "连接方式", "description": "跳跃连接"}},
    "families": {"early": {"label": "Early", "description": "first nets",
                           "label_zh": "早期", "description_zh": "最早的网络"}},
    "edge_kinds": {kind: {"label": kind, "description": f"{kind} link",
                          "label_zh": f"{kind} 类", "description_zh": f"{kind} 联系"}
                   for kind in ("documented", "conceptual", "parallel")},
    "nodes": [
        {
            "id": node_id, "name": name, "year": year, "title": f"{name} paper", "first_author": "A. Author",
            "authors": "A. Author, B. Author", "venue": "Venue", "url": f"https://example.org/{node_id}",
            "family": "early", "summary": "A network.", "summary_zh": "一个网络。",
            "innovations": [{"name": "depth", "name_zh": "深度", "tag": "scaling"}],
        }
        for node_id, name, year in (("a", "A", 2000), ("b", "B", 2001), ("c", "C", 2002))
    ],
    "edges": [
        {"source": "a", "target": "b", "innovation": "deeper", "innovation_zh": "更深", "tag": "scaling",
         "explanation": "More layers.", "explanation_zh": "更多的层。",
         "evidence": "Smith & Jones 2001, Sec. 3.2", "spine": True, "kind": "documented"},
        {"source": "b", "target": "c", "innovation": "skip", "innovation_zh": "跳跃连接", "tag": "connectivity",
         "explanation": "Shortcuts.", "explanation_zh": "捷径。",
         "evidence": "seed notes", "spine": False, "kind": "conceptual"},
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
        lambda d: d["nodes"][0]["innovations"].append({"name": "x", "name_zh": "某", "tag": "magic"}), "nodes[0] (a)", "innovations[1]"),
    "unknown field": (lambda d: d["nodes"][0].update(colour="red"), "nodes[0] (a)", "colour"),
    "dangling edge": (lambda d: d["edges"][1].update(target="zzz"), "edges[1] (b -> zzz)", "target"),
    "edge missing field": (lambda d: d["edges"][0].pop("explanation"), "edges[0] (a -> b)", "explanation"),
    "edge unknown tag": (lambda d: d["edges"][0].update(tag="magic"), "edges[0] (a -> b)", "tag"),
    "cycle": (lambda d: d["edges"].append({**d["edges"][0], "source": "c", "target": "a"}), "edges", "target"),
    "no nodes": (lambda d: d.update(nodes=[]), "nodes", "nodes"),
    "edge missing kind": (lambda d: d["edges"][1].pop("kind"), "edges[1] (b -> c)", "kind"),
    "edge unknown kind": (lambda d: d["edges"][1].update(kind="inspired"), "edges[1] (b -> c)", "kind"),
    "edge kind not a string": (lambda d: d["edges"][1].update(kind=True), "edges[1] (b -> c)", "kind"),
    "documented without a paper": (
        lambda d: d["edges"][0].update(evidence="seed 000 (mermaid lineage)"), "edges[0] (a -> b)", "evidence"),
    "documented without a section": (
        lambda d: d["edges"][0].update(evidence="Smith & Jones 2001"), "edges[0] (a -> b)", "evidence"),
    "documented citing only a seed's section": (
        lambda d: d["edges"][0].update(evidence="seed 003 (sec. 14)"), "edges[0] (a -> b)", "evidence"),
    "edge kinds missing": (lambda d: d.pop("edge_kinds"), "edge_kinds", "edge_kinds"),
    "edge kinds incomplete": (lambda d: d["edge_kinds"].pop("parallel"), "edge_kinds", "edge_kinds"),
    "edge kind without description": (
        lambda d: d["edge_kinds"]["parallel"].pop("description"), "edge_kinds (parallel)", "label"),
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


@pytest.mark.parametrize("evidence", [
    "He et al. 2015, Sec. 4.1", "Tan & Le 2019, Sec. 4 (cites Hu et al.)", "Xie et al. 2016, Table 1",
    "seed 000 (mermaid lineage); Chollet 2016, Sec. 2", "Dosovitskiy et al. 2020, Secs. 3.1 and 4.1",
    "Wightman et al. 2021, abstract", "Zeiler and Fergus 2013, Fig. 3",
])
def test_documented_evidence_that_names_a_paper_and_a_section_passes(tmp_path, evidence):
    data = mutate(lambda d: d["edges"][0].update(evidence=evidence))
    assert load_graph(write(tmp_path, data)).edges["a", "b"]["evidence"] == evidence


def test_kinds_reach_the_graph_and_conceptual_or_parallel_edges_need_no_section(tmp_path):
    data = mutate(lambda d: d["edges"][1].update(kind="parallel"))
    graph = load_graph(write(tmp_path, data))
    assert [graph.edges[e]["kind"] for e in (("a", "b"), ("b", "c"))] == ["documented", "parallel"]
    assert list(graph.graph["edge_kinds"]) == ["documented", "conceptual", "parallel"]


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
    assert graph.number_of_nodes() >= 37
    assert all(isinstance(graph.nodes[n]["year"], int) for n in graph.nodes)
    for node_id in graph.nodes:
        assert 80 <= len(graph.nodes[node_id]["summary"]) <= 1200, f"{node_id}: summary length"


def test_bundled_edges_each_say_their_kind():
    """The notes' teaching links and the parallel pair are the ones the papers do not state (review 3-6)."""
    graph = load_lineage()
    kinds = {(u, v): d["kind"] for u, v, d in graph.edges(data=True)}
    assert {e for e, k in kinds.items() if k == "conceptual"} == {
        ("lenet", "alexnet"), ("alexnet", "nin"), ("vgg", "squeezenet"), ("squeezenet", "densenet")}
    assert {e for e, k in kinds.items() if k == "parallel"} == {("xception", "mobilenet-v1")}
