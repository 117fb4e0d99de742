"""The home page's state: what is selected, kept in session state and mirrored in the URL.

The URL is read once when a session starts (so a shared link restores the view) and written
after every change (so the address bar is always a link to what the user sees).
"""

from __future__ import annotations

import networkx as nx
import streamlit as st

from lineage.figure import EDGE_KEY_SEPARATOR, parse_edge_key
from lineage.queries import UnknownNodeError

SELECTED_NODE = "selected_node"
SELECTED_EDGE = "selected_edge"
NODE_PICKER = "node_picker"
PATH_FROM = "path_from"
PATH_TO = "path_to"
HIGHLIGHT_TAG = "highlight_tag"
URL_ERRORS = "url_errors"
CHART = "tree_chart"
_URL_READ = "_home_url_read"
_URL_KEYS = {"node": SELECTED_NODE, "from": PATH_FROM, "to": PATH_TO, "tag": HIGHLIGHT_TAG}


def select_node(node_id: str | None) -> None:
    """Make a node the selection (and the picker's value); clears any selected edge."""
    st.session_state[SELECTED_NODE] = node_id
    st.session_state[NODE_PICKER] = node_id
    st.session_state[SELECTED_EDGE] = None


def select_edge(source: str, target: str) -> None:
    """Make an edge the selection."""
    st.session_state[SELECTED_EDGE] = (source, target)


def on_picker_change() -> None:
    """The sidebar picker chose a node."""
    select_node(st.session_state[NODE_PICKER])


def on_chart_select() -> None:
    """A click on the tree: node markers carry a node id, edge midpoints 'source>target'."""
    points = st.session_state[CHART]["selection"]["points"]
    if not points:
        return
    key = points[0].get("customdata")
    key = key[0] if isinstance(key, list) else key
    if not isinstance(key, str):
        return
    if EDGE_KEY_SEPARATOR in key:
        select_edge(*parse_edge_key(key))
    else:
        select_node(key)


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
        if value not in valid:
            what = f"Unknown innovation tag '{value}'." if param == "tag" else str(UnknownNodeError(value, graph))
            errors.append(f"The link asked for `{param}={value}`: {what}")
        elif param == "node":
            select_node(value)
        else:
            st.session_state[key] = value
    st.session_state[URL_ERRORS] = errors


def write_url() -> None:
    """Mirror the current selection, path and tag into the query string."""
    for param, key in _URL_KEYS.items():
        value = st.session_state.get(key)
        if value:
            st.query_params[param] = value
        elif param in st.query_params:
            del st.query_params[param]
