"""Keep a side panel in view: its column sticks below the page header while the page scrolls."""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

HEADER_REM = 3.75  # Streamlit's top bar
# A sticky column cannot leave its row, and the page scrolls past the row by the main block's bottom
# padding: a column shorter than the window by the header and that padding keeps its heading in view.
BELOW_REM = 10.5


def sticky_column(key: str) -> DeltaGenerator:
    """A container whose column stays in view (scrolling on its own when taller than the window),
    so a click low on a tall chart shows the panel's heading, not the middle of its text."""
    st.html(f"<style>[data-testid='stColumn']:has(.st-key-{key}) {{ position: sticky; top: {HEADER_REM}rem; "
            f"align-self: flex-start; max-height: calc(100vh - {HEADER_REM + BELOW_REM}rem); overflow-y: auto; }}"
            "</style>")
    return st.container(key=key)
