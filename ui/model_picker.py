"""The model picker shared by the Inspect and Predict pages, synced with `?model=` / `?node=`.

A new link (the URL names a model the page has not applied yet) wins over the widget; after
that the widget wins and the URL follows it, so the address bar always links to the view.
"""

from __future__ import annotations

import streamlit as st

from lineage.queries import UnknownNodeError, chronological, matching_id
from models.registry import REGISTRY, ModelSpec, UnknownModelError, default_model_for_node, get_spec
from ui import lesson
from ui.i18n import t, tr
from ui.lineage_cache import lineage_graph

DEFAULT_MODEL = "resnet50"


def ordered_model_ids() -> list[str]:
    """Every registered model, in the order its network appeared in the tree."""
    graph = lineage_graph()
    order = {node: rank for rank, node in enumerate(chronological(graph, graph.nodes))}
    return sorted(REGISTRY, key=lambda m: (order.get(REGISTRY[m].node, len(order)), list(REGISTRY).index(m)))


def model_label(model_id: str) -> str:
    """'ResNet-50': the display name (the id a link uses stays in the URL, not in front of students)."""
    return REGISTRY[model_id].name


def _model_from_url() -> tuple[str | None, str | None]:
    """(model id named by ?model= or ?node=, error message) — either may be None."""
    if model := st.query_params.get("model"):
        try:
            return get_spec(matching_id(model, REGISTRY)).id, None
        except UnknownModelError as error:
            return None, tr(error)
    if node := st.query_params.get("node"):
        node = matching_id(node, lineage_graph())
        if node not in lineage_graph():
            return None, tr(UnknownNodeError(node, lineage_graph()))
        return default_model_for_node(node).id, None
    return None, None


def model_picker(key: str) -> ModelSpec:
    """Render the picker in the sidebar and return the chosen spec; bad links show an error."""
    url_key = f"{key}__applied_url"
    link = (st.query_params.get("model"), st.query_params.get("node"))
    if link != st.session_state.get(url_key):
        st.session_state[url_key] = link
        model, error = _model_from_url()
        if error:
            st.error(error + t(" Showing {name} instead.", name=model_label(st.session_state.get(key, DEFAULT_MODEL))))
        st.session_state[key] = model or st.session_state.get(key, DEFAULT_MODEL)
    lesson.place("picker", st.sidebar).selectbox(t("Model"), ordered_model_ids(), key=key, format_func=model_label)
    spec = get_spec(st.session_state[key])
    st.query_params["model"] = spec.id
    if "node" in st.query_params:
        del st.query_params["node"]
    st.session_state[url_key] = (spec.id, None)
    return spec
