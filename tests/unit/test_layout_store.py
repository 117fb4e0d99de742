"""The stored layout lets a fresh server skip Graphviz, and is never used when stale: it is the
layout computed now, and any change to the layout's inputs makes it computed again."""

import json

import pytest

from lineage import layout_store, load_lineage
from lineage.layout import compute_layout
from lineage.layout_store import STORE, layout_key, save_layout, stored_layout

GRAPH = load_lineage()


def test_the_committed_layout_is_the_one_computed_now():
    assert json.loads(STORE.read_text(encoding="utf-8"))["key"] == layout_key(GRAPH), (
        "lineage/data/layout.json is out of date with the tree: run `python -m lineage.layout_store`")
    assert stored_layout(GRAPH) == compute_layout(GRAPH)


def test_a_fresh_server_reads_the_stored_layout_without_computing(monkeypatch):
    def computing(graph):
        raise AssertionError("computed although the stored layout is current")

    monkeypatch.setattr(layout_store, "compute_layout", computing)
    assert stored_layout(GRAPH).positions.keys() == set(GRAPH.nodes)


@pytest.mark.parametrize("change", ["rename", "new edge", "moved year"])
def test_a_changed_input_is_laid_out_again_not_read(tmp_path, change):
    small = GRAPH.subgraph(["lenet", "alexnet", "vgg", "resnet", "googlenet"]).copy()
    store = tmp_path / "layout.json"
    saved = save_layout(small, store)
    assert stored_layout(small, store) == saved
    if change == "rename":
        small.nodes["vgg"]["name"] = "VGG-16 and VGG-19"
    elif change == "new edge":
        small.add_edge("lenet", "resnet", **small.edges["vgg", "resnet"])
    else:
        small.nodes["googlenet"]["year"] = 2015
    assert layout_key(small) != json.loads(store.read_text(encoding="utf-8"))["key"]
    assert stored_layout(small, store) == compute_layout(small) != saved


def test_an_unreadable_store_is_computed(tmp_path):
    small = GRAPH.subgraph(["lenet", "alexnet"]).copy()
    broken = tmp_path / "layout.json"
    broken.write_text("{not json", encoding="utf-8")
    assert stored_layout(small, broken) == compute_layout(small)
    assert stored_layout(small, tmp_path / "missing.json") == compute_layout(small)
