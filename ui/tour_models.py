"""The Tour page's model-backed sections (they import torch, so the page imports them after its light
sections are drawn): the parent → child numbers from the comparison table, the edge's experiment
(from the cache at once, or Run), and the same sample photo through both networks."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from lineage.tours import TourStep
from models.compare.table import NONE_PUBLISHED, CompareRow
from models.experiments import EXPERIMENTS
from models.node_index import default_model_for_node as light_default_model
from models.prediction.samples import SAMPLES, sample_image
from models.registry import default_model_for_node
from models.runtime import pick_device
from ui import experiment_views as experiments
from ui import units
from ui.compare_views import rows_for
from ui.i18n import language, t, translate
from ui.predict_views import strip_column
from ui.strip_views import reads_photos

SAMPLE_ON, SAMPLE_CHOICE = "tour_sample_on", "tour_sample"
CAM_METHOD = "Grad-CAM"


def step_model_ids(step: TourStep) -> list[str]:
    """The default model of each network of the step, parent first (networks without one are skipped)."""
    models = (light_default_model(node) for node in (step.source, step.target) if node)
    return [model.id for model in models if model is not None]


def numbers_frame(rows: list[CompareRow], lang: str) -> pd.DataFrame:
    """Figures down, models across, and for a pair the change from parent to child: the comparison
    table's own counted and published numbers, formatted for a slide."""
    text = lambda english: translate(english, lang)  # noqa: E731
    figures = {
        text("parameters"): [units.count_text(r.params) for r in rows],
        text("compute"): [units.compute_text(r.macs, "GMACs") for r in rows],
        text("weight layers"): [str(r.weight_layers) for r in rows],
        text("top-1, published"): [text(NONE_PUBLISHED) if r.top1 is None else f"{r.top1:.2f}%"
                                                for r in rows],
        text("input"): [f"{r.input_size}×{r.input_size}" if r.input_size else r.input_desc for r in rows],
    }
    frame = pd.DataFrame(figures, index=[r.name for r in rows]).T
    if len(rows) == 2:
        frame[text("change")] = _changes(*rows, lang)
    return frame


def _changes(parent: CompareRow, child: CompareRow, lang: str) -> list[str]:
    def ratio(new: float, old: float) -> str:
        return "–" if not old else f"×{new / old:.2f}" if new / old < 100 else f"×{new / old:,.0f}"

    points = ("–" if parent.top1 is None or child.top1 is None
              else translate("{d:+.2f} points", lang, d=child.top1 - parent.top1))
    return [ratio(child.params, parent.params), ratio(child.macs, parent.macs),
            f"{child.weight_layers - parent.weight_layers:+d}", points, ""]


def step_numbers(step: TourStep) -> None:
    """The parent → child numbers (parameters, compute, depth, published accuracy) as a table that
    scales with presenter mode's type, and a link to the full comparison."""
    st.subheader(t("The numbers"), anchor=False)
    ids = step_model_ids(step)
    if not ids:
        st.caption(t("No model of this network is in the zoo yet."))
        return
    with st.spinner(t("Counting on the meta device…")):
        rows = rows_for(ids)
    if rows:
        with st.container(key="tour_numbers"):
            st.table(numbers_frame(rows, language()))
        st.caption(t("Counted on PyTorch's meta device: compute in multiply-accumulates (1 MAC = 2 FLOPs), weight "
                     "layers with parallel branches included; ImageNet-1k top-1 as the default weights' metadata "
                     "publishes it."))
    if len(ids) > 1:
        st.page_link("pages/4_Compare.py", label=t("Compare them in full"), icon=":material/compare_arrows:",
                     query_params={"models": ",".join(ids)})


def step_experiment(step: TourStep) -> None:
    """The edge's experiment: its result at once when the cache has one, else Run (measured runs count
    here in seconds; trained ones queue on the server's one line and stream their curves)."""
    st.subheader(t("The experiment"), anchor=False)
    if step.edge not in EXPERIMENTS:
        st.caption(t("This step has no experiment yet."))
        return
    experiment = EXPERIMENTS[step.edge]
    st.markdown(f"**{t(experiment.title)}**: {t(experiment.claim)}")
    pressed = st.button(t("Run"), type="primary", icon=":material/play_arrow:", key=f"tour_run_{'-'.join(step.edge)}")
    settings: dict[str, float] = {}  # the experiment's defaults; the Experiments page changes them
    job = None
    if experiment.kind == "measured":
        result = experiments.run_measured(experiment, settings) if pressed else experiments.cached(experiment, settings)
    else:
        job = experiments.start_trained(experiment, settings) if pressed else experiments.job_for(experiment, settings)
        result = experiments.cached(experiment, settings) if job is None else None
    if job is not None and job.state == "failed":
        st.error(t("The run failed: {error}", error=job.error))
    elif job is not None and not job.finished:
        experiments.live_job(job)
    elif job is not None or result is not None:
        experiments.result_view(job.result if job is not None else result)
    else:
        st.caption(t("No result in the cache yet: press Run."))
    st.page_link("pages/3_Experiments.py", label=t("Change its settings on the Experiments page"),
                 icon=":material/science:", query_params={"from": step.edge[0], "to": step.edge[1]})


def step_sample(step: TourStep) -> None:
    """The same sample photo through the parent and the child (their default weights, or untrained and
    labelled so offline), built only when the toggle asks for it."""
    st.subheader(t("The same photo through both networks"), anchor=False)
    if not st.toggle(t("Run the networks on a sample photo"), key=SAMPLE_ON):
        st.caption(t("Off: the networks are built only when asked (it takes a few seconds)."))
        return
    specs = [default_model_for_node(node) for node in (step.source, step.target)
             if node and light_default_model(node) is not None]
    readers = [spec for spec in specs if reads_photos(spec)]
    left_out = [spec.name for spec in specs if not reads_photos(spec)]
    if left_out:
        st.caption(t("Left out, it reads no photos: {names}", names=", ".join(left_out)))
    if not readers:
        return
    sample = st.selectbox(t("Sample photo"), list(SAMPLES), format_func=SAMPLES.get, key=SAMPLE_CHOICE)
    image, device = sample_image(sample), pick_device("auto")
    for column, spec in zip(st.columns(len(readers)), readers):
        with column:
            strip_column(spec, device, image, CAM_METHOD)
