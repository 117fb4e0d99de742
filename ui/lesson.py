"""Lesson links: the flags a teacher adds to a link so a class sees only the demo, and the widget
that copies a link to exactly what is on screen.

`?present=1` turns on presenter mode; `?hide=sidebar,weights` hides the named controls (`CONTROLS`).
Both are read once per session from the first page's URL and kept in the session, so they survive
page changes. A hidden control is still there, only not shown: it keeps the value the link gave it.
Each page mirrors its state into the query string (see ui/link_settings.py); the copy-link widget
turns that query string, plus the controls the teacher ticks, into the link.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from urllib.parse import urlencode, urlsplit

import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.errors import StreamlitDuplicateElementKey
from streamlit.runtime.scriptrunner import get_script_run_ctx

from ui.i18n import DEFAULT as DEFAULT_LANGUAGE, language, t

_PRESENT_KEY, _HIDE_KEY = "lesson_present", "lesson_hide"
HIDE_PARAM = "hide"
_CONTAINER = "lesson_hidden_{}"  # prefix of the keyed containers a hidden control is drawn in (…_weights_0, …)
_HIDE_BOX = "lesson_link_hide"  # + page + control: the copy-link widget's tick boxes
_SIDEBAR_CSS = ('[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], '
                '[data-testid="stExpandSidebarButton"], [data-testid="stSidebarCollapseButton"]')

# Every control a link can hide (`&hide=a,b`), English text for the copy-link widget's list.
CONTROLS = {
    "sidebar": "the whole sidebar (page list, pickers and settings in it)",
    "toolbar": "the tree's toolbar: go to, search, highlight, path, download",
    "picker": "the model, models or edge picker",
    "weights": "the weights choice",
    "upload": "image and digit uploads and the camera",
    "settings": "the page's settings (engine, unit, size, device, top-k, CAM, layer, channels, an experiment's numbers)",
    "link": "this copy-link button",
}


def presenting() -> bool:
    """Whether presenter mode is on (`?present=1`)."""
    if _PRESENT_KEY not in st.session_state:
        st.session_state[_PRESENT_KEY] = st.query_params.get("present") in ("1", "true")
    return st.session_state[_PRESENT_KEY]


def hidden(control: str) -> bool:
    """Whether the link asked to hide `control` (`?hide=sidebar,weights`)."""
    return control in _asked_hidden()


def _asked_hidden() -> frozenset[str]:
    """The names in the session's first `?hide=`."""
    if _HIDE_KEY not in st.session_state:
        asked = st.query_params.get(HIDE_PARAM, "")
        st.session_state[_HIDE_KEY] = frozenset(part.strip() for part in asked.split(",") if part.strip())
    return st.session_state[_HIDE_KEY]


def place(control: str, where: DeltaGenerator | None = None) -> DeltaGenerator:
    """Where to draw `control`'s widgets: `where` (default: the page), or, when the link hides it, a
    container inside it that is not shown (its widgets still run, so they keep the link's values)."""
    where = where if where is not None else st
    if not hidden(control):
        return where
    for number in itertools.count():  # one control may sit in several places: _0, _1, … (same order each run)
        try:
            return where.container(key=f"{_CONTAINER.format(control)}_{number}")
        except StreamlitDuplicateElementKey:
            continue


def apply_hiding() -> None:
    """Once per page run: hide the containers of the hidden controls (and the sidebar) from view, and
    name any control the link asked for that does not exist."""
    asked = _asked_hidden()
    if unknown := sorted(asked - CONTROLS.keys()):
        st.warning(t("The link asks to hide {unknown}, which this app does not have; it can hide {known}.",
                     unknown=", ".join(unknown), known=", ".join(CONTROLS)))
    rules = [f'[class*="st-key-{_CONTAINER.format(c)}_"]' for c in sorted(asked & CONTROLS.keys())]
    if "sidebar" in asked:
        rules.append(_SIDEBAR_CSS)
    if rules:
        st.html(f"<style>{', '.join(rules)} {{display: none !important;}}</style>")


def link_url(params: Mapping[str, str], hide: Iterable[str] = ()) -> str:
    """The link to this page with `params` (and `hide=`): absolute when the browser told the server its
    address (`st.context.url`), else relative to the server's root (`/Inspect?…`)."""
    query = {k: v for k, v in params.items() if k != HIDE_PARAM and v not in (None, "")}
    if hide := [c for c in CONTROLS if c in set(hide)]:
        query[HIDE_PARAM] = ",".join(hide)
    base = st.context.url or f"/{page_path()}"
    base += "" if urlsplit(base).path else "/"  # the home page: http://host:8501/?node=…
    return base + (f"?{urlencode(query, safe=':,>')}" if query else "")


def page_path() -> str:
    """The current page's path under the server's root ('' for the home page, 'Inspect', …)."""
    ctx = get_script_run_ctx()
    if ctx is None:
        return ""
    page = ctx.pages_manager.get_pages().get(ctx.pages_manager.current_page_script_hash, {})
    return page.get("url_pathname", "")


def copy_link(where: DeltaGenerator, controls: Iterable[str], note: str | None = None) -> None:
    """The "Copy link to this view" popover in `where`: tick which of the page's `controls` (and the
    sidebar, and itself) the class should not see, copy the link from its code box (it has a copy icon).
    Call it after the page has mirrored its state into the URL; `note`: what the link cannot carry."""
    offered = ["sidebar", *(c for c in controls if c != "sidebar"), "link"]
    box = place("link", where).popover(t("Copy link to this view"), icon=":material/link:")
    box.markdown(t("**Hide in the link**"),
                 help=t("A hidden control keeps the value the link gives it; the class only does not see it."))
    chosen = [c for c in offered if box.checkbox(f"`{c}` — {t(CONTROLS[c])}", value=hidden(c),
                                                 key=f"{_HIDE_BOX}_{page_path()}_{c}")]
    params = st.query_params.to_dict()  # presenter mode keeps its own `present=1` there
    if (lang := language()) != DEFAULT_LANGUAGE:
        params["lang"] = lang
    box.code(link_url(params, chosen), language=None, wrap_lines=True)
    box.caption(t("Opens exactly this view on any server running the app, even one started afresh."))
    if note:
        box.caption(note)
