"""Inspect: a network's layers, parameters and compute, counted on the meta device in an instant.

`/Inspect?model=resnet50` (or `?node=resnet`) deep-links to a model.
"""

import streamlit as st

from models.analysis import AnalysisError
from ui import inspect_views as views
from ui import lesson
from ui.device import device_choice
from ui.i18n import t, tr
from ui.link_settings import follow_link, link_tabs, mirror
from ui.model_picker import model_picker
from ui.navigation import sidebar_navigation
from ui.units import COMPUTE_UNITS
from ui.weights_views import weights_table

st.set_page_config(page_title=t("Inspect") + " · " + t("Lineage Explorer"), page_icon=":material/biotech:", layout="wide",
                   initial_sidebar_state="expanded")  # the controls live there: open, even from the tree
sidebar_navigation()
spec = model_picker("inspect_model")
link = views.link_settings(spec)
follow_link(link)
settings_box = lesson.place("settings", st.sidebar)
engine = settings_box.radio(t("Counting engine"), ["torch", "fvcore"], key="inspect_engine", horizontal=True,
                          help=t("torch: FlopCounterMode on the meta device (instant). fvcore: a traced CPU forward."))
unit = settings_box.radio(t("Compute unit"), COMPUTE_UNITS, key="inspect_unit", horizontal=True,
                        help=t("1 multiply-accumulate (MAC) = 2 floating-point operations (FLOPs)"))
size = None
if spec.input_size:
    size = settings_box.number_input(t("Input size (pixels)"), min_value=1, max_value=views.MAX_INPUT_SIZE, value=spec.input_size,
                                   step=1, key=f"inspect_size_{spec.id}")
device = device_choice("inspect_device")
mirror(link)

st.title(spec.name)
link_box = st.container()  # filled last, when every setting is in the URL
st.page_link("app.py", label=t("Back to the family tree"), icon=":material/account_tree:", query_params={"node": spec.node})
try:
    analysis = views.analyse_with_notice(spec, size, engine)
except AnalysisError as error:
    st.error(tr(error))
    st.stop()

views.headline(spec, analysis, unit)
if spec.kind == "image":
    st.page_link("pages/2_Predict.py", label=t("Predict with {name}", name=spec.name), icon=":material/image_search:", query_params={"model": spec.id})
layers_tab, charts_tab, parents_tab, weights_tab, build_tab = link_tabs(
    [t("Layers"), t("Charts"), t("Compared with parents"), t("Weights"), t("Build")], views.TABS, "inspect_tab")
with layers_tab:
    views.layer_table(analysis, unit)
with charts_tab:
    views.charts(analysis, unit)
with parents_tab:
    views.parent_comparison(spec, analysis, unit)
with weights_tab:
    weights_table(spec)
with build_tab:
    views.build_section(spec, device)
lesson.copy_link(link_box, ["picker", "settings"])
