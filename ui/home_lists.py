"""The home page's two lists, each drawn only while its tab is open: every network in order of
appearance, and every edge's innovation with a picker that explains one and selects it in the tree."""

from __future__ import annotations

import networkx as nx
import streamlit as st

from lineage.localized import localized, tag_text
from lineage.queries import innovations_table, timeline
from ui import home_state as state
from ui.i18n import t, tr
from ui.lineage_panels import edge_panel


def data_table(rows: list[dict], columns: dict[str, str]) -> None:
    """A list of rows as a table with these columns ({key: heading}), in that order."""
    import pandas as pd  # here, not at the top: the tree paints without pandas (issue 12's first paint)

    st.dataframe(pd.DataFrame(rows)[list(columns)].rename(columns=columns), hide_index=True, width="stretch")


def timeline_list(graph: nx.DiGraph, lang: str) -> None:
    """Every network in order of appearance: year, name, headline innovation, venue, first author."""
    data_table(timeline(graph, lang), {"year": t("year"), "name": t("name"), "innovation": t("innovation"),
                                       "venue": t("venue"), "first_author": t("first author")})


def innovations_list(graph: nx.DiGraph, lang: str) -> None:
    """Every edge's innovation, with a picker that explains one and selects it in the tree."""
    st.selectbox(t("Pick an innovation (an edge of the tree)"), list(graph.edges), index=None,
                 key=state.EDGE_PICKER, on_change=state.on_edge_picker_change, placeholder=t("e.g. VGG → ResNet"),
                 format_func=lambda e: f"{graph.nodes[e[0]]['name']} → {graph.nodes[e[1]]['name']}: "
                                       f"{localized(graph.edges[e], 'innovation', lang)}")
    if st.session_state.get(state.EDGE_PICKER):  # its own pick: a click in the tree reruns only the tree
        edge_panel(graph, *st.session_state[state.EDGE_PICKER], state.select_node, key="picked_edge")
    innovations = [{**row, "tag": tag_text(graph, row["tag"], lang)[0], "source": tr(row["source"])}
                   for row in innovations_table(graph, lang)]
    data_table(innovations, {"year": t("year"), "parent": t("parent"), "child": t("child"),
                             "innovation": t("innovation"), "tag": t("tag"), "source": t("source")})
