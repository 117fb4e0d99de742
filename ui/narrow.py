"""Keep a wide chart readable on a narrow window: below a minimum width it scrolls sideways."""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

TREE_MIN_WIDTH_PX = 760  # about the width at which the tree's labels stop touching


def scrollable_when_narrow(key: str, min_width_px: int = TREE_MIN_WIDTH_PX) -> DeltaGenerator:
    """A container that never gets narrower than `min_width_px`: a smaller window scrolls it."""
    st.html(f"<style>.st-key-{key} {{ overflow-x: auto; }} "
            f".st-key-{key} > div {{ min-width: {min_width_px}px; }}</style>")
    return st.container(key=key)
