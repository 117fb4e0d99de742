"""Layout and figure: deterministic, every node and edge clickable, highlights visible."""

import pytest

from lineage import load_lineage
from lineage.figure import (FADED_ALPHA, edge_key, edge_marker_position, faded, family_colors, parse_edge_key,
                            tree_figure)
from lineage.layout import compute_layout


@pytest.fixture(scope="module")
def graph():
    return load_lineage()


def node_ids(figure):
    return [c for trace in figure.data if trace.mode == "markers+text" for c in trace.customdata]


def test_layout_is_deterministic_and_collision_free(graph):
    first, second = compute_layout(graph), compute_layout(graph)
    assert first == second
    positions = list(first.positions.values())
    assert len(set(positions)) == len(positions) == graph.number_of_nodes()


def test_columns_follow_the_years(graph):
    layout = compute_layout(graph)
    for node_id, (x, _) in layout.positions.items():
        assert layout.years[int(x)] == graph.nodes[node_id]["year"]
    for source, target in graph.edges:
        assert layout.positions[source][0] <= layout.positions[target][0]


def test_every_node_and_edge_is_clickable(graph):
    figure = tree_figure(graph, compute_layout(graph))
    assert sorted(node_ids(figure)) == sorted(graph.nodes)
    midpoints = next(t for t in figure.data if t.name == "innovations (edges)")
    assert sorted(parse_edge_key(k) for k in midpoints.customdata) == sorted(graph.edges)
    assert parse_edge_key(edge_key("vgg", "resnet")) == ("vgg", "resnet")


def test_spine_edges_are_drawn_heavier(graph):
    figure = tree_figure(graph, compute_layout(graph))
    spine_widths = {a.arrowwidth for a, (u, v) in zip(figure.layout.annotations, graph.edges) if graph.edges[u, v]["spine"]}
    other_widths = {a.arrowwidth for a, (u, v) in zip(figure.layout.annotations, graph.edges)
                    if not graph.edges[u, v]["spine"]}
    assert min(spine_widths) > max(other_widths)


def node_colors(figure):
    return {n: c for t in figure.data if t.mode == "markers+text" for n, c in zip(t.customdata, t.marker.color)}


def test_highlight_fades_the_rest_and_labels_the_path(graph):
    layout = compute_layout(graph)
    figure = tree_figure(graph, layout, {"vgg", "resnet"}, {("vgg", "resnet")})
    colors = node_colors(figure)
    assert colors["resnet"] == family_colors(graph)["residual"]
    assert colors["lenet"] == faded(family_colors(graph)["early-cnn"]) and colors["lenet"].endswith(f", {FADED_ALPHA})")
    assert any(a.text == "residual" for a in figure.layout.annotations)
    # A click must not undo the highlight: plotly's unselected style keeps every node's colour.
    assert all(t.unselected.marker.opacity == 1.0 for t in figure.data if t.mode == "markers+text")


@pytest.mark.parametrize("selected", ["resnet", edge_key("vgg", "resnet")])
def test_a_selection_is_plotlys_own_selected_point(graph, selected):
    figure = tree_figure(graph, compute_layout(graph), selected=selected)
    chosen = [(t.customdata[i], t.selected.marker.size) for t in figure.data for i in (t.selectedpoints or ())]
    assert [key for key, _ in chosen] == [selected]
    assert chosen[0][1] > next(t for t in figure.data if selected in t.customdata).marker.size
    assert tree_figure(graph, compute_layout(graph)).data[1].selectedpoints is None


def test_only_the_revision_tells_two_figures_apart(graph):
    layout = compute_layout(graph)
    first, second = tree_figure(graph, layout, selected="vgg"), tree_figure(graph, layout, selected="vgg", revision=1)
    assert first.to_plotly_json()["data"] == second.to_plotly_json()["data"]
    assert first.layout.meta != second.layout.meta


def test_edge_markers_never_sit_on_a_node(graph):
    layout = compute_layout(graph)
    for source, target in graph.edges:
        x, y = edge_marker_position(layout, source, target)
        for node_x, node_y in layout.positions.values():
            assert abs(x - node_x) > 0.3 or abs(y - node_y) > 0.3, (source, target)


def test_neighbouring_labels_never_share_a_line(graph):
    from lineage.figure import label_positions

    layout = compute_layout(graph)
    where = label_positions(graph, layout)
    by_place = {pos: node for node, pos in layout.positions.items()}
    for node, (x, y) in layout.positions.items():
        right = by_place.get((x + 1, y))
        if right and where[right] == where[node]:
            # allowed only when the right one is forced below by a parent straight above it
            assert where[right] == "bottom center" and any(
                layout.positions[p][0] == x + 1 for p in graph.predecessors(right)), (node, right)
