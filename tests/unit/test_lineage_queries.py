"""Queries and exports over the bundled lineage, checked against the seed's own drawing."""

import json
import subprocess
import sys

import networkx as nx
import pytest

from lineage import UnknownNodeError, load_lineage
from lineage.export import to_graphml, to_json, to_mermaid
from lineage.queries import (
    ancestors, descendants, edges_by_tag, innovations_table, nodes_by_tag, path_between, search, timeline,
)
from tests.seed import parse_mermaid, seed_mermaid_block

REQUIRED_NODES = {
    "lenet", "alexnet", "nin", "vgg", "googlenet", "bn-inception", "inception-v3", "inception-v4",
    "inception-resnet", "xception", "highway", "resnet", "resnext", "senet", "densenet", "squeezenet",
    "shufflenet", "shufflenet-v2", "mobilenet-v1", "mobilenet-v2", "mobilenet-v3", "efficientnet",
    "transformer", "vit", "swin", "convnext",
}


@pytest.fixture(scope="module")
def graph():
    return load_lineage()


def test_every_required_network_is_present(graph):
    assert REQUIRED_NODES <= set(graph.nodes)


def test_seed_edges_exist_with_exactly_its_labels(graph):
    seed_edges = parse_mermaid(seed_mermaid_block())
    assert len(seed_edges) == 14
    name_to_id = {graph.nodes[n]["name"]: n for n in graph.nodes}
    for source_name, label, target_name in seed_edges:
        source, target = name_to_id[source_name], name_to_id[target_name]
        assert graph.has_edge(source, target), (source_name, target_name)
        assert graph.edges[source, target]["innovation"] == label
        assert graph.edges[source, target]["spine"] is True
    assert sum(1 for *_, d in graph.edges(data=True) if d["spine"]) == 14


def test_mermaid_export_reproduces_the_seed_block(graph):
    exported = parse_mermaid(to_mermaid(graph))
    assert to_mermaid(graph).startswith("graph TD\n")
    assert parse_mermaid(seed_mermaid_block()) <= exported
    assert len(exported) == graph.number_of_edges()


def test_ancestors_and_descendants_are_chronological(graph):
    assert ancestors(graph, "resnet")[:2] == ["lenet", "alexnet"]
    assert "vgg" in ancestors(graph, "resnet") and "highway" in ancestors(graph, "resnet")
    assert {"resnext", "senet", "densenet"} <= set(descendants(graph, "resnet"))
    years = [graph.nodes[n]["year"] for n in descendants(graph, "alexnet")]
    assert years == sorted(years)


def test_path_lists_the_innovation_of_each_step(graph):
    path = path_between(graph, "lenet", "inception-v3")
    assert path.nodes == ("lenet", "alexnet", "nin", "googlenet", "bn-inception", "inception-v3")
    assert [s.innovation for s in path.steps] == [
        "deeper/bigger", "1x1 conv", "inception: split-transform-merge", "batch normalization",
        "updated inception, label smooth"]
    reverse = path_between(graph, "inception-v3", "lenet")
    assert reverse.nodes == path.nodes


def test_no_route_is_an_empty_path_with_a_common_ancestor(graph):
    path = path_between(graph, "googlenet", "vgg")
    assert not path.found and path.steps == ()
    assert path.common_ancestor == "alexnet"
    assert path_between(graph, "transformer", "lenet").common_ancestor is None


def test_unknown_node_suggests_close_ids(graph):
    with pytest.raises(UnknownNodeError, match="resnet"):
        path_between(graph, "resnett", "lenet")


def test_nodes_by_tag_answers_which_networks_use_residual_connections(graph):
    connected = nodes_by_tag(graph, "connectivity")
    assert {"resnet", "densenet", "inception-resnet"} <= set(connected)
    assert ("vgg", "resnet") in edges_by_tag(graph, "connectivity")
    assert "lenet" not in nodes_by_tag(graph, "attention")
    with pytest.raises(KeyError):
        nodes_by_tag(graph, "magic")


def test_search_and_timeline(graph):
    assert "resnet" in search(graph, "residual")
    assert search(graph, "  ") == []
    rows = timeline(graph)
    assert rows[0]["id"] == "lenet" and len(rows) == graph.number_of_nodes()
    assert [r["year"] for r in rows] == sorted(r["year"] for r in rows)


def test_innovations_table_has_every_edge_in_order_of_appearance(graph):
    rows = innovations_table(graph)
    assert len(rows) == graph.number_of_edges()
    assert [r["year"] for r in rows] == sorted(r["year"] for r in rows)
    assert {"parent": "VGG", "child": "ResNet", "innovation": "residual"}.items() <= next(
        r for r in rows if r["child"] == "ResNet" and r["parent"] == "VGG").items()


def test_json_export_is_node_link(graph):
    data = json.loads(to_json(graph))
    assert {"id", "name", "year", "title", "url", "innovations"} <= set(data["nodes"][0])
    assert {"source", "target", "innovation", "explanation"} <= set(data["edges"][0])
    assert len(data["nodes"]) == graph.number_of_nodes() and len(data["edges"]) == graph.number_of_edges()


def test_graphml_export_round_trips(graph, tmp_path):
    file = tmp_path / "lineage.graphml"
    file.write_text(to_graphml(graph), encoding="utf-8")
    back = nx.read_graphml(file)
    assert set(back.nodes) == set(graph.nodes)
    assert back.edges["vgg", "resnet"]["innovation"] == "residual"
    assert back.nodes["alexnet"]["year"] == graph.nodes["alexnet"]["year"]


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "lineage", *args], capture_output=True, text=True, timeout=60)


def test_cli_exports_and_paths():
    result = run_cli("export", "--format", "json")
    assert result.returncode == 0 and json.loads(result.stdout)["nodes"]
    assert run_cli("export", "--format", "mermaid").stdout.startswith("graph TD")
    assert "<graphml" in run_cli("export", "--format", "graphml").stdout
    path = run_cli("path", "lenet", "resnet")
    assert path.returncode == 0 and "residual" in path.stdout and path.stdout.startswith("LeNet")


def test_cli_bad_input_is_one_line_without_traceback(tmp_path):
    unknown = run_cli("path", "lenet", "nope")
    assert unknown.returncode == 2 and "Unknown network 'nope'" in unknown.stderr
    assert "Traceback" not in unknown.stderr
    broken = tmp_path / "broken.yaml"
    broken.write_text("tags: {}\n", encoding="utf-8")
    bad_file = run_cli("--data", str(broken), "export")
    assert bad_file.returncode == 2 and str(broken) in bad_file.stderr and "Traceback" not in bad_file.stderr
    no_route = run_cli("path", "googlenet", "vgg")
    assert no_route.returncode == 1 and "No line of descent" in no_route.stderr


def test_matching_id_ignores_case_and_spaces_and_keeps_an_unknown_value(graph):
    from lineage.queries import matching_id

    assert matching_id(" ResNet ", graph) == "resnet"
    assert matching_id("nothing", graph) == "nothing"


@pytest.mark.parametrize("query, expected", [
    # The papers with an author named He (Kaiming He's four, Tong He's ResNet-D); "He" is not the start
    # of every "the"/"hence"
    ("He", {"resnet", "preact-resnet", "resnext", "resnet-d", "regnet"}),
    # the MobileNets, and the two networks whose summaries speak of mobile devices (MnasNet, MobileViT)
    ("mobile net", {"mobilenet-v1", "mobilenet-v2", "mobilenet-v3", "mnasnet", "mobilevit"}),
])
def test_search_matches_words_and_authors(graph, query, expected):
    assert expected <= set(search(graph, query)) and len(search(graph, query)) <= len(expected) + 1


def test_search_reads_the_times_sign_as_x_and_matches_word_starts(graph):
    assert search(graph, "1×1") == search(graph, "1x1") and "squeezenet" in search(graph, "1×1")
    assert "densenet" not in search(graph, "vit")  # not inside "connectivity"
    assert {"resnext", "senet", "convnext"} <= set(search(graph, "resnet"))
