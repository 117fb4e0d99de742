"""The figure: deterministic, every node and edge clickable, kinds and spine told apart, highlights
and selections visible, edge labels off node labels."""

import pytest

from lineage import load_lineage
from lineage.figure import (ARROW_TRACE, FADED_ALPHA, HIGHLIGHT_COLOR, SPINE_LEGEND, edge_key, edge_label_spots, faded,
                            family_colors, figure_width, parse_edge_key, tree_figure)
from lineage.layout import compute_layout
from tests.unit.test_lineage_layout import GRAPHS


@pytest.fixture(scope="module")
def graph():
    return load_lineage()


@pytest.fixture(scope="module")
def layout(graph):
    return compute_layout(graph)


def node_ids(figure):
    return [c for trace in figure.data if trace.mode == "markers+text" for c in trace.customdata]


def line_traces(figure):
    """The traces that draw edges (each kind's, and the lit one), not the legend's samples."""
    return [t for t in figure.data if "lines" in t.mode and t.customdata is not None]


def test_every_node_and_edge_is_clickable(graph, layout):
    figure = tree_figure(graph, layout)
    assert sorted(node_ids(figure)) == sorted(graph.nodes)
    markers = next(t for t in figure.data if t.name == "innovations (edges)")
    assert sorted(parse_edge_key(k) for k in markers.customdata) == sorted(graph.edges)
    assert parse_edge_key(edge_key("vgg", "resnet")) == ("vgg", "resnet")


def test_the_plot_area_is_the_layout_at_scale_one(graph, layout):
    figure = tree_figure(graph, layout)
    margin = figure.layout.margin
    assert figure.layout.height - margin.t - margin.b == int(layout.height)
    assert figure_width(layout) - margin.l - margin.r >= layout.width
    assert tuple(figure.layout.xaxis.range) == (0, layout.width) and tuple(figure.layout.yaxis.range) == (0, layout.height)


def test_spine_edges_are_drawn_heavier_and_have_a_legend_entry(graph, layout):
    figure = tree_figure(graph, layout)
    spine = {t.line.width for t in line_traces(figure) if "(bold)" in t.name}
    other = {t.line.width for t in line_traces(figure) if "(bold)" not in t.name and t.name != "selected or highlighted"}
    assert min(spine) > max(other)
    assert SPINE_LEGEND in [t.name for t in figure.data if t.showlegend is not False]


def test_each_kind_of_edge_has_its_own_dash_and_legend_entry():
    graph = GRAPHS["extended"]  # it has edges of all three kinds
    figure = tree_figure(graph, compute_layout(graph))
    dashes = {t.name.split()[0]: t.line.dash for t in line_traces(figure) if t.x and t.name != "selected or highlighted"}
    assert dashes == {"documented": "solid", "conceptual": "dash", "parallel": "dot"}
    legend = [t.name for t in figure.data if t.showlegend is not False and t.mode == "lines"]
    assert legend[:3] == ["documented", "teaching link", "parallel work"]  # the data file's edge_kinds labels


def test_every_edge_has_one_arrowhead_at_its_tip_along_its_last_segment(graph, layout):
    figure = tree_figure(graph, layout)
    arrows = next(t for t in figure.data if t.name == ARROW_TRACE)
    assert arrows.marker.angleref == "previous" and "lines" not in arrows.mode
    drawn = [(arrows.x[i - 1], arrows.y[i - 1], arrows.x[i], arrows.y[i]) for i, size in enumerate(arrows.marker.size) if size]
    expected = [(*layout.routes[e][-2], *layout.routes[e][-1]) for e in graph.edges]
    assert sorted(drawn) == sorted(expected)


def test_the_edges_draw_points_only_for_arrowheads_not_along_their_routes(graph, layout):
    # plotly draws an SVG path per marker point: markers along every route vertex were most of the tree's draw time
    figure = tree_figure(graph, layout, selected="resnet")
    route_vertices = sum(len(route) for route in layout.routes.values())
    marked = sum(len(t.x) for t in figure.data if "markers" in t.mode and t.name != "selected or highlighted")
    assert marked <= 2 * graph.number_of_edges() + graph.number_of_edges() + graph.number_of_nodes() < route_vertices


def node_colors(figure):
    return {n: c for t in figure.data if t.mode == "markers+text" for n, c in zip(t.customdata, t.marker.color)}


def lit(figure):
    trace = next(t for t in figure.data if t.name == "selected or highlighted")
    return trace


def test_highlight_fades_the_rest_and_labels_the_path(graph, layout):
    figure = tree_figure(graph, layout, {"vgg", "resnet"}, {("vgg", "resnet")})
    colors = node_colors(figure)
    assert colors["resnet"] == family_colors(graph)["residual"]
    assert colors["lenet"] == faded(family_colors(graph)["early-cnn"]) and colors["lenet"].endswith(f", {FADED_ALPHA})")
    assert [a.text for a in figure.layout.annotations] == [graph.edges["vgg", "resnet"]["innovation"]]
    assert lit(figure).line.color == HIGHLIGHT_COLOR and len([x for x in lit(figure).x if x is None]) == 1
    # A click must not undo the highlight: plotly's unselected style keeps every node's colour.
    assert all(t.unselected.marker.opacity == 1.0 for t in figure.data if t.mode == "markers+text")


def test_a_selected_network_lights_its_edges_and_a_selected_edge_its_line(graph, layout):
    resnet = tree_figure(graph, layout, selected="resnet")
    assert len([x for x in lit(resnet).x if x is None]) == graph.degree("resnet")
    edge = tree_figure(graph, layout, selected=edge_key("vgg", "resnet"))
    route = layout.routes["vgg", "resnet"]
    assert list(lit(edge).x) == [x for x, _ in route] + [None]


@pytest.mark.parametrize("name", list(GRAPHS))
def test_edge_labels_never_cover_a_node_label_or_each_other(name):
    graph = GRAPHS[name]
    layout = compute_layout(graph)
    spots = edge_label_spots(graph, layout, list(graph.edges))
    boxes = [box for _, box in spots.values()]
    assert len(spots) >= min(8, graph.number_of_edges())  # most edges find a place even when all are shown
    for box in boxes:
        assert not any(box.overlaps(label) for label in layout.labels.values())
        assert sum(box.overlaps(other) for other in boxes) == 1  # only itself


@pytest.mark.parametrize("selected", ["resnet", edge_key("vgg", "resnet")])
def test_a_selection_is_plotlys_own_selected_point(graph, layout, selected):
    figure = tree_figure(graph, layout, selected=selected)
    chosen = [(t.customdata[i], t.selected.marker.size) for t in figure.data for i in (t.selectedpoints or ())]
    assert [key for key, _ in chosen] == [selected]
    clickable = [t for t in figure.data if "lines" not in t.mode and t.customdata is not None]
    assert chosen[0][1] > next(t for t in clickable if selected in t.customdata).marker.size
    assert all(t.selectedpoints is None for t in tree_figure(graph, layout).data)


def test_same_input_same_figure_and_only_the_revision_tells_two_apart(graph, layout):
    first, second = tree_figure(graph, layout, selected="vgg"), tree_figure(graph, layout, selected="vgg", revision=1)
    assert first.to_plotly_json()["data"] == second.to_plotly_json()["data"]
    assert first.layout.meta != second.layout.meta
    assert tree_figure(graph, compute_layout(graph), selected="vgg").to_plotly_json() == first.to_plotly_json()
