"""LeNet-5's drawing pad, a Streamlit components v2 element: HTML and CSS here, the JavaScript beside
this file in digit_canvas.js. Its value is the drawing as a PNG data URL (decode it with
`models.prediction.images.image_from_data_url`), kept in the session so it survives reruns."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import streamlit as st

from ui.i18n import t

SIZE = 280  # canvas pixels a side; the pen in digit_canvas.js is sized for it

HTML = f"""<div class="pad">
  <canvas width="{SIZE}" height="{SIZE}" aria-label="Drawing pad: draw one digit"></canvas>
  <button type="button">Clear</button>
</div>"""

CSS = f"""
.pad {{ display: flex; flex-direction: column; align-items: flex-start; gap: 0.5rem; }}
canvas {{
  width: {SIZE}px; max-width: 100%; aspect-ratio: 1; background: #fff; cursor: crosshair;
  touch-action: none; border: 1px solid var(--st-border-color); border-radius: var(--st-base-radius);
}}
button {{
  font: inherit; color: var(--st-text-color); background: var(--st-background-color); cursor: pointer;
  border: 1px solid var(--st-border-color); border-radius: var(--st-button-radius); padding: 0.25rem 0.75rem;
}}
button:hover {{ border-color: var(--st-primary-color); color: var(--st-primary-color); }}
"""

_pad = st.components.v2.component("lineage_digit_canvas", html=HTML, css=CSS,
                                  js=Path(__file__).with_name("digit_canvas.js").read_text())


def digit_canvas(key: str, on_change: Callable[[], None]) -> str | None:
    """Show the pad; the drawing as a PNG data URL, or None while the pad is empty. `on_change`
    runs when a stroke ends or the pad is cleared."""
    drawn = st.session_state.get(key) or {}  # handed back, so a pad mounted afresh shows it again
    words = {"pad": t("Drawing pad: draw one digit"), "clear": t("Clear")}
    return _pad(key=key, data={"drawing": drawn.get("drawing"), "words": words},
                on_drawing_change=on_change).get("drawing")
