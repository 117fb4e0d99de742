"""Lesson links: the flags a teacher adds to a link so a class sees only the demo.

`?present=1` turns on presenter mode; `?hide=sidebar,weights` hides the named controls. Both are read
once per session from the first page's URL and kept in the session, so they survive page changes.
"""

from __future__ import annotations

import streamlit as st

_PRESENT_KEY, _HIDE_KEY = "lesson_present", "lesson_hide"


def presenting() -> bool:
    """Whether presenter mode is on (`?present=1`)."""
    if _PRESENT_KEY not in st.session_state:
        st.session_state[_PRESENT_KEY] = st.query_params.get("present") in ("1", "true")
    return st.session_state[_PRESENT_KEY]


def hidden(control: str) -> bool:
    """Whether the link asked to hide `control` (`?hide=sidebar,weights`)."""
    if _HIDE_KEY not in st.session_state:
        asked = st.query_params.get("hide", "")
        st.session_state[_HIDE_KEY] = frozenset(part.strip() for part in asked.split(",") if part.strip())
    return control in st.session_state[_HIDE_KEY]
