"""The family tree as a plotly figure: clickable nodes, clickable edge midpoints, a year axis.

Clicks are read by the app from `customdata`: node markers carry the node id, edge midpoint
markers carry "source>target". The selection is plotly's own selected point (bigger, orange
label), so a click shows at once in the browser and the figure need not change; a selection
made elsewhere (a link, the picker) is drawn through `selectedpoints`. Same inputs, same figure.
"""

from __future__ import annotations

from collections.abc import Collection

import networkx as nx
import plotly.graph_objects as go
from plotly.colors import qualitative, unlabel_rgb

from lineage.layout import Layout
from lineage.queries import headline

EDGE_KEY_SEPARATOR = ">"
PALETTE = qualitative.Safe
SPINE_COLOR = "#4a4a4a"
OTHER_EDGE_COLOR = "#a7a7a7"
HIGHLIGHT_COLOR = "#e8590c"
EDGE_MARKER_COLOR = "#bbbbbb"
NODE_SIZE, SELECTED_SIZE, EDGE_MARKER_SIZE = 20, 30, 9
LABEL_COLOR = "#222"
FADED_ALPHA = 0.25
ROW_HEIGHT_PX = 58
MARKER_POSITIONS = (0.5, 0.4, 0.6, 0.3, 0.7, 0.25, 0.75)
NODE_CLEARANCE = 0.3  # in layout units: one year column / one row apart is 1.0


def edge_key(source: str, target: str) -> str:
    """The customdata string of an edge's midpoint marker."""
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


def tree_figure(
    graph: nx.DiGraph,
    layout: Layout,
    highlight_nodes: Collection[str] = (),
    highlight_edges: Collection[tuple[str, str]] = (),
    selected: str | None = None,
    revision: int = 0,
) -> go.Figure:
    """Draw the tree; highlighted nodes/edges stand out and the rest fade when any is given.
    `selected` is a node id or an edge key; `revision` only tells otherwise equal figures apart,
    so a browser showing another selection is made to redraw this one."""
    highlight_nodes, highlight_edges = set(highlight_nodes), set(highlight_edges)
    fading = bool(highlight_nodes or highlight_edges)
    figure = go.Figure()
    annotations = [_arrow(graph, layout, u, v, (u, v) in highlight_edges, fading) for u, v in graph.edges]
    annotations += [_edge_label(graph, layout, u, v) for u, v in graph.edges if (u, v) in highlight_edges]
    figure.add_trace(_edge_midpoints(graph, layout))
    colors = family_colors(graph)
    for family, meta in graph.graph["families"].items():
        members = [n for n in graph.nodes if graph.nodes[n]["family"] == family]
        if members:
            figure.add_trace(_node_trace(graph, layout, members, meta["label"], colors[family], highlight_nodes))
    for trace in figure.data:
        if selected in trace.customdata:
            trace.selectedpoints = [list(trace.customdata).index(selected)]
    rows = max(-y for _, y in layout.positions.values()) + 1
    figure.update_layout(
        annotations=annotations,
        meta=dict(revision=revision),
        height=int(rows * ROW_HEIGHT_PX + 140),
        margin=dict(l=10, r=10, t=40, b=40),
        plot_bgcolor="white",
        hovermode="closest",
        clickmode="event+select",
        dragmode=False,
        legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="left", x=0, title_text=""),
        xaxis=dict(
            tickmode="array",
            tickvals=list(range(len(layout.years))),
            ticktext=[str(y) for y in layout.years],
            range=[-0.6, len(layout.years) - 0.4],
            showgrid=True,
            gridcolor="#f0f0f0",
            zeroline=False,
            fixedrange=True,
            side="bottom",
        ),
        yaxis=dict(visible=False, range=[-rows + 0.4, 0.6], fixedrange=True),
        shapes=_lane_bands(layout, colors),
    )
    return figure


def _node_trace(graph, layout, members, label, color, highlight_nodes) -> go.Scatter:
    xs = [layout.positions[n][0] for n in members]
    ys = [layout.positions[n][1] for n in members]
    where = label_positions(graph, layout)
    positions = [where[n] for n in members]
    # Faded by colour, not marker opacity: plotly gives all unselected points one opacity.
    colors = [color if not highlight_nodes or n in highlight_nodes else faded(color) for n in members]
    hover = [
        f"<b>{graph.nodes[n]['name']}</b> ({graph.nodes[n]['year']})<br>{headline(graph, n)}"
        for n in members
    ]
    return go.Scatter(
        x=xs,
        y=ys,
        mode="markers+text",
        name=label,
        text=[graph.nodes[n]["name"] for n in members],
        textposition=positions,
        textfont=dict(size=12, color=LABEL_COLOR),
        customdata=members,
        hovertext=hover,
        hoverinfo="text",
        marker=dict(size=NODE_SIZE, color=colors, line=dict(width=1.5, color="white")),
        # A click selects a point: it grows and its label turns orange; the others keep their look
        # (their size too: plotly does not shrink a point drawn selected when a click moves on).
        selected=dict(marker=dict(size=SELECTED_SIZE), textfont=dict(color=HIGHLIGHT_COLOR)),
        unselected=dict(marker=dict(opacity=1.0, size=NODE_SIZE), textfont=dict(color=LABEL_COLOR)),
    )


def label_positions(graph: nx.DiGraph, layout: Layout) -> dict[str, str]:
    """Above or below each marker: below when a parent sits straight above (its arrow comes in from
    the top); otherwise the opposite of the neighbour one column to the left on the same row, so
    two neighbouring labels never share a line of text."""
    positions: dict[str, str] = {}
    for node_id in sorted(layout.positions, key=lambda n: (layout.positions[n][1], layout.positions[n][0])):
        x, y = layout.positions[node_id]
        if any(layout.positions[p][0] == x and layout.positions[p][1] > y for p in graph.predecessors(node_id)):
            positions[node_id] = "bottom center"
            continue
        left = next((n for n, (lx, ly) in layout.positions.items() if ly == y and lx == x - 1), None)
        positions[node_id] = "bottom center" if positions.get(left) == "top center" else "top center"
    return positions


def _edge_midpoints(graph: nx.DiGraph, layout: Layout) -> go.Scatter:
    keys, xs, ys, hover = [], [], [], []
    for u, v, data in graph.edges(data=True):
        x, y = edge_marker_position(layout, u, v)
        keys.append(edge_key(u, v))
        xs.append(x)
        ys.append(y)
        hover.append(f"{graph.nodes[u]['name']} → {graph.nodes[v]['name']}<br><i>{data['innovation']}</i>")
    return go.Scatter(
        x=xs,
        y=ys,
        mode="markers",
        name="innovations (edges)",
        customdata=keys,
        hovertext=hover,
        hoverinfo="text",
        marker=dict(size=EDGE_MARKER_SIZE, symbol="diamond", color=EDGE_MARKER_COLOR, opacity=0.7),
        selected=dict(marker=dict(size=2 * EDGE_MARKER_SIZE, color=HIGHLIGHT_COLOR, opacity=1.0)),
        unselected=dict(marker=dict(size=EDGE_MARKER_SIZE, color=EDGE_MARKER_COLOR, opacity=0.7)),
        showlegend=False,
    )


def edge_marker_position(layout: Layout, source: str, target: str) -> tuple[float, float]:
    """Where an edge's clickable marker sits: its midpoint, or the first point along the edge that
    is clear of every node, so a click on a node never lands on an edge that passes behind it."""
    (x0, y0), (x1, y1) = layout.positions[source], layout.positions[target]
    for t in MARKER_POSITIONS:
        x, y = x0 + t * (x1 - x0), y0 + t * (y1 - y0)
        if all(abs(x - node_x) > NODE_CLEARANCE or abs(y - node_y) > NODE_CLEARANCE for node_x, node_y in layout.positions.values()):
            return x, y
    return x0 + (x1 - x0) / 2, y0 + (y1 - y0) / 2


def _arrow(graph, layout, u, v, highlighted: bool, fading: bool) -> dict:
    (x0, y0), (x1, y1) = layout.positions[u], layout.positions[v]
    spine = graph.edges[u, v]["spine"]
    color = HIGHLIGHT_COLOR if highlighted else (SPINE_COLOR if spine else OTHER_EDGE_COLOR)
    return dict(
        x=x1, y=y1, ax=x0, ay=y0, xref="x", yref="y", axref="x", ayref="y",
        text="", showarrow=True, arrowhead=2, arrowsize=1.1,
        arrowwidth=3.5 if highlighted else (1.8 if spine else 1.1),
        arrowcolor=color, opacity=FADED_ALPHA if fading and not highlighted else 1.0,
        standoff=11, startstandoff=11,
    )


def _edge_label(graph, layout, u, v) -> dict:
    x, y = edge_marker_position(layout, u, v)
    return dict(
        x=x, y=y, xref="x", yref="y", showarrow=False,
        text=graph.edges[u, v]["innovation"], font=dict(size=11, color=HIGHLIGHT_COLOR),
        bgcolor="rgba(255,255,255,0.85)", yshift=10,
    )


def _lane_bands(layout: Layout, colors: dict[str, str]) -> list[dict]:
    return [
        dict(
            type="rect", xref="paper", yref="y", x0=0, x1=1, y0=-lane.bottom - 0.5, y1=-lane.top + 0.5,
            fillcolor=colors[lane.family], opacity=0.06, line_width=0, layer="below",
        )
        for lane in layout.lanes
    ]
