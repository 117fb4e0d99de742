"""The home page's state: what is selected, kept in session state and mirrored in the URL.

The URL is read when a session starts (so a shared link restores the view) and written after
every change, in one update (so the address bar is always a link to what the user sees, and each
change is one entry in the browser's history). Streamlit pushes a history entry for a changed
query string and, on Back or Forward, reruns the page with that entry's URL: when the URL then
differs from what this page last wrote, it is read again, so Back returns to the previous selection.

A click on the tree is shown in the browser alone (plotly draws the clicked point selected and
`ui.tree_lighting` lights its edges), so the figure sent stays the same and only the details panel
changes: that is what keeps a click fast. `figure_selection` decides when the figure must carry
the selection instead.
"""

from __future__ import annotations

from collections.abc import Hashable

import networkx as nx
import streamlit as st

from lineage.figure import EDGE_KEY_SEPARATOR, edge_key, parse_edge_key
from lineage.queries import UnknownNodeError, matching_id
from ui.i18n import t, tr

SELECTED_NODE = "selected_node"
SELECTED_EDGE = "selected_edge"
NODE_PICKER = "node_picker"
EDGE_PICKER = "edge_picker"
PATH_FROM = "path_from"
PATH_TO = "path_to"
HIGHLIGHT_TAG = "highlight_tag"
SEARCH = "search"
URL_ERRORS = "url_errors"
CHART = "tree_chart"
HOME_TAB = "home_tab"  # Family tree, Timeline or Innovations (?tab=)
_URL_READ = "_home_url_read"
_URL_WRITTEN = "_home_url_written"  # this page's own params as `write_url` last put them in the URL
_FIGURE_SHOWN = "_home_figure_shown"  # (highlight key, selection drawn in the figure, revision)
_BROWSER_SELECTION = "_home_browser_selection"  # what a click made plotly show since, if any
_NOT_CLICKED = "not clicked"
_URL_KEYS = {"node": SELECTED_NODE, "from": PATH_FROM, "to": PATH_TO, "tag": HIGHLIGHT_TAG}
EDGE_PARAM = "edge"  # ?edge=vgg>resnet: a selected edge, shared like a node
SEARCH_PARAM = "q"  # ?q=residual: the search box's text (any text is a search)


def select_node(node_id: str | None) -> None:
    """Make a node the selection; clears any selected edge (and the link's errors: the user acted)."""
    st.session_state[SELECTED_NODE] = node_id
    st.session_state[SELECTED_EDGE] = None
    st.session_state[URL_ERRORS] = []


def select_edge(source: str, target: str) -> None:
    """Make an edge the selection (and clear the link's errors: the user acted)."""
    st.session_state[SELECTED_EDGE] = (source, target)
    st.session_state[URL_ERRORS] = []


def on_highlight_change() -> None:
    """A highlight chosen while a path is shown replaces the path, so what was asked for is drawn."""
    if st.session_state.get(HIGHLIGHT_TAG):
        st.session_state[PATH_FROM] = st.session_state[PATH_TO] = None
    st.session_state[URL_ERRORS] = []


def on_path_change() -> None:
    """A path being chosen replaces a highlight (one emphasis at a time)."""
    st.session_state[HIGHLIGHT_TAG] = None
    st.session_state[URL_ERRORS] = []


def on_picker_change() -> None:
    """The "go to" picker chose a node: select it, then empty the picker for the next jump."""
    if st.session_state[NODE_PICKER]:
        select_node(st.session_state[NODE_PICKER])
        st.session_state[NODE_PICKER] = None


def on_edge_picker_change() -> None:
    """The innovations list chose an edge: the tree selects it too."""
    if st.session_state[EDGE_PICKER]:
        select_edge(*st.session_state[EDGE_PICKER])


def on_chart_select() -> None:
    """A click on the tree: node markers carry a node id, edge midpoints 'source>target'; a click
    on empty space (plotly clears its selection) clears ours too."""
    points = st.session_state[CHART]["selection"]["points"]
    key = points[0].get("customdata") if points else None
    key = key[0] if isinstance(key, list) else key
    key = key if isinstance(key, str) else None
    if key is None:
        select_node(None)
    elif EDGE_KEY_SEPARATOR in key:
        select_edge(*parse_edge_key(key))
    else:
        select_node(key)
    st.session_state[_BROWSER_SELECTION] = key


def selection_key() -> str | None:
    """The selection as the figure names it: an edge key when an edge is selected, else a node id."""
    if st.session_state.get(SELECTED_EDGE):
        return edge_key(*st.session_state[SELECTED_EDGE])
    return st.session_state.get(SELECTED_NODE)


def figure_selection(highlight: Hashable) -> tuple[str | None, int]:
    """(selection to draw in the figure, revision) for the tree with this highlight.

    After a click the browser already shows the selection, so the last figure is kept as it is.
    Otherwise the figure carries the selection; when that figure equals the one the browser has
    but a click has since selected something else there, the revision changes so it redraws.
    """
    wanted = selection_key()
    shown = st.session_state.get(_FIGURE_SHOWN)
    clicked = st.session_state.get(_BROWSER_SELECTION, _NOT_CLICKED)
    revision = shown[2] if shown else 0
    if shown and shown[0] == highlight:
        visible = shown[1] if clicked == _NOT_CLICKED else clicked
        if visible == wanted:
            return shown[1], revision
        if wanted == shown[1]:  # the same figure again would not make the browser redraw
            revision += 1
    st.session_state[_FIGURE_SHOWN] = (highlight, wanted, revision)
    st.session_state[_BROWSER_SELECTION] = _NOT_CLICKED
    return wanted, revision


def _url_params() -> dict[str, str]:
    """This page's own params as the URL has them now (others, such as `?lang=`, left out)."""
    return {param: st.query_params[param] for param in (*_URL_KEYS, EDGE_PARAM, SEARCH_PARAM)
            if st.query_params.get(param)}


def follow_browser_history() -> None:
    """After Back or Forward the URL is no longer the one this page wrote: forget the selection,
    path, highlight and search so that `read_url_once` restores the history entry's view from the URL."""
    written = st.session_state.get(_URL_WRITTEN)
    if written is None or _url_params() == written:
        return
    select_node(None)
    for key in (PATH_FROM, PATH_TO, HIGHLIGHT_TAG):
        st.session_state[key] = None
    st.session_state[SEARCH] = ""
    st.session_state[_URL_READ] = False


def read_url_once(graph: nx.DiGraph) -> None:
    """On a session's first run, restore node/path/tag from the query string, noting bad ids."""
    if st.session_state.get(_URL_READ):
        return
    st.session_state[_URL_READ] = True
    errors = []
    for param, key in _URL_KEYS.items():
        value = st.query_params.get(param)
        if not value:
            continue
        valid = graph.graph["tags"] if param == "tag" else graph
        value = matching_id(value, valid)
        if value not in valid:
            what = t("Unknown innovation tag '{tag}'.", tag=value) if param == "tag" else tr(UnknownNodeError(value, graph))
            errors.append(t("The link asked for `{param}={value}`: {what}", param=param, value=value, what=what))
        elif param == "node":
            select_node(value)
        else:
            st.session_state[key] = value
    if (edge := st.query_params.get(EDGE_PARAM)) is not None:
        source, target = (matching_id(end, graph) for end in parse_edge_key(edge))
        if graph.has_edge(source, target):
            select_edge(source, target)
        else:
            errors.append(t("The link asked for `{param}={value}`: no such edge in the tree (write it as "
                            "parent{separator}child, e.g. vgg{separator}resnet).", param=EDGE_PARAM, value=edge,
                            separator=EDGE_KEY_SEPARATOR))
    if query := st.query_params.get(SEARCH_PARAM):
        st.session_state[SEARCH] = query
    st.session_state[URL_ERRORS] = errors


def write_url() -> None:
    """Mirror the current selection (node or edge), path, tag and search into the query string, in one
    update (each set or delete would push its own history entry), leaving other params as they are."""
    edge = st.session_state.get(SELECTED_EDGE)
    values = {param: st.session_state.get(key) for param, key in _URL_KEYS.items()}
    values[EDGE_PARAM] = edge_key(*edge) if edge else None
    values[SEARCH_PARAM] = st.session_state.get(SEARCH)
    own = {param: value for param, value in values.items() if value}
    if own != _url_params():
        others = {param: st.query_params.get_all(param) for param in st.query_params if param not in values}
        st.query_params.from_dict({**others, **own})
    st.session_state[_URL_WRITTEN] = own
