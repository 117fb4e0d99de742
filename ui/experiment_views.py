"""The Experiments page's sections: the edge picker, the claim beside the paper's number, the
settings, the run (inline when measured, queued and streamed when trained) and the verdict."""

from __future__ import annotations

import networkx as nx
import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from plotly.subplots import make_subplots

from models.experiments import EXPERIMENTS, ExperimentResult, cached_result, run_experiment, submit
from models.experiments.runner import find_job
from models.experiments.base import Experiment
from models.jobs import HEAVY_WORK, Job, QueueFullError
from lineage.localized import localized
from ui import lesson, units
from ui.i18n import language, t, tr
from ui.link_settings import LinkSetting, number

POLL_SECONDS = 1.0


def edge_label(graph: nx.DiGraph, edge: tuple[str, str]) -> str:
    """'VGG → ResNet: residual' for the picker."""
    source, target = edge
    return (f"{graph.nodes[source]['name']} → {graph.nodes[target]['name']}: "
            f"{localized(graph.edges[edge], 'innovation', language())}")


def pick_edge(graph: nx.DiGraph) -> tuple[str, str] | None:
    """The edge from ?from=&to= (one st.error when it has no experiment), else the picker's choice;
    the URL follows the picker so the page can be shared."""
    edges = list(EXPERIMENTS)
    asked = (st.query_params.get("from"), st.query_params.get("to"))
    if all(asked) and asked not in EXPERIMENTS:
        known = graph.has_edge(*asked)
        st.error(t("The edge {source} → {target} has no experiment yet.", source=asked[0], target=asked[1]) if known
                 else t("The tree has no edge {source} → {target}.", source=asked[0], target=asked[1]))
    index = edges.index(asked) if asked in EXPERIMENTS else 0
    labels = {e: edge_label(graph, e) for e in edges}  # made in this run: a test reads them as shown
    edge = lesson.place("picker").selectbox(t("Edge of the tree"), edges, index=index, format_func=labels.__getitem__,
                                            key=f"experiment_edge_{index}")
    st.query_params.update({"from": edge[0], "to": edge[1]})
    return edge


def claim(graph: nx.DiGraph, experiment: Experiment) -> None:
    """The title, the edge's claim, and the paper's own statement with its number and place."""
    st.subheader(t(experiment.title))
    left, right = st.columns(2)
    left.markdown(t("**Claim:** {claim}", claim=t(experiment.claim))
                  + f"\n\n*{localized(graph.edges[experiment.edge], 'explanation', language())}*")
    paper = experiment.paper
    right.markdown(t("**The paper:** {statement}.", statement=t(paper.statement))
                   + f"\n\n**{t(paper.number)}** — {t(paper.where)}")
    kind = t("measured: counted, no training") if experiment.kind == "measured" else t("trained from scratch on the digits")
    st.caption(t("Kind: {kind} · metric: {metric}", kind=kind, metric=t(experiment.metric))
               + (f" · {t(experiment.caveat)}" if experiment.caveat else ""))


def setting_key(experiment: Experiment, name: str) -> str:
    """A setting's widget key: per edge, so each edge keeps its own."""
    return f"experiment_{'-'.join(experiment.edge)}_{name}"


def link_settings(experiment: Experiment) -> list[LinkSetting]:
    """The experiment's settings as `?<name>=<value>` beside `?from=&to=`, e.g. `&steps=200`."""
    return [LinkSetting(s.name, setting_key(experiment, s.name), int(s.default) if s.integer else float(s.default),
                        number(s.minimum, s.maximum, s.integer), text=lambda value: f"{value:g}")
            for s in experiment.settings]


def forget_other_settings(experiment: Experiment) -> None:
    """Drop from the URL the settings of other edges' experiments that this one does not have."""
    own = {s.name for s in experiment.settings}
    for other in EXPERIMENTS.values():
        for setting in other.settings:
            if setting.name not in own:
                st.query_params.pop(setting.name, None)


def settings_form(experiment: Experiment) -> dict[str, float]:
    """One number input per setting, within its bounds (keyed by edge, so each edge keeps its own)."""
    columns = lesson.place("settings").columns(len(experiment.settings))
    values = {}
    for column, setting in zip(columns, experiment.settings):
        kind = int if setting.integer else float
        values[setting.name] = column.number_input(
            t(setting.label), min_value=kind(setting.minimum), max_value=kind(setting.maximum), value=kind(setting.default),
            step=kind(1) if setting.integer else None, format=None if setting.integer else "%g",
            help=t(setting.help) if setting.help else None,
            key=setting_key(experiment, setting.name))
    return values


def run_measured(experiment: Experiment, settings: dict[str, float]) -> ExperimentResult | None:
    """A measured experiment runs in this session (seconds), cached on disk."""
    try:
        with st.spinner(t("Counting…")):
            return run_experiment(*experiment.edge, settings)
    except ValueError as error:
        st.error(tr(error))
        return None


def start_trained(experiment: Experiment, settings: dict[str, float]) -> Job | None:
    """Queue a trained run (identical runs share one job); one st.error if the line is full."""
    try:
        return submit(*experiment.edge, settings)
    except (QueueFullError, ValueError) as error:
        st.error(tr(error))
        return None


def job_for(experiment: Experiment, settings: dict[str, float]) -> Job | None:
    """The queued, running or finished job for these settings, if someone started it."""
    return find_job(*experiment.edge, settings)


@st.fragment(run_every=POLL_SECONDS)
def live_job(job: Job) -> None:
    """The place in line, then the curve as it trains; when the job ends, the whole page reruns."""
    if job.finished:
        st.rerun(scope="app")
    position = HEAVY_WORK.position(job)
    if position:
        st.info(t("Waiting in line: position {position}. Runs go one at a time on this server; the rest of the "
                  "app keeps working.", position=position))
    else:
        points = job.progress()
        st.info(t("Training… {count} curve points so far.", count=len(points)))
        if points:
            st.plotly_chart(curve_figure(points), key="experiment_live_curve")


def curve_figure(points: list[dict]) -> go.Figure:
    """Training loss and test accuracy against step, one line per variant."""
    figure = make_subplots(rows=1, cols=2, subplot_titles=(t("training loss (mini-batch mean)"), t("test accuracy")))
    names = list(dict.fromkeys(p["variant"] for p in points))
    for index, name in enumerate(names):
        mine = [p for p in points if p["variant"] == name]
        color = f"hsl({index * 360 // max(len(names), 1)}, 65%, 45%)"
        steps = [p["step"] for p in mine]
        figure.add_trace(go.Scatter(x=steps, y=[p["train_loss"] for p in mine], name=tr(name), mode="lines+markers",
                                    line={"color": color}, legendgroup=name), row=1, col=1)
        figure.add_trace(go.Scatter(x=steps, y=[p["test_accuracy"] for p in mine], name=tr(name), mode="lines+markers",
                                    line={"color": color}, legendgroup=name, showlegend=False), row=1, col=2)
    figure.update_xaxes(title_text=t("step"))
    figure.update_layout(height=360, margin={"t": 40, "b": 10}, legend={"orientation": "h", "y": -0.25})
    return figure


def result_view(result: ExperimentResult) -> None:
    """The verdict beside the paper's number, the variants side by side, the curves of a trained run."""
    left, right = st.columns([3, 2])
    experiment = EXPERIMENTS[result.edge]  # its words in this language, judged again from the run's own figures
    verdict = experiment.judge(result.figures).words if language() != "en" else result.verdict
    (left.success if result.supports_claim else left.warning)(
        t("**Verdict (computed from this run):** {verdict}", verdict=tr(verdict)))
    right.markdown(t("**The paper:** {number}", number=t(result.paper["number"])) + f"  \n:gray[{t(result.paper['where'])}]")
    if result.timing_words:
        timing = experiment.describe_timings(result.timings) if language() != "en" else result.timing_words
        st.caption(tr(timing))
    st.dataframe(variants_table(result), hide_index=True, width="stretch")
    if result.kind == "trained":
        points = [{"variant": v.name, **p} for v in result.variants for p in v.curve]
        st.plotly_chart(curve_figure(points), key="experiment_result_curve")
    labels = {setting.name: t(setting.label) for setting in experiment.settings}
    settings = ", ".join(f"{labels.get(k, k)} {v:g}" for k, v in result.settings.items())
    st.caption(t("Read from the cache; the run took {seconds:.1f} s · settings {settings}", seconds=result.seconds,
                 settings=settings) if result.cached
               else t("Ran in {seconds:.1f} s · settings {settings}", seconds=result.seconds, settings=settings))


def variants_table(result: ExperimentResult) -> pd.DataFrame:
    """One row per variant: with or without the innovation, parameters, MACs and its own metrics."""
    rows = []
    for v in result.variants:
        row = {t("variant"): tr(v.name), t("innovation"): t("with") if v.with_innovation else t("without"),
               t("parameters"): units.count_text(v.params),
               "MACs": units.count_text(v.macs) if v.macs is not None else "–"}
        if v.test_accuracy is not None:
            row[t("final training loss")] = t("diverged") if v.final_train_loss is None else f"{v.final_train_loss:.4f}"
            row[t("test accuracy")] = f"{v.test_accuracy:.1%}"
        row.update({t(name.replace("_", " ")): f"{value:g}" for name, value in v.metrics.items()})
        rows.append(row)
    return pd.DataFrame(rows)


def cached(experiment: Experiment, settings: dict[str, float]) -> ExperimentResult | None:
    """A result already on disk for these settings (the defaults appear at once after a first run)."""
    try:
        return cached_result(*experiment.edge, settings)
    except ValueError:
        return None
