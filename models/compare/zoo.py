"""The zoo on one chart: every model whose default weights publish ImageNet-1k top-1, against its
compute (or its measured latency), sized by parameters, coloured by family, with an arrow along
every edge of the tree between the two networks' default models."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import networkx as nx
import plotly.graph_objects as go

from lineage.figure import family_colors
from models.analysis import analyse
from models.compare.relations import default_model_id
from models.compare.table import published_accuracy
from models.registry import REGISTRY

MAX_MARKER_PX = 46
MIN_MARKER_PX = 7


@dataclass(frozen=True)
class ZooPoint:
    """One model on the chart: counted compute and parameters, published accuracy, its family."""

    id: str
    name: str
    node: str
    family: str  # the family's label in the lineage data
    top1: float
    top5: float | None
    weights: str
    macs: int
    params: int


@dataclass(frozen=True)
class ZooEdge:
    """A line of descent drawn as an arrow between two networks' default models. `via` names the
    networks in between that are not on the chart (no published accuracy), so the arrow spans them."""

    source: str  # model ids
    target: str
    innovations: tuple[str, ...]
    via: tuple[str, ...] = ()

    @property
    def hover(self) -> str:
        """What the arrow says on hover: the innovations along it, and what it skips."""
        return self.hover_in(str)

    def hover_in(self, say: Callable[[str], str]) -> str:
        """The hover in the reader's language: `say` translates the innovations and the words."""
        skipped = say(" (via {networks}, not on the chart)").format(networks=", ".join(self.via)) if self.via else ""
        return " → ".join(say(innovation) for innovation in self.innovations) + skipped


def zoo_points(graph: nx.DiGraph) -> list[ZooPoint]:
    """Every registered model with a published ImageNet-1k top-1, in registry order."""
    points = []
    for spec in REGISTRY.values():
        accuracy = published_accuracy(spec.id)
        if accuracy is None or spec.node not in graph:
            continue
        analysis = analyse(spec.id)
        family = graph.graph["families"][graph.nodes[spec.node]["family"]]["label"]
        points.append(ZooPoint(spec.id, spec.name, spec.node, family, accuracy.top1, accuracy.top5,
                               accuracy.weights, analysis.macs, analysis.params))
    return points


def zoo_edges(graph: nx.DiGraph, points: list[ZooPoint]) -> list[ZooEdge]:
    """An arrow for every tree edge whose two networks' default models are on the chart; where a
    network in between is not (its default model publishes no accuracy), the arrow spans it, from
    the nearest charted ancestor to each nearest charted descendant, unless a tree edge joins the two
    directly (AlexNet → VGG also runs through ZFNet: one arrow)."""
    charted = {p.node: p.id for p in points if p.id == default_model_id(p.node)}
    edges = []
    for start in charted:
        stack = [(child, (graph.edges[start, child]["innovation"],), ()) for child in graph.successors(start)]
        while stack:
            node, innovations, via = stack.pop()
            if node in charted:
                edges.append(ZooEdge(charted[start], charted[node], innovations, via))
                continue
            name = graph.nodes[node]["name"]
            stack += [(child, (*innovations, graph.edges[node, child]["innovation"]), (*via, name))
                      for child in graph.successors(node)]
    direct = {(e.source, e.target) for e in edges if not e.via}  # a direct edge already draws that arrow
    kept = {e for e in edges if not e.via or (e.source, e.target) not in direct}
    return sorted(kept, key=lambda e: (e.source, e.target, e.via))


def family_label_colors(graph: nx.DiGraph) -> dict[str, str]:
    """Each family's label with the colour the tree draws it in, so both charts read alike."""
    return {graph.graph["families"][family]["label"]: color for family, color in family_colors(graph).items()}


def zoo_figure(points: list[ZooPoint], edges: list[ZooEdge], x_values: dict[str, float], x_title: str,
               highlight: frozenset[str] = frozenset(), colors: dict[str, str] | None = None,
               say: Callable[[str], str] = str) -> go.Figure:
    """Top-1 against `x_values[model id]` (log axis; points without a value are left out).
    Marker area grows with parameters, colour by family label (`colors`, else plotly's cycle);
    each marker's customdata starts (node id, model id). `say` puts the chart's own words and the
    family labels into the reader's language (a UI passes its translator; English by default)."""
    shown = [p for p in points if p.id in x_values and x_values[p.id] > 0]
    biggest = max((p.params for p in shown), default=1)
    figure = go.Figure()
    for family in dict.fromkeys(p.family for p in shown):
        members = [p for p in shown if p.family == family]
        figure.add_trace(go.Scatter(
            x=[x_values[p.id] for p in members], y=[p.top1 for p in members], mode="markers", name=say(family),
            marker=dict(size=[_marker_size(p.params, biggest) for p in members], opacity=0.75,
                        color=(colors or {}).get(family),
                        line=dict(width=[3 if p.id in highlight else 0.5 for p in members], color="black")),
            customdata=[[p.node, p.id, p.name, _top5_text(p, say), p.params / 1e6] for p in members],
            hovertemplate=(f"<b>%{{customdata[2]}}</b> (%{{customdata[1]}})<br>top-1 %{{y:.2f}}%, top-5 %{{customdata[3]}}"
                           f"<br>{x_title} %{{x:.3g}}<br>{say('parameters')} %{{customdata[4]:.1f}} M"
                           "<extra>%{fullData.name}</extra>"),
        ))
    where = {p.id: (x_values[p.id], p.top1) for p in shown}
    drawn = [e for e in edges if e.source in where and e.target in where]
    for edge in drawn:
        (x0, y0), (x1, y1) = where[edge.source], where[edge.target]
        figure.add_annotation(x=math.log10(x1), y=y1, ax=math.log10(x0), ay=y0, xref="x", yref="y",
                              axref="x", ayref="y", showarrow=True, arrowhead=3, arrowsize=1.2,
                              arrowwidth=1.2, arrowcolor="rgba(90,90,90,0.55)", standoff=6, startstandoff=6,
                              text="")
    # Annotations put their (empty) text box on the arrow's tail, over the parent's marker, so the
    # innovations go on invisible markers at the arrows' midpoints (the middle on the log axis).
    middles = [(math.sqrt(where[e.source][0] * where[e.target][0]), (where[e.source][1] + where[e.target][1]) / 2)
               for e in drawn]
    figure.add_trace(go.Scatter(
        x=[m[0] for m in middles], y=[m[1] for m in middles], mode="markers", name="lineage", showlegend=False,
        marker=dict(size=10, opacity=0), hovertemplate="%{text}<extra>lineage</extra>",
        text=[f"{e.source} → {e.target}: {e.hover_in(say)}" for e in drawn],
        customdata=[[_node_of(points, e.target), e.target, "", "", 0.0] for e in drawn],
    ))
    figure.update_xaxes(type="log", title=f"{x_title} {say('(log scale)')}")
    figure.update_yaxes(title=say("ImageNet-1k top-1 (%), as the weights' metadata publishes it"))
    figure.update_layout(height=560, margin=dict(l=10, r=10, t=30, b=10), legend=dict(title=say("family")),
                         clickmode="event+select", dragmode="pan")
    return figure


def _node_of(points: list[ZooPoint], model_id: str) -> str:
    return next(p.node for p in points if p.id == model_id)


def _marker_size(params: int, biggest: int) -> float:
    """Diameter in pixels, so that the marker's area is proportional to the parameter count."""
    return max(MIN_MARKER_PX, MAX_MARKER_PX * math.sqrt(params / biggest))


def _top5_text(point: ZooPoint, say: Callable[[str], str] = str) -> str:
    return f"{point.top5:.2f}%" if point.top5 is not None else say("none published")
