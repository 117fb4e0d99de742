"""Presenter mode, for a projector: large type, high contrast, Streamlit's toolbar, header and the
sidebar hidden. On with `?present=1` (ui.lesson) or the page's toggle; every page applies it through
`sidebar_navigation()`, and the choice is kept in the session and mirrored into the URL."""

from __future__ import annotations

import streamlit as st

from ui.i18n import t
from ui.lesson import presenting

_STATE_KEY = "presenter_on"  # not a widget key: Streamlit drops a widget's state on another page
_SWITCH_KEY = "presenter_switch"
NAV_KEYS = ("tour_prev", "tour_next")  # the Tour page's ← / → buttons, drawn large here

# Type grows with the window (20 px at 1024 wide, 30 px at 1920) and everything Streamlit sizes in rem
# follows; text is black on white, captions too; the page uses the whole width.
STYLE = """
<style>
html { font-size: clamp(20px, 1.6vw, 30px) !important; }
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stStatusWidget"],
[data-testid="stDecoration"], footer { display: none !important; }
.stApp, [data-testid="stAppViewContainer"], [data-testid="stMain"] { background: #ffffff !important; color: #000000 !important; }
[data-testid="stMainBlockContainer"] { padding: 1rem 2rem 2rem 2rem !important; max-width: 100% !important; }
[data-testid="stCaptionContainer"] { opacity: 1 !important; }
[data-testid="stCaptionContainer"] *, [data-testid="stAlertContainer"] * { color: #000000 !important; }
[data-testid="stAlertContainer"] { border: 2px solid #000000; }
[data-testid="stTable"] th, [data-testid="stTable"] td { color: #000000 !important; font-size: 1rem !important; }
[data-testid="stMarkdownContainer"] a { color: #0b3d91 !important; text-decoration: underline; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { line-height: 1.45; }
.st-key-tour_prev button, .st-key-tour_next button { min-height: 3rem; padding: 0.3rem 1rem !important;
  border: 3px solid #000000 !important; }
.st-key-tour_prev button p, .st-key-tour_next button p { font-size: 1.35rem !important; font-weight: 700; }
</style>
"""


def presenter_on() -> bool:
    """Whether this session presents: the toggle's value, first seeded from `?present=1`."""
    if _STATE_KEY not in st.session_state:
        st.session_state[_STATE_KEY] = presenting()
    return st.session_state[_STATE_KEY]


def presenter_mode() -> None:
    """The toggle (in the sidebar, or on top of the page while presenting, since the sidebar is hidden
    then) and, when on, the projector style; keeps `?present=1` in the URL for a copied link."""
    def flipped() -> None:
        st.session_state[_STATE_KEY] = st.session_state[_SWITCH_KEY]

    st.session_state[_SWITCH_KEY] = presenter_on()
    where = st if presenter_on() else st.sidebar
    where.toggle(t("Presenter mode"), key=_SWITCH_KEY, on_change=flipped,
                 help=t("Large type and high contrast for a projector; the sidebar and Streamlit's toolbar hidden"))
    if presenter_on():
        st.html(STYLE)
        st.query_params["present"] = "1"
    else:
        st.query_params.pop("present", None)
