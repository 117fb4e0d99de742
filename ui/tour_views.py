"""The Tour page's light sections (no torch): which tour and step the URL asks for, the chooser,
the step's headline with ← / → and its counter, what the edge changed and where that is from, and
the outline with a deep link to every step. The URL is the page's state: ← / → rewrite `?step=`."""

from __future__ import annotations

import networkx as nx
import streamlit as st

from lineage.localized import localized
from lineage.queries import UnknownNodeError, chronological, matching_id, readable_source
from lineage.tours import NoLineError, Tour, TourStep, UnknownTourError, bundled_tours, get_tour, path_tour
from ui.i18n import language, t, tr
from ui.presenter import NAV_KEYS

PAGE = "pages/6_Tour.py"
PATH_FROM, PATH_TO = "tour_path_from", "tour_path_to"


def tour_from_url(graph: nx.DiGraph) -> Tour | None:
    """The tour `?tour=` names, or the path tour of `?from=&to=`; None (after one clear message for
    a bad link) when there is none to show."""
    params = st.query_params
    try:
        if "tour" in params:
            tours = bundled_tours()
            return get_tour(tours, matching_id(params["tour"], tours))
        if "from" in params or "to" in params:
            if not (params.get("from") and params.get("to")):
                st.error(t("A path tour needs both ends: /Tour?from=lenet&to=shufflenet."))
                return None
            start, end = (matching_id(params[k], graph) for k in ("from", "to"))
            return path_tour(graph, start, end)
    except UnknownTourError as error:
        st.error(t("The link asks for a tour this app does not have: {error}", error=error))
    except UnknownNodeError as error:
        st.error(t("The link asks for a path tour with an unknown network: {error}", error=error))
    except NoLineError as error:
        st.error(no_line_text(error))
    return None


def no_line_text(error: NoLineError) -> str:
    """Why a path tour cannot be made, in the session's language."""
    if error.start == error.end:
        return t("No tour from {a} to {b}: they are the same network.", a=error.start, b=error.end)
    shared = t(" Both descend from {c}.", c=error.ancestor) if error.ancestor else ""
    return t("No tour from {a} to {b}: no line of descent connects them.", a=error.start, b=error.end) + shared


def step_from_url(tour: Tour) -> int | None:
    """The 1-based `?step=` (1 when absent); None, after one clear message, when it is not a step."""
    asked = st.query_params.get("step", "1")
    count = len(tour.steps)
    if not asked.strip().isdigit():
        st.error(t("The link's step '{asked}' is not a number: choose a step from 1 to {count}.", asked=asked,
                   count=count))
        return None
    if not 1 <= int(asked) <= count:
        st.error(t("The link asks for step {asked}, but “{title}” has {count} steps (1 to {count}).", asked=int(asked),
                   title=tour.title(language()), count=count))
        return None
    return int(asked)


def _go_to(number: int) -> None:
    st.query_params["step"] = str(number)


def step_link(tour: Tour, number: int) -> str:
    """The relative deep link to a step, e.g. `/Tour?tour=imagenet&step=4`."""
    query = "&".join(f"{k}={v}" for k, v in {**tour.query, "step": number}.items())
    return f"/Tour?{query}"


def step_header(graph: nx.DiGraph, tour: Tour, number: int) -> None:
    """The tour's title, ← / → (buttons and arrow keys) around 'step N of M', and the step's headline."""
    lang, count = language(), len(tour.steps)
    st.caption(tour.title(lang))
    back, counter, forward = st.columns(3, vertical_alignment="center")
    back.button(t("Previous"), key=NAV_KEYS[0], icon=":material/arrow_back:", shortcut="Left", width="stretch",
                disabled=number == 1, on_click=_go_to, args=(number - 1,))
    with counter.container(key="tour_counter"):
        st.markdown(f"<div style='text-align:center;font-size:1.4rem;font-weight:700'>"
                    f"{t('Step {n} of {m}', n=number, m=count)}</div>", unsafe_allow_html=True)
    forward.button(t("Next"), key=NAV_KEYS[1], icon=":material/arrow_forward:", shortcut="Right", width="stretch",
                   disabled=number == count, on_click=_go_to, args=(number + 1,), type="primary")
    with st.container(key="tour_headline"):
        st.header(headline(graph, tour.steps[number - 1]), anchor=False)


def headline(graph: nx.DiGraph, step: TourStep) -> str:
    """'VGG → ResNet', or a network's name for a step that visits one network."""
    name = graph.nodes[step.target]["name"]
    return f"{graph.nodes[step.source]['name']} → {name}" if step.edge else name


def step_story(graph: nx.DiGraph, step: TourStep) -> None:
    """The teacher's note, then what the child introduced, why it mattered, and the source of the claim."""
    lang = language()
    if step.note(lang):
        st.info(step.note(lang))
    if step.edge is None:
        node = graph.nodes[step.target]
        st.markdown(localized(node, "summary", lang))
        st.caption(f"[{node['title']}]({node['url']}) · {node['authors']} · {node['venue']} {node['year']}")
        return
    edge, child = graph.edges[step.edge], graph.nodes[step.target]
    kind = localized(graph.graph["edge_kinds"][edge["kind"]], "label", lang)
    st.markdown(f"**{t('Innovation')}:** {localized(edge, 'innovation', lang)}\n\n{localized(edge, 'explanation', lang)}")
    st.caption(f"{t('Source')}: {tr(readable_source(edge['evidence']))} · {t('kind of link')}: {kind}  \n"
               f"{t('Paper')}: [{child['title']}]({child['url']}) · {child['first_author']} · {child['year']}")


def outline(graph: nx.DiGraph, tour: Tour, current: int | None = None) -> None:
    """Every step of the tour as a deep link (the current one in bold)."""
    with st.expander(t("All steps of this tour"), expanded=current is None):
        for number, step in enumerate(tour.steps, start=1):
            label = f"{number}. {headline(graph, step)}"
            st.page_link(PAGE, label=f"**{label}**" if number == current else label,
                         query_params={**tour.query, "step": str(number)})
        if current is not None:
            st.caption(t("Link to this step: {link}", link=f"`{step_link(tour, current)}`"))


def chooser(graph: nx.DiGraph) -> None:
    """The shipped tours, each with its steps' networks and a start link; and a tour from any path."""
    lang = language()
    st.title(t("Tours"))
    st.caption(t("A lesson's walk through the tree, one edge per step: what changed, the numbers, the experiment."))
    for tour in bundled_tours().values():
        with st.container(border=True):
            st.subheader(tour.title(lang), anchor=False)
            st.markdown(tour.intro(lang))
            st.caption(t("{n} steps", n=len(tour.steps)) + ": "
                       + " → ".join(graph.nodes[n]["name"] for n in tour.nodes()))
            st.page_link(PAGE, label=t("Start the tour"), icon=":material/play_arrow:",
                         query_params={"tour": tour.id, "step": "1"})
    path_chooser(graph)


def path_chooser(graph: nx.DiGraph) -> None:
    """Two networks, then a link to the tour along the line of descent between them."""
    st.subheader(t("Make a tour from a path"), anchor=False)
    ids = chronological(graph, graph.nodes)
    name = lambda n: graph.nodes[n]["name"]  # noqa: E731
    left, right = st.columns(2)
    start = left.selectbox(t("From"), ids, index=None, key=PATH_FROM, format_func=name,
                           placeholder=t("e.g. {name}", name="LeNet"))
    end = right.selectbox(t("To"), ids, index=None, key=PATH_TO, format_func=name,
                          placeholder=t("e.g. {name}", name="ShuffleNet"))
    if start and end:
        try:
            tour = path_tour(graph, start, end)
        except NoLineError as error:
            st.warning(no_line_text(error))
            return
        st.page_link(PAGE, label=t("Start the tour {title} ({n} steps)", title=tour.title(language()),
                                   n=len(tour.steps)), icon=":material/play_arrow:",
                     query_params={**tour.query, "step": "1"})
