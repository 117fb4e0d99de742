"""Tour: a lesson's walk through the tree, one step at a time, with ← / → and a link to every step.

`/Tour` lists the tours; `/Tour?tour=imagenet&step=4` opens a step; `/Tour?from=lenet&to=shufflenet`
walks the line of descent between two networks; `&present=1` turns on presenter mode.
"""

import streamlit as st

from ui import lesson
from ui import tour_views as views
from ui.i18n import language, t
from ui.lineage_cache import lineage_graph
from ui.navigation import sidebar_navigation

st.set_page_config(page_title=t("Tour") + " · " + t("Lineage Explorer"), page_icon=":material/school:", layout="wide")
sidebar_navigation()
graph = lineage_graph()
tour = views.tour_from_url(graph)
number = views.step_from_url(tour) if tour is not None else None
if tour is None:
    views.chooser(graph)
elif number is None:
    views.outline(graph, tour)
else:
    step = tour.steps[number - 1]
    views.step_header(graph, tour, number)
    story, numbers = st.columns(2, gap="large")  # what changed beside the numbers: one screen on a projector
    with story:
        views.step_story(graph, step)
    from ui import tour_handout, tour_models  # torch loads here, once the light sections are on screen

    with numbers:
        tour_models.step_numbers(step)
    tour_models.step_experiment(step)
    tour_models.step_sample(step)
    views.outline(graph, tour, number)
    tour_handout.handout_button(graph, tour, language())
lesson.copy_link(st.container(), [])  # at the foot: the step's own link is in the address bar
