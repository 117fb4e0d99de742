"""The Predict page's lineage strip: one image through each generation of a line of descent."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st
from PIL import Image

from lineage.queries import ancestors, chronological, generations, path_between
from models.prediction.images import ImageInputError, load_image
from models.registry import ModelSpec, default_model_for_node
from models.runtime import BuiltModel
from models.prediction.samples import SAMPLES, sample_image
from ui.i18n import t
from ui.lineage_cache import lineage_graph
from ui.predict_views import strip_column

COLUMNS = 4


def lineage_strip(spec: ModelSpec, device: str, page_model: BuiltModel | None) -> None:
    """Pick a line (this network's ancestors, or a path) and an image, then run every generation's
    model on it: this page's own model (with its weights or checkpoint) for its network, the
    default model for the others; models that read no photos (LeNet-5's digits) are left out."""
    graph = lineage_graph()
    st.markdown(t("The same image through each generation of a line of descent: top-5 and where each looked."))
    modes = {"ancestors": t("ancestors of this model's network"), "path": t("path between two networks")}
    mode = st.radio(t("Line"), list(modes), format_func=modes.get, horizontal=True, key="strip_mode")
    if mode == "ancestors":
        nodes = [*ancestors(graph, spec.node), spec.node]
    else:
        ids = chronological(graph, graph.nodes)
        start = st.selectbox(t("From"), ids, key="strip_from", format_func=lambda n: graph.nodes[n]["name"])
        end = st.selectbox(t("To"), ids, index=ids.index(spec.node), key="strip_to",
                           format_func=lambda n: graph.nodes[n]["name"])
        nodes = list(path_between(graph, start, end).nodes)
        if not nodes:
            st.warning(t("No line of descent connects these two networks."))
    model_of = {n: spec if n == spec.node else default_model_for_node(n) for n in nodes}  # B3 stays B3
    rows = [[model_of[n] for n in generation if reads_photos(model_of[n])] for generation in generations(graph, nodes)]
    rows = [row for row in rows if row]
    left_out = [model_of[n].name for n in nodes if not reads_photos(model_of[n])]
    st.caption(t("Generations: {rows}", rows=" → ".join(" | ".join(m.name for m in row) for row in rows))
               + (t(" (left out, it reads no photos: {names})", names=", ".join(left_out)) if left_out else ""))
    images = strip_images()
    choice = st.selectbox(t("Image"), list(images), key="strip_image")
    if rows and st.button(t("Run the strip"), key="strip_run"):
        image = images[choice]()
        cam_method = st.session_state.get("predict_cam", "Grad-CAM")
        for number, row in enumerate(rows, start=1):
            st.markdown(t("**Generation {number}**", number=number))
            for start in range(0, len(row), COLUMNS):
                for column, strip_spec in zip(st.columns(COLUMNS), row[start: start + COLUMNS]):
                    with column:
                        own = page_model if page_model is not None and strip_spec == spec else None
                        strip_column(strip_spec, device, image, cam_method, own)


def reads_photos(spec: ModelSpec) -> bool:
    """Whether a model classifies photos (not token sequences, not digits)."""
    return spec.kind == "image" and not spec.digits


def strip_images() -> dict[str, Callable[[], Image.Image]]:
    """The user's uploads from the first tab, then the sample photos: name → loader."""
    images: dict[str, Callable[[], Image.Image]] = {}
    for upload in st.session_state.get("predict_uploads") or []:
        try:
            loaded = load_image(upload.getvalue(), upload.name)
        except ImageInputError:
            continue  # the first tab already said why
        images[t("your image: {name}", name=upload.name)] = lambda loaded=loaded: loaded
    images.update({t("sample: {name}", name=t(name)): lambda name=name: sample_image(name) for name in SAMPLES})
    return images
