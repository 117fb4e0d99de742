"""Lineage Explorer, home page: the family tree of image-classification networks.

Click a network or an edge to read about it, highlight a kind of innovation, trace the path
between two networks, or download the whole tree. `?node=`, `?from=&to=` and `?tag=` deep-link.
"""

import streamlit as st

from lineage.localized import tag_text
from lineage.queries import chronological, edges_by_tag, nodes_by_tag, path_between, search
from ui import home_state as state
from ui import lesson
from ui.home_lists import innovations_list, timeline_list
from ui.i18n import language, t
from ui.lineage_cache import lineage_export, lineage_figure, lineage_graph
from ui.lineage_panels import edge_panel, node_panel, path_panel
from ui.link_settings import link_tabs
from ui.narrow import TREE_SHARE, scrollable_when_narrow
from ui.navigation import sidebar_navigation
from ui.sticky import sticky_column
from ui.tree_lighting import light_clicked_edges

st.set_page_config(page_title=t("Lineage Explorer"), page_icon=":material/account_tree:", layout="wide",
                   initial_sidebar_state="collapsed")
sidebar_navigation()
lang = language()
graph = lineage_graph()
state.follow_browser_history()
state.read_url_once(graph)
ids = chronological(graph, graph.nodes)
label = lambda n: f"{graph.nodes[n]['name']} ({graph.nodes[n]['year']})"  # noqa: E731

st.title(t("Lineage Explorer"))
st.caption(t("The networks that shaped image classification, who begat whom, and what each step changed. "
             "Click a network or an edge's ◆ marker; columns are the years the papers first appeared."))

go_to, find, highlight, path_box, download_box = lesson.place("toolbar").columns([3, 3, 3, 2, 2], vertical_alignment="bottom")
go_to.selectbox(t("Go to a network"), ids, index=None, format_func=label, key=state.NODE_PICKER,
                on_change=state.on_picker_change, placeholder=t("Type a name…"))
query = find.text_input(t("Search names, papers, innovations"), placeholder=t("e.g. residual, Szegedy"), key="search")
highlight.selectbox(t("Highlight an innovation type"), list(graph.graph["tags"]), index=None,
                    key=state.HIGHLIGHT_TAG, placeholder=t("none"), on_change=state.on_highlight_change,
                    format_func=lambda tag: "{} — {}".format(*tag_text(graph, tag, lang)))
with path_box.popover(t("Path"), icon=":material/route:", width="stretch",
                      help=t("Highlight the line of descent between two networks")):
    st.selectbox(t("From"), ids, index=None, format_func=label, key=state.PATH_FROM, placeholder=t("e.g. LeNet"),
                 on_change=state.on_path_change)
    st.selectbox(t("To"), ids, index=None, format_func=label, key=state.PATH_TO, placeholder=t("e.g. ShuffleNet"),
                 on_change=state.on_path_change)
with download_box.popover(t("Download"), icon=":material/download:", width="stretch",
                          help=t("The whole tree as JSON, Mermaid or GraphML")):
    for fmt, title, file_name, mime in (("json", "JSON", "lineage.json", "application/json"),
                                        ("mermaid", "Mermaid", "lineage.mmd", "text/plain"),
                                        ("graphml", "GraphML", "lineage.graphml", "application/xml")):
        st.download_button(title, lineage_export(fmt), file_name=file_name, mime=mime, on_click="ignore")
hits = search(graph, query) if query else []
if query:
    with st.container(horizontal=True):
        for hit in hits:
            st.button(label(hit), key=f"search_{hit}", on_click=state.select_node, args=(hit,))
        if not hits:
            st.caption(t("No network matches."))

for message in st.session_state.get(state.URL_ERRORS, []):
    st.error(message)

path = None
highlight_nodes, highlight_edges = frozenset(), frozenset()
if st.session_state.get(state.PATH_FROM) and st.session_state.get(state.PATH_TO):
    path = path_between(graph, st.session_state[state.PATH_FROM], st.session_state[state.PATH_TO])
    highlight_nodes = frozenset(path.nodes)
    highlight_edges = frozenset((s.source, s.target) for s in path.steps)
    if st.session_state.get(state.HIGHLIGHT_TAG):  # both came in one link: say which one is drawn
        st.caption(t("The path is drawn; the highlight **{tag}** applies once the path is cleared.",
                     tag=tag_text(graph, st.session_state[state.HIGHLIGHT_TAG], lang)[0]))
elif st.session_state.get(state.HIGHLIGHT_TAG):
    tag = st.session_state[state.HIGHLIGHT_TAG]
    highlight_nodes, highlight_edges = frozenset(nodes_by_tag(graph, tag)), frozenset(edges_by_tag(graph, tag))
    st.info(f"**{tag_text(graph, tag, lang)[0]}**: " + ", ".join(graph.nodes[n]["name"] for n in nodes_by_tag(graph, tag)))
elif hits:  # the search's hits light up in the tree too
    highlight_nodes = frozenset(hits)


@st.fragment
def tree_and_details() -> None:
    """The tree beside the details of what is selected. A click reruns only this part."""
    tree, details = st.columns([TREE_SHARE, 1 - TREE_SHARE])  # the tree's ~40 networks fit at 1280 px
    with tree, scrollable_when_narrow("tree"):
        selected, revision = state.figure_selection((highlight_nodes, highlight_edges))
        st.plotly_chart(lineage_figure(highlight_nodes, highlight_edges, selected, revision, lang), key=state.CHART,
                        on_select=state.on_chart_select, selection_mode="points",
                        config={"displayModeBar": False, "scrollZoom": False})
    with details, sticky_column("details"):
        if path is not None:
            path_panel(graph, path)
        if st.session_state.get(state.SELECTED_EDGE):
            edge_panel(graph, *st.session_state[state.SELECTED_EDGE], state.select_node)
        if st.session_state.get(state.SELECTED_NODE):
            node_panel(graph, st.session_state[state.SELECTED_NODE], state.select_node)
        elif path is None and not st.session_state.get(state.SELECTED_EDGE):
            st.info(t("Click a network in the tree, or go to one above, to see its paper and innovations."))
    state.write_url()
    lesson.copy_link(details, ["toolbar"])


tree_tab, timeline_tab, innovations_tab = link_tabs([t("Family tree"), t("Timeline"), t("Innovations")],
                                                   ["tree", "timeline", "innovations"], key=state.HOME_TAB)
with tree_tab:
    tree_and_details()
for tab, draw in ((timeline_tab, timeline_list), (innovations_tab, innovations_list)):
    if tab.open:  # only the open list is drawn: the tree's first paint does not wait for hidden tables
        with tab:
            draw(graph, lang)
light_clicked_edges("tree")  # once per page, outside the fragment: a click's rerun does not send it again
