"""The Compare page's zoo chart (accuracy against compute or measured latency, with the lineage as
arrows; a click opens the network on the home page) and its benchmark on this machine, run on the
server's shared heavy-work queue."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import streamlit as st

from models.compare.bench import BenchResult, BenchSettings, measured, submit_benchmark, untrained_note
from models.compare.zoo import ZooEdge, ZooPoint, family_label_colors, zoo_edges, zoo_figure, zoo_points
from models.jobs import HEAVY_WORK, QueueFullError
from models.registry import get_spec
from models.runtime import pick_device
from lineage.localized import localized
from ui import lesson, units
from ui.i18n import language, t, tr
from ui.device import available_devices
from ui.home_state import select_node
from ui.lineage_cache import lineage_graph
from ui.link_settings import LinkSetting, choice, flag, flag_text, mirror, number
from ui.model_picker import model_label, ordered_model_ids

ZOO_CHART = "zoo_chart"
OPEN_NODE = "zoo_open_node"
BENCH_JOBS = "bench_jobs"
X_COMPUTE, X_LATENCY = "compute", "measured latency"
MAX_BATCH = MAX_THREADS = 256
VIEWS = ["Compare", "Zoo", "Benchmark"]  # `?view=` ids of the page's tabs, in its order


@st.cache_resource(show_spinner=False)
def zoo() -> tuple[list[ZooPoint], list[ZooEdge]]:
    """Every model with published accuracy and the lineage arrows between them (shared, read-only)."""
    points = zoo_points(lineage_graph())
    return points, zoo_edges(lineage_graph(), points)


def link_settings() -> list[LinkSetting]:
    """The sidebar's compute unit and benchmark settings as `?unit=&batch=&threads=&channels_last=&amp=&compile=`
    (`?device=` is read by `bench_settings`, `?models=` by the selection)."""
    return [LinkSetting("unit", "compare_unit", units.COMPUTE_UNITS[0], choice(units.COMPUTE_UNITS)),
            LinkSetting("batch", "bench_batch", 1, number(1, MAX_BATCH)),
            LinkSetting("threads", "bench_threads", None, number(1, MAX_THREADS)),
            *(LinkSetting(name, f"bench_{name}", False, flag, flag_text) for name in ("channels_last", "amp", "compile"))]


def bench_settings() -> BenchSettings:
    """The sidebar's benchmark settings; a `?device=` this machine lacks gets one message."""
    devices = [d for d in available_devices() if d != "auto"]
    asked = st.query_params.get("device")
    if asked and asked not in devices:
        try:
            pick_device(asked)
        except ValueError as error:
            st.error(t("The link asked for device '{device}': {error} Benchmarks run on the CPU.", device=asked,
                       error=tr(error)))
    with lesson.place("settings", st.sidebar).expander(t("Benchmark settings"), expanded=False):
        device = st.selectbox(t("Device"), devices, index=devices.index(asked) if asked in devices else 0,
                              key="bench_device")
        batch = st.number_input(t("Batch"), min_value=1, max_value=MAX_BATCH, value=1, key="bench_batch")
        threads = st.number_input(t("Threads (empty: torch's default)"), min_value=1, max_value=MAX_THREADS, value=None,
                                  key="bench_threads")
        channels_last = st.checkbox("channels_last", key="bench_channels_last")
        amp = st.checkbox(t("autocast (bf16 on CPU, fp16 on CUDA)"), key="bench_amp")
        compile_ = st.checkbox(t("torch.compile (the first run compiles: minutes)"), key="bench_compile")
    mirror([LinkSetting("device", "bench_device", devices[0], choice(devices))])  # read above, with its own message
    return BenchSettings(device, int(batch), int(threads) if threads else None, channels_last, amp, compile_)


def settings_label(settings: BenchSettings) -> str:
    """'cpu, batch 1' plus whatever else is switched on."""
    extras = [name for name, on in (("channels_last", settings.channels_last), ("amp", settings.amp),
                                    ("compile", settings.compile)) if on]
    threads = [t("{count} threads", count=settings.threads)] if settings.threads else []
    return ", ".join([settings.device, t("batch {size}", size=settings.batch), *threads, *extras])


def zoo_section(highlight: list[str], unit: str, settings: BenchSettings) -> None:
    """The chart, its view (compute or latency on x), and what is not on it and why."""
    with st.spinner(t("Counting the zoo (once per server)…")):
        points, edges = zoo()
    labels = {X_COMPUTE: t("compute ({unit})", unit=unit),  # made in this run: a test reads them as shown
              X_LATENCY: t("measured latency ({settings})", settings=settings_label(settings))}
    view = st.radio(t("x axis"), list(labels), horizontal=True, key="zoo_x", format_func=labels.__getitem__)
    if view == X_COMPUTE:
        x_values, x_title = {p.id: units.compute(p.macs, unit) for p in points}, unit
    else:
        x_values = {i: r.latency_ms for i, r in measured([p.id for p in points], settings).items()}
        x_title = t("latency per batch, ms ({settings})", settings=settings_label(settings))
        if not x_values:
            st.info(t("No model has been timed with these settings yet: run some in the Benchmark tab."))
    lang = language()
    graph = lineage_graph()  # the chart names families and innovations by their English: say them in `lang`
    known = {meta["label"]: localized(meta, "label", lang) for meta in graph.graph["families"].values()}
    known.update({edge["innovation"]: localized(edge, "innovation", lang) for edge in graph.edges.values()})
    figure = zoo_figure(points, edges, x_values, x_title, frozenset(highlight), family_label_colors(graph),
                        say=lambda words: known.get(words) or t(words))
    st.plotly_chart(figure, width="stretch", key=ZOO_CHART, on_select=_open_clicked, selection_mode="points",
                    config={"displayModeBar": False})
    on_chart = {p.id for p in points}
    absent = [get_spec(i).name for i in highlight if i not in on_chart]
    st.caption(t("{count} models whose default weights publish an ImageNet-1k top-1 · marker area ∝ parameters · "
                 "colour: family · an arrow for each line of descent between networks' default models (hover it for "
                 "the innovations) · circled: the compared models · click a model to open its network in the tree.",
                 count=len([p for p in points if p.id in x_values]))
               + (t(" Not on the chart (no published accuracy): {models}.", models=", ".join(absent)) if absent else ""))
    if node := st.session_state.pop(OPEN_NODE, None):
        select_node(node)
        st.switch_page("app.py", query_params={"node": node})


def _open_clicked() -> None:
    points = st.session_state[ZOO_CHART].selection.points
    if points:
        st.session_state[OPEN_NODE] = points[0]["customdata"][0]


def bench_section(compared: list[str], settings: BenchSettings) -> None:
    """Pick models, queue their timings, follow them in line, and show what is measured."""
    chosen = st.multiselect(t("Models to time"), ordered_model_ids(), default=compared, key="bench_models",
                            format_func=model_label)
    if st.button(t("Run the benchmark ({settings})", settings=settings_label(settings)), type="primary",
                 disabled=not chosen):
        try:
            st.session_state[BENCH_JOBS] = [(model_id, submit_benchmark(model_id, settings)) for model_id in chosen]
        except (QueueFullError, ValueError) as error:
            st.error(tr(error))
    jobs = st.session_state.get(BENCH_JOBS, [])
    running = any(not job.finished for _, job in jobs)
    st.fragment(run_every=1.0 if running else None)(_progress)(chosen, settings, running)


def _progress(chosen: list[str], settings: BenchSettings, was_running: bool) -> None:
    """Each asked-for timing: its place in line, its progress or its error; then the results.
    Polled while a timing runs; when the last one ends, the whole page reruns to show it."""
    jobs = st.session_state.get(BENCH_JOBS, [])
    for model_id, job in jobs:
        name = get_spec(model_id).name
        if job.state == "failed":
            st.error(f"{name}: {tr(job.error)}")
        elif job.state == "queued":
            st.caption(t("{name}: waiting, number {position} in line", name=name, position=HEAVY_WORK.position(job)))
        elif job.state == "running":
            fraction, what = (job.progress() or [(0.0, "starting")])[-1]
            st.progress(fraction, text=f"{name}: {tr(what)}")
    if was_running and all(job.finished for _, job in jobs):
        st.rerun(scope="app")
    results = measured(chosen, settings)
    if results:
        results_view(list(results.values()))
    else:
        st.caption(t("Nothing timed yet with these settings ({settings}). Results are kept per device and settings "
                     "and shared by everyone on this server; identical runs share one.",
                     settings=settings_label(settings)))


def results_view(results: list[BenchResult]) -> None:
    """The measured figures as a table and a chart of images per second."""
    frame = pd.DataFrame({t("model"): get_spec(r.id).name, t("median ms"): round(r.latency_ms, 2),
                          t("p90 ms"): round(r.latency_p90_ms, 2), t("images/s"): round(r.images_per_s, 1),
                          t("device"): r.device, t("batch"): r.batch, t("threads"): r.threads, t("runs"): r.runs}
                         for r in results)
    st.dataframe(frame, hide_index=True, width="stretch")
    figure = px.bar(frame, x=t("model"), y=t("images/s"), title=t("Images per second on this machine"), height=300)
    figure.update_layout(margin=dict(l=10, r=10, t=40, b=10))
    st.plotly_chart(figure, width="stretch", config={"displayModeBar": False})
    st.caption(tr(untrained_note(results[0])))
