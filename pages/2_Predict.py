"""Predict: live predictions on your images with honest weights and where the network looked;
LeNet-5 reading digits offline; the same image across a line of descent.

`/Predict?model=resnet18` (or `?node=resnet`) deep-links to a model.
"""

import streamlit as st

from lineage.queries import ancestors, chronological, path_between
from models.loading import default_choice, load_for_prediction
from models.registry import default_model_for_node, digit_model
from ui import predict_views as views
from ui.device import device_choice
from ui.lineage_cache import lineage_graph
from ui.model_picker import model_picker
from ui.weights_cache_view import weights_cache_section

st.set_page_config(page_title="Predict · Lineage Explorer", page_icon=":material/image_search:", layout="wide")
spec = model_picker("predict_model")
device = device_choice("predict_device")
st.title(f"Predict with {spec.name}")
st.page_link("app.py", label="Back to the family tree", icon=":material/account_tree:", query_params={"node": spec.node})
st.page_link("pages/1_Inspect.py", label=f"Inspect {spec.name}", icon=":material/biotech:", query_params={"model": spec.id})

weights_cache_section()
photos_tab, digits_tab, strip_tab = st.tabs(["Your images", "Digits (LeNet-5, offline)", "Lineage strip"])

with photos_tab:
    if spec.kind != "image":
        st.warning(f"{spec.name} is not an image model: pick an image model in the sidebar.")
    else:
        choice = views.weights_choice(spec)
        topk = st.sidebar.slider("Top-k", 1, 10, 5, key="predict_topk")
        cam_method = views.cam_choice()
        built, warning = views.load_model(spec, device, choice)
        if built is not None:
            views.weights_banner(built, warning)
            st.caption(f"Preprocessing: {built.preprocess.description}")
            images = views.collect_images()
            if images:
                views.result_rows(built, images, topk, cam_method)
            else:
                st.info("Upload images, take a photo or pick a sample to see predictions.")

with digits_tab:
    st.markdown("LeNet-5, the root of the tree, trained here on scikit-learn's handwritten digits "
                "(`python -m models.train_lenet`). Dark ink on paper or light on dark, a photo or a drawing.")
    reader = digit_model()
    digit_built, digit_warning = load_for_prediction(reader, "cpu", default_choice(reader))
    digit = views.digit_input()
    if digit is not None:
        views.digit_reading(digit_built, digit_warning, digit)
    else:
        st.info("Draw a digit, upload a picture of one or try the sample to see what LeNet-5 reads.")

with strip_tab:
    graph = lineage_graph()
    st.markdown("The same image through each generation of a line of descent: top-5 and where each looked.")
    mode = st.radio("Line", ["ancestors of this model's network", "path between two networks"], horizontal=True,
                    key="strip_mode")
    if mode.startswith("ancestors"):
        chain = [*ancestors(graph, spec.node), spec.node]
    else:
        ids = list(graph.nodes)
        start = st.selectbox("From", ids, index=ids.index(chronological(graph, ids)[0]), key="strip_from",
                             format_func=lambda n: graph.nodes[n]["name"])
        end = st.selectbox("To", ids, index=ids.index(spec.node), key="strip_to",
                           format_func=lambda n: graph.nodes[n]["name"])
        chain = list(path_between(graph, start, end).nodes)
        if not chain:
            st.warning("No line of descent connects these two networks.")
    specs = [default_model_for_node(n) for n in chain]
    left_out = [s.name for s in specs if s.digits]
    specs = [s for s in specs if s.kind == "image" and not s.digits]
    st.caption("Models: " + " → ".join(s.name for s in specs)
               + "".join(f" ({name} reads digits only; it is left out)" for name in left_out))
    sample = st.selectbox("Image", ["chelsea", "coffee", "rocket", "astronaut"], key="strip_image")
    if specs and st.button("Run the strip", key="strip_run"):
        from models.samples import sample_image

        image = sample_image(sample)
        cam_method = st.session_state.get("predict_cam", "Grad-CAM")
        for row_start in range(0, len(specs), 4):
            for column, strip_spec in zip(st.columns(4), specs[row_start: row_start + 4]):
                with column:
                    views.strip_column(strip_spec, device, image, cam_method)
