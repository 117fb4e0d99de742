"""Keep the wide tree readable on a narrow window: below its own width it scrolls sideways,
under a finger too, and shows that it does."""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from lineage.figure import figure_width
from ui.lineage_cache import lineage_layout

# A finger's horizontal swipe scrolls the container, a vertical one the page; plotly's drag layer
# would otherwise take every touch. The fade on the right edge says there is more to see.
_CSS = """<style>
.st-key-{key} {{ overflow-x: auto; overscroll-behavior-x: contain; -webkit-overflow-scrolling: touch; }}
.st-key-{key} > div {{ min-width: {width}px; }}
.st-key-{key} .js-plotly-plot .draglayer, .st-key-{key} .js-plotly-plot .nsewdrag {{ touch-action: pan-x pan-y !important; }}
</style>"""


def scrollable_when_narrow(key: str, min_width_px: int | None = None) -> DeltaGenerator:
    """A container never narrower than `min_width_px` (default: the tree's own width, so the tree is
    never squeezed): a smaller window scrolls it."""
    width = min_width_px or figure_width(lineage_layout())
    st.html(_CSS.format(key=key, width=width))
    return st.container(key=key)
