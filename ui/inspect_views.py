"""The Inspect page's sections: headline figures, layer table, charts, parents, build."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import streamlit as st

from lineage.localized import localized
from lineage.queries import parents
from models.analysis import Analysis, AnalysisError, analyse, engine_difference, forward_memory_estimate, op_names
from models import runtime
from models.inside.stages import layers_of
from models.node_index import with_parents
from models.registry import ModelSpec, default_model_for_node, get_spec
from models.runtime import ModelTooLargeError, build_model, measure_latency
from ui import units
from ui.device import device_setting
from ui.i18n import language, t, tr
from ui.lineage_cache import lineage_graph
from ui.link_settings import LinkSetting, choice, number


ENGINES = ["torch", "fvcore"]
TABS = ["layers", "charts", "parents", "weights", "build"]  # ?tab= ids, in the page's order
MAX_INPUT_SIZE = 2048
SMALL_INPUT_SHARE = 0.25  # below a quarter of its own input size, a network's last feature maps vanish
HEAVY_FORWARD_SHARE = 0.25  # a forward that may take a quarter of the free memory gets a warning first


def link_settings(spec: ModelSpec) -> list[LinkSetting]:
    """The sidebar's settings as `?engine=&unit=&size=&device=` (the model is the picker's `?model=`)."""
    settings = [LinkSetting("engine", "inspect_engine", ENGINES[0], choice(ENGINES)),
                LinkSetting("unit", "inspect_unit", units.COMPUTE_UNITS[0], choice(units.COMPUTE_UNITS)),
                device_setting("inspect_device")]
    if spec.input_size:
        settings.append(LinkSetting("size", f"inspect_size_{spec.id}", spec.input_size, number(1, MAX_INPUT_SIZE)))
    return settings


def analyse_with_notice(spec: ModelSpec, size: int | None, engine: str) -> Analysis:
    """Count the model, saying what a long count does while it runs, and warning first about odd
    input sizes and about a real forward pass that needs much of this machine's memory."""
    if size and spec.input_size and size < SMALL_INPUT_SHARE * spec.input_size:
        st.warning(t("{size}×{size} is far below the {designed}×{designed} {name} was designed for: its feature maps "
                     "shrink to a pixel or less, so these counts describe a degenerate input.",
                     size=size, designed=spec.input_size, name=spec.name))
    if engine != "fvcore":
        return analyse(spec.id, size, engine)
    where = f"{size}×{size}" if size else t("its input")
    needed = forward_memory_estimate(spec.id, size)
    if needed > HEAVY_FORWARD_SHARE * runtime.available_ram():
        st.warning(t("fvcore's forward pass of {name} at {where} may hold up to {gib:.1f} GiB and take a while; the "
                     "torch engine counts the same layers on the meta device at once.",
                     name=spec.name, where=where, gib=needed / 2**30))
    with st.spinner(t("fvcore is tracing a real forward pass of {name} at {where} on the CPU…", name=spec.name,
                      where=where)):
        return analyse(spec.id, size, engine)


def inputs_text(analysis: Analysis) -> str:
    """The counted input in words, in the session's language (a cached analysis keeps only the English)."""
    return tr(get_spec(analysis.id).describe_inputs(analysis.input_size))


def headline(spec: ModelSpec, analysis: Analysis, unit: str) -> None:
    """The figures a student compares first, and where the implementation comes from."""
    columns = st.columns(5)
    columns[0].metric(t("Parameters"), units.count_text(analysis.params),
                      help=t("{total:,} in total, {trainable:,} trainable", total=analysis.params,
                             trainable=analysis.trainable_params))
    compute_unit, compute_value = units.compute_metric(analysis.macs, unit)
    columns[1].metric(t("Compute ({unit})", unit=compute_unit), compute_value,
                      help=t("{macs:,} multiply-accumulates for {input}; 1 MAC = 2 FLOPs", macs=analysis.macs,
                             input=inputs_text(analysis)))
    columns[2].metric(t("Weight layers"), analysis.weight_layers,
                      help=t("convolution and linear layers as the paper has them (attention's Q/K/V projection is one)"))
    columns[3].metric(t("Input"), f"{analysis.input_size} px" if analysis.input_size else t("tokens"),
                      help=inputs_text(analysis))
    columns[4].metric(t("Activations"), units.bytes_text(analysis.activation_bytes),
                      help=t("float32 outputs of every layer for one input"))
    st.caption(t("Source: **{source}** (`{builder}`) · counted by **{engine}** on {device} for {input} in {ms:.0f} ms",
                 source=spec.source, builder=spec.builder, engine=analysis.engine, device=analysis.device_used,
                 input=inputs_text(analysis), ms=analysis.seconds * 1000))
    if spec.fidelity:
        st.info(t("**Fidelity to the paper:** {fidelity}", fidelity=tr(spec.fidelity)))
    if getattr(spec, "aux_note", None):
        st.caption(t("Auxiliary classifiers: {note}", note=tr(spec.aux_note)))
    if spec.kind != "image":
        st.warning(t("{name} is not an image model: it is shown for inspection only, counted with {input}.",
                     name=spec.name, input=inputs_text(analysis)))
    if analysis.uncounted:
        st.caption(t("Not counted (no multiply-accumulate formula in this engine): {ops}",
                     ops=", ".join(tr(name) for name in op_names(analysis.uncounted))))
    st.caption(tr(engine_difference(analysis)))


def layer_table(analysis: Analysis, unit: str) -> None:
    """Every leaf layer, sortable by any column and filterable by name or type."""
    needle = st.text_input(t("Filter layers by name or type"), key="layer_filter", placeholder=t("e.g. conv, layer4"))
    mapped = layers_of(analysis.id).shapes if analysis.input_size else {}
    frame = pd.DataFrame(
        {
            "layer": row.name,
            "type": row.type,
            "output shape": "×".join(map(str, row.output_shape)) if row.output_shape else "",
            "parameters": row.params,
            f"M{unit[1:]}": units.compute(row.macs, unit) * 1000,
            "share %": row.share * 100,
            "maps": f"/Inside?model={analysis.id}&layer={row.name}" if row.name in mapped else None,
        }
        for row in analysis.layers
    )
    frame = filter_layers(frame, needle)
    st.dataframe(frame.rename(columns={"layer": t("layer"), "type": t("type"), "output shape": t("output shape"),
                                       "parameters": t("parameters"), "share %": t("share %"), "maps": t("maps")}),
                 hide_index=True, width="stretch", height=420,
                 column_config={t("share %"): st.column_config.ProgressColumn(format="%.1f", min_value=0, max_value=100),
                                t("maps"): st.column_config.LinkColumn(display_text=t("see inside"),
                                                                       help=t("this layer's channel maps on an image"))})
    st.caption(t("{shown} of {total} layers", shown=len(frame), total=len(analysis.layers)))


def filter_layers(frame: pd.DataFrame, needle: str) -> pd.DataFrame:
    """Rows whose layer name or type contains `needle`, ignoring case; the text is taken literally
    (no user expects `.` or `(` to be regular-expression syntax)."""
    if not needle:
        return frame
    needle = needle.lower()
    mask = frame["layer"].str.lower().str.contains(needle, regex=False) | \
        frame["type"].str.lower().str.contains(needle, regex=False)
    return frame[mask]


def charts(analysis: Analysis, unit: str) -> None:
    """Compute and parameters per stage and per layer type, as plotly bars."""
    params = t("parameters (M)")
    stages = pd.DataFrame({t("stage"): s.name, unit: units.compute(s.macs, unit), params: s.params / 1e6}
                          for s in analysis.stages)
    by_type = pd.DataFrame({t("type"): r.type, unit: units.compute(r.macs, unit), params: r.params / 1e6}
                           for r in analysis.layers).groupby(t("type"), as_index=False).sum()
    left, right = st.columns(2)
    for column, frame, axis, per in ((left, stages, t("stage"), "{value} per stage"),
                                     (right, by_type, t("type"), "{value} per layer type")):
        with column:
            for value in (unit, params):
                figure = px.bar(frame, x=axis, y=value, title=t(per, value=value), height=300)
                figure.update_layout(margin=dict(l=10, r=10, t=40, b=10))
                st.plotly_chart(figure, width="stretch", config={"displayModeBar": False})


def parent_comparison(spec: ModelSpec, analysis: Analysis, unit: str) -> None:
    """For each incoming edge of the node: the parent's figures beside this model's, counted by the
    same engine, and also at this model's input size where the parent's own differs."""
    graph = lineage_graph()
    st.page_link("pages/4_Compare.py", label=t("Compare {name} with…", name=spec.name), icon=":material/compare_arrows:",
                 query_params={"models": with_parents(graph, spec.node, spec.id)})
    incoming = parents(graph, spec.node)
    if not incoming:
        st.caption(t("{name} has no parent in the tree.", name=graph.nodes[spec.node]["name"]))
    for edge in incoming:
        parent = default_model_for_node(edge["source"])
        columns = {}
        with st.spinner(t("Counting {name} with {engine}…", name=parent.name, engine=analysis.engine)):
            try:
                columns[parent.name] = analyse(parent.id, None, analysis.engine)
            except AnalysisError as error:
                st.warning(f"{parent.name}: {tr(error)}")
                continue
            size = analysis.input_size
            if size and parent.input_size and size != parent.input_size:
                try:
                    columns[t("{name} at {size}×{size}", name=parent.name, size=size)] = analyse(
                        parent.id, size, analysis.engine)
                except AnalysisError as error:
                    st.caption(t("{name} at this model's {size}×{size} input: {error}", name=parent.name, size=size,
                                 error=tr(error)))
        lang = language()
        st.markdown(f"**{graph.nodes[edge['source']]['name']} → {graph.nodes[spec.node]['name']}**: "
                    f"*{localized(edge, 'innovation', lang)}* — {localized(edge, 'explanation', lang)}")
        st.dataframe(comparison_table({**columns, spec.name: analysis}, unit), hide_index=True, width="stretch")


def comparison_table(columns: dict[str, Analysis], unit: str) -> pd.DataFrame:
    """One text column per analysis (text only: a column mixing numbers and words cannot go to Arrow)."""
    return pd.DataFrame({
        "": [t("parameters"), unit, t("weight layers"), t("input"), t("counted by")],
        **{name: [units.count_text(a.params), units.compute_text(a.macs, unit), str(a.weight_layers),
                  inputs_text(a), a.engine] for name, a in columns.items()},
    })


def build_section(spec: ModelSpec, device: str) -> None:
    """Instantiate the model for real on request and time one forward pass."""
    st.caption(t("Analysis above ran on PyTorch's meta device: no memory, no weights. "
                 "Building allocates the real model (random initialization: untrained)."))
    target = st.session_state.pop("inspect_build_on", None) or (
        device if st.button(t("Build on {device}", device=device)) else None)
    if not target:
        return
    try:
        with st.spinner(t("Building {name} on {device}…", name=spec.name, device=target)):
            built = build_model(spec.id, target)
            latency = measure_latency(built)
    except ModelTooLargeError as error:
        st.error(tr(error))
        if target != "cpu":
            st.button(t("Build on the CPU instead"), on_click=st.session_state.__setitem__, args=("inspect_build_on", "cpu"))
        return
    columns = st.columns(4)
    columns[0].metric(t("Device"), built.device)
    columns[1].metric("dtype", str(built.dtype).replace("torch.", ""))
    columns[2].metric(t("Memory"), units.bytes_text(built.memory_bytes))
    columns[3].metric(t("Forward (1 image)") if spec.kind == "image" else t("Forward (1 sequence)"),
                      f"{latency * 1000:.1f} ms")
    st.caption(t("Weights: {label} · built in {seconds:.2f} s", label=tr(built.weights_label),
                 seconds=built.build_seconds))
