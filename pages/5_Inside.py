"""Inside: what each layer and channel of a network makes of an image — the most active channels
of a stage, one channel over the image, the first layer's filters, the inputs that excite a
channel, and a transformer's attention.

`/Inside?model=alexnet&layer=features.3` deep-links to a model and a layer.
"""

import streamlit as st

from ui import inside_views as views
from ui import lesson
from ui.i18n import t
from ui.link_settings import follow_link, link_tabs, mirror
from ui.model_picker import model_picker
from ui.navigation import sidebar_navigation
from ui.predict_views import checkpoint_note

st.set_page_config(page_title=t("Inside") + " · " + t("Lineage Explorer"), page_icon=":material/grid_view:", layout="wide",
                   initial_sidebar_state="expanded")  # its weights and layer controls live there
sidebar_navigation()
spec = model_picker("inside_model")
st.title(t("Inside {name}", name=spec.name))
link_box = st.container()  # filled last, when every setting is in the URL
st.page_link("app.py", label=t("Back to the family tree"), icon=":material/account_tree:", query_params={"node": spec.node})
st.page_link("pages/1_Inspect.py", label=t("Inspect {name}", name=spec.name), icon=":material/biotech:", query_params={"model": spec.id})
if spec.kind != "image":
    st.warning(t("{name} is not an image model: it has no maps of an image. Pick an image model in the sidebar.",
                 name=spec.name))
    st.stop()

link = views.link_settings(spec)
follow_link(link)
weights = views.weights_choice(spec)
offered, layer = views.layer_choice(spec)
count = lesson.place("settings", st.sidebar).slider(t("Channels shown"), views.COUNT_LOW, views.COUNT_HIGH, views.COUNT_DEFAULT,
                                                    step=views.COUNT_STEP, key="inside_count")
built, warning = views.load_model(spec, weights)
if built is None:
    st.stop()
views.weights_banner(built, warning)

maps_tab, filters_tab = link_tabs([t("Layer maps"), t("First-layer filters")], views.TABS, "inside_tab")
with maps_tab:
    image = views.image_input(spec)
    if image is None:
        st.info(t("Draw a digit, upload an image or pick a sample to see what each layer makes of it."))
    elif (maps := views.layer_maps(built, weights, image, offered, layer, count)) is not None:
        channel = views.enlarged(built, weights, image[1], maps, count)
        st.subheader(t("What excites this channel"))
        views.exciting(built, weights, offered, layer, channel)
        views.attention(built, weights, image[1])
with filters_tab:
    views.filters(built)
mirror(link)
lesson.copy_link(link_box, ["picker", "weights", "upload", "settings"], note=checkpoint_note())
