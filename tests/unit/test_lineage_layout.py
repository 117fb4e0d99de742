"""The tree's geometry never suggests a lineage that is not there, for the data file's graph and
for a ~42-node extension of it (the networks and links issue 14 adds, and a few more).

Checked by dense sampling here, not with the layout's own `problems()`: every line keeps more
than a node's radius from every node it does not connect and stays out of every node's label;
labels never overlap; each ◆ marker sits on its own line, off every other line and marker."""

import math

import networkx as nx
import pytest

from lineage import load_lineage
from lineage.geometry import label_lines, text_width
from lineage.layout import EDGE_MARKER_SIZE, NODE_SIZE, SELECTED_SIZE, compute_layout

# (id, name, year, family, parents): networks the knowledge helper adds, then some more.
EXTRA_NODES = [
    ("zfnet", "ZFNet", 2013, "early-cnn", ["alexnet"]),
    ("nasnet", "NASNet", 2017, "efficient", ["inception-v3"]),
    ("preact-resnet", "Pre-act ResNet", 2016, "residual", ["resnet"]),
    ("wide-resnet", "Wide ResNet", 2016, "residual", ["resnet"]),
    ("mnasnet", "MnasNet", 2018, "efficient", ["mobilenet-v2", "nasnet"]),
    ("regnet", "RegNet", 2020, "residual", ["resnet", "resnext"]),
    ("efficientnet-v2", "EfficientNetV2", 2021, "efficient", ["efficientnet"]),
    ("deit", "DeiT", 2020, "transformer", ["vit"]),
    ("stochastic-depth", "Stochastic Depth", 2016, "residual", ["resnet"]),
    ("resnet-d", "ResNet-D", 2018, "residual", ["resnet"]),
    ("mobilevit", "MobileViT", 2021, "transformer", ["mobilenet-v2", "vit"]),
    ("rsb", "ResNet strikes back", 2021, "residual", ["resnet"]),
    ("bit", "BiT", 2019, "residual", ["resnet"]),
    ("ghostnet", "GhostNet", 2020, "efficient", ["mobilenet-v3"]),
    ("cspnet", "CSPNet", 2019, "residual", ["densenet"]),
    ("coatnet", "CoAtNet", 2021, "transformer", ["efficientnet", "vit"]),
]
EXTRA_EDGES = [
    ("zfnet", "vgg"), ("deit", "convnext"), ("mnasnet", "mobilenet-v3"), ("mnasnet", "efficientnet"),
    ("alexnet", "resnext"), ("googlenet", "resnext"), ("resnet", "xception"), ("nin", "squeezenet"),
    ("xception", "shufflenet"), ("mobilenet-v1", "shufflenet"), ("resnet", "mobilenet-v2"),
    ("mobilenet-v2", "convnext"), ("preact-resnet", "wide-resnet"), ("efficientnet", "efficientnet-v2"),
]
KINDS = ("documented", "conceptual", "parallel")


def extended(graph: nx.DiGraph) -> nx.DiGraph:
    """The data file's graph with EXTRA_NODES and EXTRA_EDGES (each present node kept as it is)."""
    bigger = graph.copy()
    template = next(iter(graph.nodes.values()))
    for node_id, name, year, family, parents in EXTRA_NODES:
        if node_id not in bigger:
            bigger.add_node(node_id, **{**template, "name": name, "year": year, "family": family})
        for parent in parents:
            bigger.add_edge(parent, node_id)
    for edge in EXTRA_EDGES:
        bigger.add_edge(*edge)
    for i, edge in enumerate(bigger.edges):
        data = bigger.edges[edge]
        data.setdefault("spine", False)
        data.setdefault("innovation", f"synthetic link {i}")
        data.setdefault("kind", KINDS[i % 3])
    assert nx.is_directed_acyclic_graph(bigger)
    return bigger


GRAPHS = {"data file": load_lineage()}
GRAPHS["extended"] = extended(GRAPHS["data file"])


@pytest.fixture(scope="module", params=list(GRAPHS))
def drawn(request):
    graph = GRAPHS[request.param]
    return graph, compute_layout(graph)


def dense(route, step=1.0):
    """Points every `step` px along a polyline."""
    for (x0, y0), (x1, y1) in zip(route, route[1:]):
        n = max(1, math.ceil(math.dist((x0, y0), (x1, y1)) / step))
        for k in range(n + 1):
            yield x0 + (x1 - x0) * k / n, y0 + (y1 - y0) * k / n


def test_the_extension_has_about_forty_networks():
    assert GRAPHS["extended"].number_of_nodes() >= 40 and GRAPHS["extended"].number_of_edges() >= 55


def test_columns_are_years_in_order(drawn):
    graph, layout = drawn
    assert list(layout.years) == sorted({graph.nodes[n]["year"] for n in graph})
    assert list(layout.year_x) == sorted(layout.year_x) and len(set(layout.year_x)) == len(layout.years)
    for node, (x, _) in layout.positions.items():
        assert x == pytest.approx(layout.year_x[layout.years.index(graph.nodes[node]["year"])], abs=0.5)


def test_no_line_comes_within_a_nodes_radius_of_a_node_it_does_not_connect(drawn):
    graph, layout = drawn
    radius = SELECTED_SIZE / 2 + 1  # even a node drawn selected (bigger) keeps clear of others' lines
    for (u, v), route in layout.routes.items():
        points = list(dense(route))
        for node, centre in layout.positions.items():
            if node not in (u, v):
                assert min(math.dist(p, centre) for p in points) > radius, (u, v, node)


def test_every_line_runs_from_its_source_to_its_target(drawn):
    graph, layout = drawn
    for (u, v), route in layout.routes.items():
        assert math.dist(route[0], layout.positions[u]) <= NODE_SIZE / 2 + 1.5
        assert math.dist(route[-1], layout.positions[v]) <= NODE_SIZE / 2 + 1.5


def test_labels_never_overlap_each_other_or_a_node_and_no_line_crosses_them(drawn):
    graph, layout = drawn
    nodes = list(layout.positions)
    for i, a in enumerate(nodes):
        for b in nodes[i + 1:]:
            assert not layout.labels[a].overlaps(layout.labels[b]), (a, b)
        for b in nodes:
            x, y = layout.positions[b]
            assert not layout.labels[a].grown(NODE_SIZE / 2).contains((x, y)) or a == b, (a, b)
    for (u, v), route in layout.routes.items():
        for node in nodes:
            inside = [p for p in dense(route) if layout.labels[node].grown(-0.5).contains(p)]
            assert not inside, (u, v, node)


def test_labels_are_laid_out_wider_than_the_font_draws_them():
    from PIL import ImageFont

    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 11)
    for name in ("Highway", "EfficientNet", "MobileNet v2", "W" * 6, "i" * 6):
        assert text_width(name, 11) >= 1.03 * font.getlength(name)
    assert label_lines("MobileNet v2") == ["MobileNet", "v2"] and label_lines("ResNet") == ["ResNet"]
    assert label_lines("Inception-ResNet") == ["Inception-", "ResNet"]


def test_each_marker_sits_on_its_own_line_clear_of_nodes_and_labels(drawn):
    graph, layout = drawn
    assert set(layout.markers) == set(graph.edges)
    for edge, marker in layout.markers.items():
        assert min(math.dist(marker, p) for p in dense(layout.routes[edge], 0.5)) < 1.5, edge
        for node, box in layout.labels.items():
            assert not box.grown(EDGE_MARKER_SIZE / 2).contains(marker), (edge, node)
        for node, centre in layout.positions.items():
            assert math.dist(marker, centre) > SELECTED_SIZE / 2 + EDGE_MARKER_SIZE / 2, (edge, node)


def test_the_layout_is_deterministic(drawn):
    graph, layout = drawn
    assert compute_layout(graph) == layout


def test_each_marker_is_clear_of_every_other_line_and_marker(drawn):
    graph, layout = drawn
    for edge, marker in layout.markers.items():
        for other, spot in layout.markers.items():
            assert other == edge or math.dist(marker, spot) > 2 * EDGE_MARKER_SIZE, (edge, other)
        for other, route in layout.routes.items():
            if other != edge:
                assert min(math.dist(marker, p) for p in dense(route)) > EDGE_MARKER_SIZE / 2 + 1, (edge, other)


def test_without_graphviz_the_layout_says_what_to_install(monkeypatch):
    import graphviz

    def missing(*args, **kwargs):
        raise graphviz.ExecutableNotFound(["dot"])

    monkeypatch.setattr(graphviz.Digraph, "pipe", missing)
    with pytest.raises(RuntimeError, match="apt-get install graphviz"):
        compute_layout(load_lineage())


def test_a_chinese_label_is_measured_a_full_em_per_character():
    # DejaVu Sans has no CJK glyphs: its fallback box is narrower than the browser's CJK font draws them
    assert text_width("残差连接", 10) >= 4 * 10
    assert text_width("残差连接 ResNet", 10) >= 4 * 10 + text_width(" ResNet", 10) / 1.04 - 0.01
