"""The channel grid as a plotly figure a page can click: the tiles drawn as one picture, a transparent
marker over each tile carrying its channel (a click anywhere on a tile picks the nearest marker, its
own), each tile's index and mean under it, and an outline round the chosen channel."""

from __future__ import annotations

import base64
import io

import plotly.graph_objects as go
from PIL import Image

from models.inside.capture import LayerMaps
from models.inside.render import heat

TILE = 96  # pixels a side of a tile in the picture
GAP = 8
LABEL_BAND = 18  # room under a tile for its label
OUTLINE = "#d62728"


def _data_url(image: Image.Image) -> str:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def tile_centres(count: int, columns: int) -> list[tuple[float, float]]:
    """(x, y) in the picture's pixels of the centre of each of `count` tiles, row by row."""
    step_x, step_y = TILE + GAP, TILE + LABEL_BAND + GAP
    return [((slot % columns) * step_x + GAP / 2 + TILE / 2, (slot // columns) * step_y + GAP / 2 + TILE / 2)
            for slot in range(count)]


def channel_grid_figure(maps: LayerMaps, channels: list[int], chosen: int | None, columns: int = 8,
                        hint: str = "click to enlarge") -> go.Figure:
    """`channels` of `maps` as tiles in rows of `columns` (each on its own colour range), the chosen
    one outlined, `hint` under each tile's hover label; the marker trace's customdata is each tile's
    channel as a string."""
    columns = max(1, min(columns, len(channels)))
    rows = -(-len(channels) // columns)
    width, height = columns * (TILE + GAP), rows * (TILE + LABEL_BAND + GAP)
    picture = Image.new("RGB", (width, height), "white")
    centres = tile_centres(len(channels), columns)
    for channel, (x, y) in zip(channels, centres):
        tile = heat(maps.maps[channel], TILE)
        picture.paste(tile, (round(x - tile.width / 2), round(y - tile.height / 2)))
    labels = [f"#{channel} · {maps.means[channel]:.3g}" for channel in channels]
    figure = go.Figure(go.Image(source=_data_url(picture), x0=0, y0=0, dx=1, dy=1, hoverinfo="skip"))
    figure.add_trace(go.Scatter(
        x=[x for x, _ in centres], y=[y for _, y in centres], customdata=[str(c) for c in channels], text=labels,
        mode="markers", name="channels", hovertemplate=f"%{{text}}<br>{hint}<extra></extra>",
        marker=dict(size=TILE // 2, symbol="square", color="rgba(0,0,0,0)"),
        selected=dict(marker=dict(opacity=0)), unselected=dict(marker=dict(opacity=0))))
    for label, (x, y) in zip(labels, centres):
        figure.add_annotation(x=x, y=y + TILE / 2 + LABEL_BAND / 2, text=label, showarrow=False, font=dict(size=11))
    if chosen in channels:
        x, y = centres[channels.index(chosen)]
        half = TILE / 2 + GAP / 2 - 1
        figure.add_shape(type="rect", x0=x - half, x1=x + half, y0=y - half, y1=y + half,
                         line=dict(color=OUTLINE, width=3), name=f"chosen #{chosen}")
    figure.update_xaxes(visible=False, range=[0, width], fixedrange=True)
    figure.update_yaxes(visible=False, range=[height, 0], fixedrange=True, scaleanchor="x")
    figure.update_layout(height=height, margin=dict(l=0, r=0, t=0, b=0), hovermode="closest", hoverdistance=-1,
                         dragmode=False, showlegend=False, plot_bgcolor="white")
    return figure


def clicked_channel(points: list[dict]) -> int | None:
    """The channel a chart selection names (its first point's customdata), or None for no point."""
    data = points[0].get("customdata") if points else None
    data = data[0] if isinstance(data, list) and data else data
    return int(data) if isinstance(data, str) and data.isdigit() else None
