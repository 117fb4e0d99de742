"""The lineage graph, its layout and its figures, computed once per server and shared."""

from __future__ import annotations

import networkx as nx
import plotly.graph_objects as go
import streamlit as st

from lineage import load_lineage
from lineage.export import export
from lineage.figure import tree_figure
from lineage.layout import Layout
from lineage.layout_store import stored_layout


@st.cache_resource(show_spinner=False)
def lineage_graph() -> nx.DiGraph:
    """The validated lineage graph (read-only: every session shares it)."""
    return load_lineage()


@st.cache_resource(show_spinner=False)
def lineage_layout() -> Layout:
    """Positions of every node; deterministic, so computing it once is enough (and a fresh server
    reads it from the stored layout when that was made from the same inputs)."""
    return stored_layout(lineage_graph())


@st.cache_resource(show_spinner=False, max_entries=128)
def lineage_figure(
    highlight_nodes: frozenset[str], highlight_edges: frozenset[tuple[str, str]], selected: str | None,
    revision: int = 0, lang: str = "en",
) -> go.Figure:
    """The tree figure for one highlight/selection state in one language; shared, so never mutate it."""
    return tree_figure(lineage_graph(), lineage_layout(), highlight_nodes, highlight_edges, selected, revision, lang)


@st.cache_resource(show_spinner=False)
def lineage_export(fmt: str) -> str:
    """The tree in an export format, made once for the download buttons."""
    return export(lineage_graph(), fmt)
