"""More of the Inside page: the clickable channel grid (kept in step with the channel selectbox),
the user's own images ranked by a channel, and Swin's window attention for a chosen block and patch."""

from __future__ import annotations

import numpy as np
import streamlit as st
import torch

from models.inside.adapter import BuiltModel
from models.inside.capture import LayerMaps
from models.inside.grid_figure import channel_grid_figure, clicked_channel
from models.inside.image_set import MAX_IMAGES, MAX_SET_BYTES, SetFile, admitted, rank_set, sample_set
from models.inside.render import mark_cell, over_image
from models.inside.swin_windows import WindowBlock, block_weights, window_blocks
from models.prediction.images import FORMAT_NAMES, MAX_BYTES
from ui import lesson
from ui.i18n import t

COLUMNS = 8
SET_UPLOADS = "inside_set_uploads"


def channel_key(built: BuiltModel, maps: LayerMaps) -> str:
    """The session key of the enlarged channel of this model's layer: the selectbox's, which a click sets."""
    return f"inside_channel_{built.spec.id}_{maps.layer}"


def chosen_channel(key: str, ranked: list[int]) -> int:
    """The enlarged channel: the one chosen (by click or selectbox) while it is still on show, else the most active."""
    if st.session_state.get(key) not in ranked:
        st.session_state[key] = ranked[0]
    return st.session_state[key]


def channel_grid(built: BuiltModel, maps: LayerMaps, ranked: list[int]) -> None:
    """The most active channels as one chart: a click on a channel enlarges it below."""
    key = channel_key(built, maps)
    chart = f"inside_grid_{built.spec.id}_{maps.layer}"

    def clicked() -> None:
        channel = clicked_channel(st.session_state[chart]["selection"]["points"])
        if channel in ranked:
            st.session_state[key] = channel

    figure = channel_grid_figure(maps, ranked, chosen_channel(key, ranked), COLUMNS, t("click to enlarge"))
    st.plotly_chart(figure, width="stretch", key=chart, on_select=clicked, selection_mode="points",
                    config={"displayModeBar": False})
    st.caption(t("Click a channel to enlarge it over the input (or pick it in the list below)."))


def ranked_set(built: BuiltModel, layer: str, channel: int, samples: bool) -> None:
    """The user's images (or, with `samples`, the bundled sample photos while none is given), ranked by
    how much they excite `channel`: the top ones with their mean activation, and why any was left out."""
    uploads = lesson.place("upload").file_uploader(
        t("Your images to rank (up to {count}, {each} MB each, {total} MB together)", count=MAX_IMAGES,
          each=MAX_BYTES // 2**20, total=MAX_SET_BYTES // 2**20),
        accept_multiple_files=True, key=SET_UPLOADS, help=FORMAT_NAMES)
    if uploads:
        images, refused = admitted([SetFile(u.name, u.size, u.getvalue) for u in uploads])
        what, key = t("your {count} images", count=len(uploads)), tuple(u.file_id for u in uploads)
    elif samples:
        (images, refused), what, key = (sample_set(), []), t("the bundled sample photos"), "samples"
    else:
        return
    if not st.toggle(t("Rank {what} by {layer} #{channel}", what=what, layer=layer, channel=channel),
                     key="inside_rank_set"):
        return
    with st.spinner(t("Running the network on {what}…", what=what)):
        ranked = rank_set(built, images, layer, refused, key)
    for message in ranked.refused:
        st.warning(message)
    top = ranked.top(channel)
    if not top:
        st.info(t("None of these images could be read."))
        return
    st.caption(t("The {shown} of {count} images with the highest mean activation of {layer} #{channel}",
                 shown=len(top), count=len(ranked.names), layer=layer, channel=channel)
               + ("" if built.trained else t(" (untrained weights: the ranking follows random filters)")))
    for column, (place, (index, value)) in zip(st.columns(len(top)), enumerate(top, 1)):
        column.image(ranked.thumbnails[index], caption=f"{place}. {ranked.names[index]} · {value:.3g}",
                     width="stretch")


def window_attention(built: BuiltModel, batch: torch.Tensor, seen: np.ndarray) -> None:
    """Swin: one block's window attention of a chosen patch, over the image (nothing for other models)."""
    blocks = {block.name: block for block in window_blocks(built)}
    if not blocks:
        return
    st.markdown(t("**Window attention** — pick a block and a patch: where that patch looks inside its window."))
    model = built.spec.id
    left, right = st.columns([1, 2])
    name = left.selectbox(t("Block"), list(blocks), format_func=lambda b: _block_label(blocks[b]),
                          key=f"inside_swin_block_{model}")
    found = block_weights(built, batch, name)
    height, width = found.grid
    row = _clamped_slider(left, t("Patch row"), height, f"inside_swin_row_{model}")
    column = _clamped_slider(left, t("Patch column"), width, f"inside_swin_column_{model}")
    picture = mark_cell(over_image(seen, found.patch_map(row, column)), (row, column), found.grid)
    window = blocks[name].window
    note = t("Block {block}: the attention of patch ({row}, {column}) to the {count} patches of its {wh}×{ww} window, "
             "heads averaged, on the stage's {h}×{w} grid of patches.", block=name, row=row, column=column,
             count=window[0] * window[1], wh=window[0], ww=window[1], h=height, w=width)
    if any(found.shift):
        note += " " + t("This block's windows are shifted by {a}×{b} patches (torchvision rolls the map): a window may "
                        "wrap round the image's edges, and patches that come from across the wrap are masked out.",
                        a=found.shift[0], b=found.shift[1])
    elif any(blocks[name].shift):
        note += " " + t("One window covers the whole map here, so the block's shift is not applied.")
    right.image(picture, caption=note, width="stretch")


def _block_label(block: WindowBlock) -> str:
    """e.g. 'stage 2 · block 1 (windows shifted by 3×3)'."""
    windows = (t("windows shifted by {a}×{b}", a=block.shift[0], b=block.shift[1]) if any(block.shift)
               else t("regular windows"))
    return t("stage {stage} · block {index} ({windows})", stage=block.stage, index=block.index, windows=windows)


def _clamped_slider(where, label: str, size: int, key: str) -> int:
    """A patch index in 0..size-1 (the middle at first); a remembered one out of range (another block's
    grid is larger) goes back to the middle."""
    if size < 2:
        return 0
    if not 0 <= st.session_state.get(key, -1) < size:
        st.session_state[key] = size // 2
    return where.slider(label, 0, size - 1, key=key)
