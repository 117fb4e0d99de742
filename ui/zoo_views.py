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
from ui import lesson, units
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


@st.cache_resource(show_spinner="Counting the zoo (once per server)…")
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
            st.error(f"The link asked for device '{asked}': {error} Benchmarks run on the CPU.")
    with lesson.place("settings", st.sidebar).expander("Benchmark settings", expanded=False):
        device = st.selectbox("Device", devices, index=devices.index(asked) if asked in devices else 0,
                              key="bench_device")
        batch = st.number_input("Batch", min_value=1, max_value=MAX_BATCH, value=1, key="bench_batch")
        threads = st.number_input("Threads (empty: torch's default)", min_value=1, max_value=MAX_THREADS, value=None,
                                  key="bench_threads")
        channels_last = st.checkbox("channels_last", key="bench_channels_last")
        amp = st.checkbox("autocast (bf16 on CPU, fp16 on CUDA)", key="bench_amp")
        compile_ = st.checkbox("torch.compile (the first run compiles: minutes)", key="bench_compile")
    mirror([LinkSetting("device", "bench_device", devices[0], choice(devices))])  # read above, with its own message
    return BenchSettings(device, int(batch), int(threads) if threads else None, channels_last, amp, compile_)


def settings_label(settings: BenchSettings) -> str:
    """'cpu, batch 1' plus whatever else is switched on."""
    extras = [name for name, on in (("channels_last", settings.channels_last), ("amp", settings.amp),
                                    ("compile", settings.compile)) if on]
    threads = [f"{settings.threads} threads"] if settings.threads else []
    return ", ".join([settings.device, f"batch {settings.batch}", *threads, *extras])


def zoo_section(highlight: list[str], unit: str, settings: BenchSettings) -> None:
    """The chart, its view (compute or latency on x), and what is not on it and why."""
    points, edges = zoo()
    view = st.radio("x axis", (X_COMPUTE, X_LATENCY), horizontal=True, key="zoo_x",
                    format_func=lambda v: f"compute ({unit})" if v == X_COMPUTE else f"{v} ({settings_label(settings)})")
    if view == X_COMPUTE:
        x_values, x_title = {p.id: units.compute(p.macs, unit) for p in points}, unit
    else:
        x_values = {i: r.latency_ms for i, r in measured([p.id for p in points], settings).items()}
        x_title = f"latency per batch, ms ({settings_label(settings)})"
        if not x_values:
            st.info("No model has been timed with these settings yet: run some in the Benchmark tab.")
    figure = zoo_figure(points, edges, x_values, x_title, frozenset(highlight), family_label_colors(lineage_graph()))
    st.plotly_chart(figure, width="stretch", key=ZOO_CHART, on_select=_open_clicked, selection_mode="points",
                    config={"displayModeBar": False})
    on_chart = {p.id for p in points}
    absent = [get_spec(i).name for i in highlight if i not in on_chart]
    st.caption(f"{len([p for p in points if p.id in x_values])} models whose default weights publish an "
               f"ImageNet-1k top-1 · marker area ∝ parameters · colour: family · an arrow for each line of "
               f"descent between networks' default models (hover it for the innovations) · circled: the "
               f"compared models · click a model to open its network in the tree."
               + (f" Not on the chart (no published accuracy): {', '.join(absent)}." if absent else ""))
    if node := st.session_state.pop(OPEN_NODE, None):
        select_node(node)
        st.switch_page("app.py", query_params={"node": node})


def _open_clicked() -> None:
    points = st.session_state[ZOO_CHART].selection.points
    if points:
        st.session_state[OPEN_NODE] = points[0]["customdata"][0]


def bench_section(compared: list[str], settings: BenchSettings) -> None:
    """Pick models, queue their timings, follow them in line, and show what is measured."""
    chosen = st.multiselect("Models to time", ordered_model_ids(), default=compared, key="bench_models",
                            format_func=model_label)
    if st.button(f"Run the benchmark ({settings_label(settings)})", type="primary", disabled=not chosen):
        try:
            st.session_state[BENCH_JOBS] = [(model_id, submit_benchmark(model_id, settings)) for model_id in chosen]
        except (QueueFullError, ValueError) as error:
            st.error(str(error))
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
            st.error(f"{name}: {job.error}")
        elif job.state == "queued":
            st.caption(f"{name}: waiting, number {HEAVY_WORK.position(job)} in line")
        elif job.state == "running":
            fraction, what = (job.progress() or [(0.0, "starting")])[-1]
            st.progress(fraction, text=f"{name}: {what}")
    if was_running and all(job.finished for _, job in jobs):
        st.rerun(scope="app")
    results = measured(chosen, settings)
    if results:
        results_view(list(results.values()))
    else:
        st.caption(f"Nothing timed yet with these settings ({settings_label(settings)}). Results are kept per "
                   "device and settings and shared by everyone on this server; identical runs share one.")


def results_view(results: list[BenchResult]) -> None:
    """The measured figures as a table and a chart of images per second."""
    frame = pd.DataFrame({"model": get_spec(r.id).name, "median ms": round(r.latency_ms, 2),
                          "p90 ms": round(r.latency_p90_ms, 2), "images/s": round(r.images_per_s, 1),
                          "device": r.device, "batch": r.batch, "threads": r.threads, "runs": r.runs}
                         for r in results)
    st.dataframe(frame, hide_index=True, width="stretch")
    figure = px.bar(frame, x="model", y="images/s", title="Images per second on this machine", height=300)
    figure.update_layout(margin=dict(l=10, r=10, t=40, b=10))
    st.plotly_chart(figure, width="stretch", config={"displayModeBar": False})
    st.caption(untrained_note(results[0]))
