"""Detail panels of the home page: a network, an edge, a path. Pure rendering, no state."""

from __future__ import annotations

from collections.abc import Callable

import networkx as nx
import streamlit as st

from lineage.localized import localized, tag_text
from lineage.queries import LineagePath, children, parents, readable_source
from models.node_index import (default_model_for_node, has_experiment, models_for_node,  # no torch: fast first paint
                               with_parents)
from ui.i18n import language, t, tr


def node_panel(graph: nx.DiGraph, node_id: str, go_to: Callable[[str], None]) -> None:
    """Summary, paper, innovations, parents and children of one network, in few elements (each
    element costs the browser time on every click); `go_to(node)` opens a parent or child."""
    node, lang = graph.nodes[node_id], language()
    family = localized(graph.graph["families"][node["family"]], "label", lang)
    st.subheader(f"{node['name']} ({node['year']})")
    st.caption(family)
    st.markdown(localized(node, "summary", lang))
    st.markdown(
        t("**Paper:** [{title}]({url})", title=node["title"], url=node["url"]) + f"  \n{node['authors']}  \n"
        + t("*{venue}*, first appeared {year}", venue=node["venue"], year=node["year"]) + "\n\n"
        + t("**Innovations:** ") + " · ".join(f"{localized(i, 'name', lang)} :gray[({tag_text(graph, i['tag'], lang)[0]})]"
                                              for i in node["innovations"])
    )
    model = default_model_for_node(node_id)
    if model is not None:
        st.page_link("pages/1_Inspect.py", label=t("Inspect {name}", name=model.name), help=t("layers, parameters, compute"),
                     icon=":material/biotech:", query_params={"model": model.id})
        st.page_link("pages/4_Compare.py", label=t("Compare {name} with…", name=model.name), icon=":material/compare_arrows:",
                     query_params={"models": with_parents(graph, node_id)})
    if model is not None and model.kind == "image":
        st.page_link("pages/2_Predict.py", label=t("Predict with {name}", name=model.name), icon=":material/image_search:",
                     help=t("its predictions on your images, and where it looked"), query_params={"model": model.id})
        st.page_link("pages/5_Inside.py", label=t("Inside {name}", name=model.name), help=t("what each layer and channel sees"),
                     icon=":material/grid_view:", query_params={"model": model.id})
    st.caption(t("Models of this network: {models}",
                 models=", ".join(m.name for m in models_for_node(node_id)) or t("none yet")))
    tested = [p for p in graph.predecessors(node_id) if has_experiment(p, node_id)]
    if tested:
        st.page_link("pages/3_Experiments.py", label=t("Test this claim: {parent} → {child}", parent=graph.nodes[tested[0]]["name"], child=node["name"]),
                     icon=":material/science:", query_params={"from": tested[0], "to": node_id})
    st.markdown(_edge_list(graph, t("Parents"), parents(graph, node_id), "source", t("No parent in this tree."))
                + "\n\n" + _edge_list(graph, t("Children"), children(graph, node_id), "target",
                                       t("No child in this tree (yet).")))
    relatives = [e["source"] for e in parents(graph, node_id)] + [e["target"] for e in children(graph, node_id)]
    network_buttons(graph, relatives, go_to, f"relative_{node_id}")


def network_buttons(graph: nx.DiGraph, node_ids: list[str], go_to: Callable[[str], None], key: str) -> None:
    """One small button per network that opens its panel: the way on from a panel, never a dead end."""
    if not node_ids:
        return
    with st.container(horizontal=True):
        st.caption(t("Go to:"))
        for node in node_ids:
            st.button(graph.nodes[node]["name"], key=f"{key}_{node}", on_click=go_to, args=(node,), type="tertiary",
                      icon=":material/arrow_forward:")


def _edge_list(graph: nx.DiGraph, title: str, edges: list[dict], end: str, empty: str) -> str:
    if not edges:
        return f"**{title}:** :gray[{empty}]"
    lang = language()
    return f"**{title}**\n" + "\n".join(
        f"- **{graph.nodes[e[end]]['name']}** — *{localized(e, 'innovation', lang)}*: {localized(e, 'explanation', lang)}"
        for e in edges)


def edge_panel(graph: nx.DiGraph, source: str, target: str, go_to: Callable[[str], None], key: str = "edge") -> None:
    """What the child introduced over its parent, why it mattered, where that is from, and the way
    to either network (`go_to`)."""
    edge, lang = graph.edges[source, target], language()
    st.subheader(f"{graph.nodes[source]['name']} → {graph.nodes[target]['name']}")
    st.markdown(t("**Innovation:** {innovation}", innovation=localized(edge, "innovation", lang))
                + f" :gray[({tag_text(graph, edge['tag'], lang)[0]})]\n\n{localized(edge, 'explanation', lang)}")
    kind = graph.graph["edge_kinds"][edge["kind"]]
    spine = t(" · part of the original lineage drawing") if edge["spine"] else ""
    st.caption(t("**Kind of link: {label}** — {description}", label=localized(kind, "label", lang),
                 description=localized(kind, "description", lang)) + "  \n"
               + t("Source: {source}", source=tr(readable_source(edge["evidence"]))) + spine)
    network_buttons(graph, [source, target], go_to, key)
    if has_experiment(source, target):
        st.page_link("pages/3_Experiments.py", label=t("Test this claim"), icon=":material/science:",
                     query_params={"from": source, "to": target})


def path_panel(graph: nx.DiGraph, path: LineagePath) -> None:
    """The chain between two networks and the innovation of each step, or why there is none."""
    name, lang = {n: graph.nodes[n]["name"] for n in graph.nodes}, language()
    if not path.found:
        shared = t(" Both descend from **{ancestor}**.", ancestor=name[path.common_ancestor]) if path.common_ancestor else ""
        st.warning(t("No line of descent connects {start} and {end}.", start=name[path.start], end=name[path.end])
                   + shared)
        return
    if path.nodes[0] != path.start:
        st.caption(t("{start} descends from {end}, so the path is shown oldest first: from {end} to {start}.",
                     start=name[path.start], end=name[path.end]))
    edge = lambda step: graph.edges[step.source, step.target]  # noqa: E731
    st.markdown(t("**Path:** ") + " → ".join(name[n] for n in path.nodes) + "\n\n" + "\n".join(
        f"{number}. **{name[step.source]} → {name[step.target]}**: *{localized(edge(step), 'innovation', lang)}* — "
        f"{localized(edge(step), 'explanation', lang)}"
        for number, step in enumerate(path.steps, start=1)))
    st.page_link("pages/6_Tour.py", label=t("Make a tour from this path"), icon=":material/school:",
                 query_params={"from": path.start, "to": path.end})
