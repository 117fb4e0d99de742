"""Keep the wide tree readable on a narrow window: below its own width it scrolls sideways,
under a finger too, and says so."""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from lineage.figure import figure_width
from ui.i18n import t
from ui.lineage_cache import lineage_layout

# The tree's share of the page's width beside its details panel (app.py lays the columns out with it).
TREE_SHARE = 0.75
# Streamlit's wide page keeps 5rem each side: below this many px of window per px of tree, the tree
# is cut off and the cue shows.
_WINDOW_PER_TREE_PX, _PAGE_PADDING_PX = 1 / TREE_SHARE, 160
# A finger's horizontal swipe scrolls the container, a vertical one the page: plotly's drag layer
# (Streamlit draws the chart in "pan" mode) cancels every touch it sees, so touches on the tree are
# kept from it; a tap still reaches it as the mouse click the browser makes of it.
_KEEP_TOUCHES_FROM_PLOTLY = """<script>
if (!window.__treeTouch) {{
  window.__treeTouch = true;
  for (const type of ['touchstart', 'touchmove', 'touchend']) {{
    document.addEventListener(type, event => {{
      if (event.target.closest && event.target.closest('.st-key-{key} .js-plotly-plot')) event.stopPropagation();
    }}, {{capture: true, passive: true}});
  }}
}}
</script>"""
_CSS = """<style>
.st-key-{key} {{ overflow-x: auto; overscroll-behavior-x: contain; }}
.st-key-{key} > div {{ min-width: {width}px; }}
.st-key-{key} .js-plotly-plot, .st-key-{key} .js-plotly-plot .draglayer,
.st-key-{key} .js-plotly-plot .nsewdrag {{ touch-action: pan-x pan-y !important; }}
.tree-scroll-cue {{ display: none; }}
@media (max-width: {narrow}px) {{
  .tree-scroll-cue {{ display: block; font-size: 0.9rem; color: #555; }}
  .st-key-{key} {{ mask-image: linear-gradient(to right, #000 calc(100% - 32px), rgba(0, 0, 0, 0.25)); }}
}}
</style>
<div class="tree-scroll-cue">⟷ {cue}</div>"""


def scrollable_when_narrow(key: str, min_width_px: int | None = None) -> DeltaGenerator:
    """A container never narrower than `min_width_px` (default: the tree's own width, so the tree is
    never squeezed): a smaller window scrolls it, with a line and a fading right edge that say so."""
    width = min_width_px or figure_width(lineage_layout())
    st.html(_CSS.format(key=key, width=width, narrow=int(width * _WINDOW_PER_TREE_PX + _PAGE_PADDING_PX),
                        cue=t("The tree is wider than this window: swipe or scroll it sideways for the later years.")))
    st.html(_KEEP_TOUCHES_FROM_PLOTLY.format(key=key), unsafe_allow_javascript=True)
    return st.container(key=key)
