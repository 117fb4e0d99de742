"""The family tree as a plotly figure: clickable nodes, clickable edge ◆ markers, a year axis.

Everything is drawn where `lineage.layout` put it, in pixels at scale 1 vertically (the plot
area is exactly as tall as the layout) and at least 1 horizontally (the tree's container is never
narrower than `figure_width`), so the layout's clearances hold on screen. Edges are line traces
along dot's routes, styled by their kind (documented, conceptual, parallel) with a legend entry
each; the bold ones are the course notes' original drawing. The arrowheads are one markers trace
of two points per edge (the tip and the route point before it, which sets the direction): plotly
draws an SVG path per marker point, and markers along every route vertex doubled the tree's draw time.

Clicks are read by the app from `customdata`: node markers carry the node id, edge markers carry
"source>target". A click is shown by plotly's own selected point, and the browser lights the
clicked network's edges from the figure itself (every edge is in its kind's trace, `meta` names the
highlight's), so the figure need not change; a selection made elsewhere (a link, the picker) is
drawn through `selectedpoints` and lights up the selected network's edges or the selected edge's
line. Same inputs, same figure.
"""

from __future__ import annotations

import math
from collections.abc import Collection

import networkx as nx
import plotly.graph_objects as go
from plotly.colors import qualitative, unlabel_rgb

from lineage.geometry import Box, Point, text_height, text_width
from lineage.layout import EDGE_MARKER_SIZE, LABEL_FONT_SIZE, NODE_SIZE, SELECTED_SIZE, Layout, marker_reach
from lineage.localized import localized
from lineage.queries import headline

EDGE_KEY_SEPARATOR = ">"
PALETTE = qualitative.Safe
EDGE_COLOR = "rgb(154, 154, 154)"
HIGHLIGHT_COLOR = "#e8590c"
EDGE_MARKER_COLOR = "#bbbbbb"
LABEL_COLOR = "#222"
FONT_FAMILY = "DejaVu Sans, Verdana, Arial, sans-serif"  # the font the layout measured, then wider ones
FADED_ALPHA = 0.25
EDGE_LABEL_FONT_SIZE = 10
MARGIN = dict(l=4, r=4, t=90, b=40)  # t: room for the legend, which must not shrink the plot area
KIND_DASH = {"documented": "solid", "conceptual": "dash", "parallel": "dot"}  # legend text: the data's edge_kinds
SPINE_WIDTH, OTHER_WIDTH, LIT_WIDTH = 2.6, 1.2, 3.6
ARROW_SIZE = 9
# The figure's own words in each language (the knowledge's words come from the data file, localized).
SPINE_LEGEND = "bold: the course notes' own drawing"
SPINE_LEGENDS = {"en": SPINE_LEGEND, "zh": "粗线：课程笔记原图中的连线"}
LIT_TRACE = "selected or highlighted"  # the trace of lit lines, found by this name in the browser too
ARROW_TRACE = "arrowheads"


def edge_key(source: str, target: str) -> str:
    """The customdata string of an edge's marker."""
    return f"{source}{EDGE_KEY_SEPARATOR}{target}"


def parse_edge_key(key: str) -> tuple[str, str]:
    """Inverse of edge_key."""
    source, _, target = key.partition(EDGE_KEY_SEPARATOR)
    return source, target


def faded(color: str) -> str:
    """A palette colour ("rgb(r, g, b)") at the opacity of nodes outside a highlight."""
    red, green, blue = unlabel_rgb(color)
    return f"rgba({red:g}, {green:g}, {blue:g}, {FADED_ALPHA})"


def family_colors(graph: nx.DiGraph) -> dict[str, str]:
    """A fixed colour per family, in data-file order."""
    return {f: PALETTE[i % len(PALETTE)] for i, f in enumerate(graph.graph["families"])}


def figure_width(layout: Layout) -> int:
    """The narrowest the chart may be drawn without squeezing the layout (px)."""
    return math.ceil(layout.width + MARGIN["l"] + MARGIN["r"])


def lit_edges(graph: nx.DiGraph, highlight_edges: Collection[tuple[str, str]], selected: str | None) -> set:
    """The edges drawn lit: the highlight's, the selected network's own, or the selected edge."""
    lit = set(highlight_edges)
    if selected and EDGE_KEY_SEPARATOR in selected:
        lit.add(parse_edge_key(selected))
    elif selected in graph:
        lit |= set(graph.in_edges(selected)) | set(graph.out_edges(selected))
    return lit


def tree_figure(
    graph: nx.DiGraph,
    layout: Layout,
    highlight_nodes: Collection[str] = (),
    highlight_edges: Collection[tuple[str, str]] = (),
    selected: str | None = None,
    revision: int = 0,
    lang: str = "en",
) -> go.Figure:
    """Draw the tree; highlighted nodes/edges stand out and the rest fade when any is given.
    `selected` is a node id or an edge key; `revision` only tells otherwise equal figures apart,
    so a browser showing another selection is made to redraw this one. Legend, hovers and edge
    labels are in `lang` (the data file's twins)."""
    highlight_nodes, highlight_edges = set(highlight_nodes), set(highlight_edges)
    edge_color = faded(EDGE_COLOR) if highlight_nodes or highlight_edges else EDGE_COLOR
    lit = lit_edges(graph, highlight_edges, selected)
    figure = go.Figure()
    for kind in KIND_DASH:
        for spine in (True, False):
            # every edge, lit ones too (beneath their lit line): the browser relights from these
            edges = [e for e in graph.edges if graph.edges[e]["kind"] == kind and graph.edges[e]["spine"] == spine]
            figure.add_trace(_edge_trace(layout, edges, kind, spine, edge_color))
    figure.add_trace(_arrow_trace(layout, list(graph.edges), edge_color))
    figure.add_trace(_lit_trace(layout, [e for e in graph.edges if e in lit]))
    figure.add_traces(_legend_entries(graph, lang))
    colors = family_colors(graph)
    clickable = [_edge_markers(graph, layout, lang)]  # the traces whose customdata a click reads
    for family, meta in graph.graph["families"].items():
        members = [n for n in graph.nodes if graph.nodes[n]["family"] == family]
        if members:
            clickable.append(_node_trace(graph, layout, members, localized(meta, "label", lang), colors[family],
                                         highlight_nodes, lang))
    for trace in clickable:
        if selected in trace.customdata:
            trace.selectedpoints = [list(trace.customdata).index(selected)]
    figure.add_traces(clickable)
    spots = edge_label_spots(graph, layout, [e for e in graph.edges if e in highlight_edges], lang)
    figure.update_layout(
        annotations=[_edge_label(graph, edge, centre, lang) for edge, (centre, _) in spots.items()],
        meta=dict(revision=revision, highlight_edges=[edge_key(*e) for e in graph.edges if e in highlight_edges]),
        height=int(layout.height) + MARGIN["t"] + MARGIN["b"],
        margin=MARGIN,
        font=dict(family=FONT_FAMILY),
        plot_bgcolor="white",
        hovermode="closest",
        clickmode="event+select",
        dragmode=False,
        legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="left", x=0, title_text=""),
        xaxis=dict(
            tickmode="array", tickvals=list(layout.year_x), ticktext=[str(y) for y in layout.years],
            range=[0, layout.width], showgrid=True, gridcolor="#f0f0f0", zeroline=False, fixedrange=True,
            side="bottom", automargin=False,
        ),
        yaxis=dict(visible=False, range=[0, layout.height], fixedrange=True, automargin=False),
    )
    return figure


def _edge_trace(layout: Layout, edges: list, kind: str, spine: bool, color: str) -> go.Scatter:
    """One kind's edges as lines; every point keeps its edge key, for the browser's relighting."""
    xs, ys, _, keys = _polylines(layout, edges)
    return go.Scatter(
        x=xs, y=ys, customdata=keys, mode="lines", hoverinfo="skip", name=f"{kind} edges{' (bold)' if spine else ''}",
        line=dict(color=color, width=SPINE_WIDTH if spine else OTHER_WIDTH, dash=KIND_DASH[kind]), showlegend=False,
    )


def _arrow_trace(layout: Layout, edges: list, color: str) -> go.Scatter:
    """Every edge's arrowhead: its route's tip after an invisible point at the vertex before it, so
    that `angleref="previous"` points the arrow along the route's last segment."""
    xs, ys = [], []
    for edge in edges:
        (x0, y0), (x1, y1) = layout.routes[edge][-2:]
        xs += [x0, x1]
        ys += [y0, y1]
    return go.Scatter(x=xs, y=ys, mode="markers", hoverinfo="skip", name=ARROW_TRACE, showlegend=False,
                      marker=dict(symbol="arrow", angleref="previous", size=[0, ARROW_SIZE] * len(edges), color=color,
                                  line_width=0))


def _legend_entries(graph: nx.DiGraph, lang: str) -> list[go.Scatter]:
    """A line sample per kind of edge the tree has, and one for the bold edges."""
    kinds = {graph.edges[e]["kind"] for e in graph.edges}
    labels = graph.graph["edge_kinds"]
    samples = [(localized(labels[k], "label", lang), KIND_DASH[k], OTHER_WIDTH) for k in KIND_DASH if k in kinds]
    if any(graph.edges[e]["spine"] for e in graph.edges):
        samples.append((SPINE_LEGENDS.get(lang, SPINE_LEGEND), "solid", SPINE_WIDTH))
    return [go.Scatter(x=[None], y=[None], mode="lines", name=name, hoverinfo="skip",
                       line=dict(color=EDGE_COLOR, width=width, dash=dash)) for name, dash, width in samples]


def _lit_trace(layout: Layout, edges: list) -> go.Scatter:
    xs, ys, sizes, keys = _polylines(layout, edges)
    return go.Scatter(x=xs, y=ys, customdata=keys, mode="lines+markers", hoverinfo="skip", name=LIT_TRACE,
                      line=dict(color=HIGHLIGHT_COLOR, width=LIT_WIDTH),
                      marker=dict(symbol="arrow", angleref="previous", size=sizes, color=HIGHLIGHT_COLOR,
                                  line_width=0), showlegend=False)


def _polylines(layout: Layout, edges: list) -> tuple[list, list, list]:
    """x and y of every edge's route, None between two, marker sizes with an arrow at each tip, and
    each point's edge key (so a test in the browser knows which line is which)."""
    xs, ys, sizes, keys = [], [], [], []
    for edge in edges:
        route = layout.routes[edge]
        xs += [x for x, _ in route] + [None]
        ys += [y for _, y in route] + [None]
        sizes += [0] * (len(route) - 1) + [ARROW_SIZE, 0]
        keys += [edge_key(*edge)] * (len(route) + 1)
    return xs, ys, sizes, keys


def _node_trace(graph, layout, members, label, color, highlight_nodes, lang) -> go.Scatter:
    # Faded by colour, not marker opacity: plotly gives all unselected points one opacity.
    colors = [color if not highlight_nodes or n in highlight_nodes else faded(color) for n in members]
    hover = [f"<b>{graph.nodes[n]['name']}</b> ({graph.nodes[n]['year']})<br>{headline(graph, n, lang)}" for n in members]
    return go.Scatter(
        x=[layout.positions[n][0] for n in members],
        y=[layout.positions[n][1] for n in members],
        mode="markers+text",
        name=label,
        text=["<br>".join(layout.label_text[n]) for n in members],
        textposition="bottom center",
        textfont=dict(size=LABEL_FONT_SIZE, color=LABEL_COLOR),
        customdata=members,
        hovertext=hover,
        hoverinfo="text",
        marker=dict(size=NODE_SIZE, color=colors, line=dict(width=1.5, color="white")),
        # A click selects a point: it grows and its label turns orange; the others keep their look
        # (their size too: plotly does not shrink a point drawn selected when a click moves on).
        selected=dict(marker=dict(size=SELECTED_SIZE), textfont=dict(color=HIGHLIGHT_COLOR)),
        unselected=dict(marker=dict(opacity=1.0, size=NODE_SIZE), textfont=dict(color=LABEL_COLOR)),
    )


def _edge_markers(graph: nx.DiGraph, layout: Layout, lang: str) -> go.Scatter:
    edges = list(graph.edges)
    kinds = graph.graph["edge_kinds"]
    hover = [f"{graph.nodes[u]['name']} → {graph.nodes[v]['name']} "
             f"({localized(kinds[graph.edges[u, v]['kind']], 'label', lang)})<br>"
             f"<i>{localized(graph.edges[u, v], 'innovation', lang)}</i>" for u, v in edges]
    return go.Scatter(
        x=[layout.markers[e][0] for e in edges],
        y=[layout.markers[e][1] for e in edges],
        mode="markers",
        name="innovations (edges)",
        customdata=[edge_key(*e) for e in edges],
        hovertext=hover,
        hoverinfo="text",
        marker=dict(size=EDGE_MARKER_SIZE, symbol="diamond", color=EDGE_MARKER_COLOR, opacity=0.8),
        selected=dict(marker=dict(size=2 * EDGE_MARKER_SIZE, color=HIGHLIGHT_COLOR, opacity=1.0)),
        unselected=dict(marker=dict(size=EDGE_MARKER_SIZE, color=EDGE_MARKER_COLOR, opacity=0.8)),
        showlegend=False,
    )


def edge_label_spots(graph: nx.DiGraph, layout: Layout, edges: list,
                     lang: str = "en") -> dict[tuple[str, str], tuple[Point, Box]]:
    """Where each highlighted edge's innovation is written (centre, box): near its line and inside
    the chart, never over a node, a node's label, a ◆ marker or another edge label. An edge with no
    such place gets no text on the chart (its hover and the panel still say it)."""
    blocked = list(layout.labels.values())
    reach = marker_reach(SELECTED_SIZE)
    blocked += [Box(x - reach, y - reach, x + reach, y + reach) for x, y in layout.positions.values()]
    blocked += [Box(x - EDGE_MARKER_SIZE, y - EDGE_MARKER_SIZE, x + EDGE_MARKER_SIZE, y + EDGE_MARKER_SIZE)
                for x, y in layout.markers.values()]
    chart = Box(0, 0, layout.width, layout.height)
    spots = {}
    for edge in edges:
        text = localized(graph.edges[edge], "innovation", lang)
        half_w = text_width(text, EDGE_LABEL_FONT_SIZE) / 2 + 2
        half_h = text_height(1, EDGE_LABEL_FONT_SIZE) / 2 + 1
        route = layout.routes[edge]
        for x, y in _candidates(route, layout.markers[edge]):
            for dy in (half_h + 3, -half_h - 3, 2 * half_h + 6, -2 * half_h - 6):
                box = Box(x - half_w, y + dy - half_h, x + half_w, y + dy + half_h)
                inside = chart.x0 <= box.x0 and box.x1 <= chart.x1 and chart.y0 <= box.y0 and box.y1 <= chart.y1
                if inside and not any(box.overlaps(other) for other in blocked):
                    spots[edge] = ((x, y + dy), box)
                    blocked.append(box)
                    break
            if edge in spots:
                break
    return spots


def _candidates(route: tuple[Point, ...], marker: Point) -> list[Point]:
    """The marker first, then the route's points from the nearest to the marker outwards."""
    return [marker] + sorted(route, key=lambda p: (abs(p[0] - marker[0]) + abs(p[1] - marker[1]), p))


def _edge_label(graph: nx.DiGraph, edge: tuple[str, str], centre: Point, lang: str) -> dict:
    return dict(
        x=centre[0], y=centre[1], xref="x", yref="y", showarrow=False, text=localized(graph.edges[edge], "innovation", lang),
        font=dict(size=EDGE_LABEL_FONT_SIZE, color=HIGHLIGHT_COLOR), bgcolor="rgba(255,255,255,0.85)",
        borderpad=0,
    )
