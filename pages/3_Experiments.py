"""Experiments: test an edge's claim live — measured in seconds or trained in under a minute.

`/Experiments?from=vgg&to=resnet` deep-links to an edge's experiment.
"""

import streamlit as st

from models.experiments import EXPERIMENTS
from ui import experiment_views as views
from ui import lesson
from ui.i18n import t, tr
from ui.link_settings import follow_link, mirror
from ui.lineage_cache import lineage_graph
from ui.navigation import sidebar_navigation

st.set_page_config(page_title=t("Experiments") + " · " + t("Lineage Explorer"), page_icon=":material/science:", layout="wide")
sidebar_navigation()
graph = lineage_graph()
st.title(t("Test the claim"))
link_box = st.container()  # filled once the edge and settings are in the URL
edge = views.pick_edge(graph)
experiment = EXPERIMENTS[edge]
st.page_link("app.py", label=t("Back to the family tree"), icon=":material/account_tree:", query_params={"node": edge[1]})
views.claim(graph, experiment)
link = views.link_settings(experiment)
follow_link(link)
settings = views.settings_form(experiment)
views.forget_other_settings(experiment)
mirror(link)
lesson.copy_link(link_box, ["picker", "settings"])
pressed = st.button(t("Run"), type="primary", icon=":material/play_arrow:", key="experiment_run")

if experiment.kind == "measured":
    result = views.run_measured(experiment, settings) if pressed else views.cached(experiment, settings)
    job = None
else:
    job = views.start_trained(experiment, settings) if pressed else views.job_for(experiment, settings)
    result = views.cached(experiment, settings) if job is None else None
if job is not None and job.state == "failed":
    st.error(t("The run failed: {error}", error=tr(job.error)))
elif job is not None and not job.finished:
    views.live_job(job)
elif job is not None or result is not None:
    views.result_view(job.result if job is not None else result)
else:
    st.caption(t("Press **Run** to count the variants.") if experiment.kind == "measured"
               else t("Press **Run** to train the variants; the curves appear as they train."))
