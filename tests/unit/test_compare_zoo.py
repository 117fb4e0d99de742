"""The zoo chart: who is on it, the lineage arrows (VGG → ResNet reads up and left), marker sizes
by parameters, and the latency view."""

import math

import pytest

from lineage import load_lineage
from lineage.figure import family_colors
from models.compare.zoo import family_label_colors, zoo_edges, zoo_figure, zoo_points


def models(figure):
    """The families' marker traces (not the invisible markers at the arrows' midpoints)."""
    return [trace for trace in figure.data if trace.name != "lineage"]


@pytest.fixture(scope="module")
def zoo():
    points = zoo_points(load_lineage())
    return points, zoo_edges(load_lineage(), points)


def test_models_with_published_top1_only(zoo):
    points, _ = zoo
    ids = {p.id for p in points}
    assert {"alexnet", "vgg16", "resnet50", "convnext_tiny", "vit_b_16"} <= ids
    assert not {"lenet5", "seresnet50", "bn_inception", "transformer_base"} & ids
    resnet = next(p for p in points if p.id == "resnet50")
    assert resnet.top1 == 80.858 and resnet.family == "VGG & residual nets"


def test_arrows_follow_the_tree_and_span_networks_off_the_chart(zoo):
    _, edges = zoo
    by_ends = {(e.source, e.target): e for e in edges}
    assert by_ends["alexnet", "vgg16"].innovations == ("3x3 conv",)
    # AlexNet → ZFNet → VGG bridges ZFNet (no published accuracy), but the direct edge already draws it
    assert [e for e in edges if (e.source, e.target) == ("alexnet", "vgg16")] == [by_ends["alexnet", "vgg16"]]
    assert by_ends["vgg16", "resnet50"].innovations == ("residual",)
    bridged = by_ends["googlenet", "inception_v3"]  # BN-Inception in between has no published accuracy
    assert bridged.via == ("BN-Inception",) and "BN-Inception" in bridged.hover


def test_vgg_to_resnet_moves_up_and_left(zoo):
    points, edges = zoo
    gmacs = {p.id: p.macs / 1e9 for p in points}
    figure = zoo_figure(points, edges, gmacs, "GMACs", frozenset({"resnet50"}))
    assert figure.layout.xaxis.type == "log"
    arrow = next(a for a in figure.layout.annotations
                 if math.isclose(a.x, math.log10(gmacs["resnet50"])) and math.isclose(a.ax, math.log10(gmacs["vgg16"])))
    assert arrow.x < arrow.ax and arrow.y > arrow.ay  # less compute, higher top-1
    assert len(figure.layout.annotations) == len(edges)


def test_marker_area_grows_with_parameters(zoo):
    points, edges = zoo
    figure = zoo_figure(points, edges, {p.id: p.macs / 1e9 for p in points}, "GMACs")
    size = {c[1]: s for trace in models(figure) for c, s in zip(trace.customdata, trace.marker.size)}
    params = {p.id: p.params for p in points}
    assert (size["vgg16"] / size["resnet50"]) ** 2 == pytest.approx(params["vgg16"] / params["resnet50"])


def test_families_keep_the_trees_colours(zoo):
    points, edges = zoo
    graph = load_lineage()
    figure = zoo_figure(points, edges, {p.id: p.macs / 1e9 for p in points}, "GMACs", colors=family_label_colors(graph))
    residual = next(t for t in figure.data if t.name == graph.graph["families"]["residual"]["label"])
    assert residual.marker.color == family_colors(graph)["residual"]


def test_latency_view_shows_only_measured_models(zoo):
    points, edges = zoo
    figure = zoo_figure(points, edges, {"vgg16": 30.0, "resnet50": 12.0}, "latency ms")
    assert sorted(c[1] for trace in models(figure) for c in trace.customdata) == ["resnet50", "vgg16"]
    assert len(figure.layout.annotations) == 1  # the one edge between two measured models
    [lineage] = [t for t in figure.data if t.name == "lineage"]
    assert lineage.text == ("vgg16 → resnet50: residual",) and lineage.customdata[0][0] == "resnet"
    assert lineage.x[0] == pytest.approx(math.sqrt(30.0 * 12.0))  # the arrow's middle on the log axis
