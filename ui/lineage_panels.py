"""Detail panels of the home page: a network, an edge, a path. Pure rendering, no state."""

from __future__ import annotations

import networkx as nx
import streamlit as st

from lineage.queries import LineagePath, children, parents
from models.node_index import default_model_for_node, models_for_node  # no torch: fast first paint


def node_panel(graph: nx.DiGraph, node_id: str) -> None:
    """Summary, paper, innovations, parents and children of one network, in few elements (each
    element costs the browser time on every click)."""
    node = graph.nodes[node_id]
    family = graph.graph["families"][node["family"]]["label"]
    st.subheader(f"{node['name']} ({node['year']})")
    st.caption(f"{family} · `{node_id}`")
    st.markdown(node["summary"])
    st.markdown(
        f"**Paper:** [{node['title']}]({node['url']})  \n{node['authors']}  \n"
        f"*{node['venue']}*, first appeared {node['year']}\n\n"
        "**Innovations:** " + " · ".join(f"{i['name']} :gray[({i['tag']})]" for i in node["innovations"])
    )
    model = default_model_for_node(node_id)
    if model is not None:
        st.page_link("pages/1_Inspect.py", label=f"Inspect {model.name}: layers, parameters, compute",
                     icon=":material/biotech:", query_params={"model": model.id})
    if model is not None and model.kind == "image":
        st.page_link("pages/2_Predict.py", label=f"Predict with {model.name}", icon=":material/image_search:",
                     query_params={"model": model.id})
    st.caption("Models of this network: " + (", ".join(m.name for m in models_for_node(node_id)) or "none yet"))
    st.markdown(_edge_list(graph, "Parents", parents(graph, node_id), "source", "No parent in this tree.") + "\n\n"
                + _edge_list(graph, "Children", children(graph, node_id), "target", "No child in this tree (yet)."))


def _edge_list(graph: nx.DiGraph, title: str, edges: list[dict], end: str, empty: str) -> str:
    if not edges:
        return f"**{title}:** :gray[{empty}]"
    return f"**{title}**\n" + "\n".join(
        f"- **{graph.nodes[e[end]]['name']}** — *{e['innovation']}*: {e['explanation']}" for e in edges)


def edge_panel(graph: nx.DiGraph, source: str, target: str) -> None:
    """What the child introduced over its parent, why it mattered, and where that is from."""
    edge = graph.edges[source, target]
    st.subheader(f"{graph.nodes[source]['name']} → {graph.nodes[target]['name']}")
    st.markdown(f"**Innovation:** {edge['innovation']} :gray[({edge['tag']})]\n\n{edge['explanation']}")
    spine = " · part of the original lineage drawing" if edge["spine"] else ""
    st.caption(f"Source: {edge['evidence']}{spine}")


def path_panel(graph: nx.DiGraph, path: LineagePath) -> None:
    """The chain between two networks and the innovation of each step, or why there is none."""
    name = {n: graph.nodes[n]["name"] for n in graph.nodes}
    if not path.found:
        shared = f" Both descend from **{name[path.common_ancestor]}**." if path.common_ancestor else ""
        st.warning(f"No line of descent connects {name[path.start]} and {name[path.end]}.{shared}")
        return
    st.markdown("**Path:** " + " → ".join(name[n] for n in path.nodes) + "\n\n" + "\n".join(
        f"{number}. **{name[step.source]} → {name[step.target]}**: *{step.innovation}* — {step.explanation}"
        for number, step in enumerate(path.steps, start=1)))
