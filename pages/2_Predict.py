"""Predict: live predictions on your images with honest weights and where the network looked;
LeNet-5 reading digits offline; the same image across a line of descent.

`/Predict?model=resnet18` (or `?node=resnet`) deep-links to a model.
"""

import weakref

import streamlit as st

from models.prediction.loading import default_choice, load_for_prediction
from models.registry import digit_model
from ui import lesson
from ui import predict_views as views
from ui import strip_views as strip
from ui.device import device_choice
from ui.i18n import t, tr
from ui.link_settings import follow_link, link_tabs, mirror
from ui.model_picker import model_picker
from ui.navigation import sidebar_navigation
from ui.weights_cache_view import weights_cache_section

# Its main controls sit in the tab (views.weights_choice): the sidebar may stay closed, and must on a phone.
st.set_page_config(page_title=t("Predict") + " · " + t("Lineage Explorer"), page_icon=":material/image_search:", layout="wide")
sidebar_navigation()
spec = model_picker("predict_model")
link = views.link_settings(spec)
follow_link(link)
device = device_choice("predict_device")
st.title(t("Predict with {name}", name=spec.name))
link_box = st.container()  # filled last, when every setting is in the URL
st.page_link("app.py", label=t("Back to the family tree"), icon=":material/account_tree:", query_params={"node": spec.node})
st.page_link("pages/1_Inspect.py", label=t("Inspect {name}", name=spec.name), icon=":material/biotech:", query_params={"model": spec.id})

weights_cache_section()
built = None  # the model of the first tab (its weights or checkpoint), which the strip reuses
photos_tab, digits_tab, strip_tab = link_tabs([t("Your images"), t("Digits (LeNet-5, offline)"), t("Lineage strip")], views.TABS,
                                              "predict_tab")

with photos_tab:
    if spec.kind != "image":
        st.warning(t("{name} is not an image model: pick an image model in the sidebar.", name=spec.name))
    else:
        weights_box, topk_box, cam_box = st.columns([2, 1, 1])  # in the tab: seen at once, and only with it
        choice = views.weights_choice(spec, weights_box)
        topk = lesson.place("settings", topk_box).slider(t("Top-k"), views.TOPK_LOW, views.TOPK_HIGH, views.TOPK_DEFAULT,
                                                         key="predict_topk")
        cam_method = views.cam_choice(lesson.place("settings", cam_box))
        built, warning = views.load_model(spec, device, choice)
        if built is not None:
            views.weights_banner(built, warning)
            st.caption(t("Preprocessing: {description}", description=tr(built.preprocess.description)))
            views.images_and_answers(weakref.ref(built), topk, cam_method, st.session_state.get(views.SAMPLE))

with digits_tab:
    st.markdown(t("LeNet-5, the root of the tree, trained here on scikit-learn's handwritten digits "
                  "(`python -m models.train_lenet`). Dark ink on paper or light on dark, a photo or a drawing."))
    reader = digit_model()
    digit_built, digit_warning = load_for_prediction(reader, "cpu", default_choice(reader))
    digit = views.digit_input()
    if digit is not None:
        views.digit_reading(digit_built, digit_warning, digit)
    else:
        st.info(t("Draw a digit, upload a picture of one or try the sample to see what LeNet-5 reads."))

with strip_tab:
    strip.lineage_strip(spec, device, built)
mirror(link)
lesson.copy_link(link_box, ["picker", "weights", "upload", "settings"], note=views.checkpoint_note())
