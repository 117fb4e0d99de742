"""Maps, filters and attention as pictures: a labelled channel grid (the CLI's PNG), one channel
over the input image, a grid of kernels, a patch outlined."""

from __future__ import annotations

import numpy as np
from matplotlib import colormaps
from PIL import Image, ImageDraw

from models.inside.capture import LayerMaps

CELL = 96
LABEL = 14


def normalised(values: np.ndarray) -> np.ndarray:
    """Scaled to [0, 1] on its own range (a constant map is all zeros)."""
    low, high = float(values.min()), float(values.max())
    return (values - low) / (high - low) if high > low else np.zeros_like(values)


def heat(map2d: np.ndarray, side: int | None = None) -> Image.Image:
    """One map coloured with viridis (its own range), optionally enlarged to `side` pixels (nearest)."""
    image = Image.fromarray((colormaps["viridis"](normalised(map2d))[..., :3] * 255).astype(np.uint8))
    if side:
        scale = side / max(image.size)
        image = image.resize((max(1, round(image.width * scale)), max(1, round(image.height * scale))), Image.NEAREST)
    return image


def channel_grid(maps: LayerMaps, count: int = 16, columns: int = 4) -> Image.Image:
    """The `count` most active channels, each labelled '#index  mean', best first, on white."""
    channels = maps.ranked(count)
    rows = -(-len(channels) // columns)
    grid = Image.new("RGB", (columns * CELL, rows * (CELL + LABEL)), "white")
    draw = ImageDraw.Draw(grid)
    for slot, channel in enumerate(channels):
        x, y = (slot % columns) * CELL, (slot // columns) * (CELL + LABEL)
        tile = heat(maps.maps[channel], CELL - 4)
        grid.paste(tile, (x + 2, y + 2))
        draw.text((x + 2, y + CELL), f"#{channel}  {maps.means[channel]:.3g}", fill="black")
    return grid


def over_image(image: np.ndarray, map2d: np.ndarray, alpha: float = 0.5) -> Image.Image:
    """A map stretched over the model's input picture `image` (H, W, 3 in [0, 1]), blended."""
    height, width = image.shape[:2]
    stretched = np.asarray(Image.fromarray(normalised(map2d).astype(np.float32)).resize((width, height), Image.BILINEAR))
    coloured = colormaps["viridis"](stretched.clip(0, 1))[..., :3]
    blended = ((1 - alpha) * image + alpha * coloured).clip(0, 1)
    return Image.fromarray((blended * 255).astype(np.uint8))


def kernel_tiles(images: np.ndarray, side: int = 48) -> list[Image.Image]:
    """Each kernel (k, k[, 3]) in [0, 1] enlarged to `side` pixels, nearest neighbour (pixels stay visible)."""
    tiles = []
    for kernel in images:
        pixels = (kernel * 255).astype(np.uint8)
        tiles.append(Image.fromarray(pixels, "RGB" if pixels.ndim == 3 else "L").resize((side, side), Image.NEAREST))
    return tiles


def mark_cell(image: Image.Image, cell: tuple[int, int], grid: tuple[int, int], colour: str = "red") -> Image.Image:
    """A copy of `image` with the cell (row, column) of a `grid` (rows, columns) laid over it outlined."""
    marked = image.copy()
    height, width = marked.height / grid[0], marked.width / grid[1]
    box = (cell[1] * width, cell[0] * height, (cell[1] + 1) * width - 1, (cell[0] + 1) * height - 1)
    ImageDraw.Draw(marked).rectangle(box, outline=colour, width=max(2, round(min(height, width) / 6)))
    return marked
