"""The Inspect page's sections: headline figures, layer table, charts, parents, build."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import streamlit as st

from lineage.queries import parents
from models.analysis import Analysis, AnalysisError, analyse, engine_difference, forward_memory_estimate, op_names
from models import runtime
from models.inside.stages import layers_of
from models.node_index import with_parents
from models.registry import ModelSpec, default_model_for_node
from models.runtime import ModelTooLargeError, build_model, measure_latency
from ui import units
from ui.device import device_setting
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
        st.warning(f"{size}×{size} is far below the {spec.input_size}×{spec.input_size} {spec.name} was designed "
                   "for: its feature maps shrink to a pixel or less, so these counts describe a degenerate input.")
    if engine != "fvcore":
        return analyse(spec.id, size, engine)
    where = f"{size}×{size}" if size else "its input"
    needed = forward_memory_estimate(spec.id, size)
    if needed > HEAVY_FORWARD_SHARE * runtime.available_ram():
        st.warning(f"fvcore's forward pass of {spec.name} at {where} may hold up to {needed / 2**30:.1f} GiB and "
                   "take a while; the torch engine counts the same layers on the meta device at once.")
    with st.spinner(f"fvcore is tracing a real forward pass of {spec.name} at {where} on the CPU…"):
        return analyse(spec.id, size, engine)


def headline(spec: ModelSpec, analysis: Analysis, unit: str) -> None:
    """The figures a student compares first, and where the implementation comes from."""
    columns = st.columns(5)
    columns[0].metric("Parameters", units.count_text(analysis.params), help=f"{analysis.params:,} in total, "
                      f"{analysis.trainable_params:,} trainable")
    compute_unit, compute_value = units.compute_metric(analysis.macs, unit)
    columns[1].metric(f"Compute ({compute_unit})", compute_value,
                      help=f"{analysis.macs:,} multiply-accumulates for {analysis.input_desc}; 1 MAC = 2 FLOPs")
    columns[2].metric("Weight layers", analysis.weight_layers,
                      help="convolution and linear layers as the paper has them (attention's Q/K/V projection is one)")
    columns[3].metric("Input", f"{analysis.input_size} px" if analysis.input_size else "tokens",
                      help=analysis.input_desc)
    columns[4].metric("Activations", units.bytes_text(analysis.activation_bytes),
                      help="float32 outputs of every layer for one input")
    st.caption(f"Source: **{spec.source}** (`{spec.builder}`) · counted by **{analysis.engine}** on "
               f"{analysis.device_used} for {analysis.input_desc} in {analysis.seconds * 1000:.0f} ms")
    if spec.fidelity:
        st.info(f"**Fidelity to the paper:** {spec.fidelity}")
    if getattr(spec, "aux_note", None):
        st.caption(f"Auxiliary classifiers: {spec.aux_note}")
    if spec.kind != "image":
        st.warning(f"{spec.name} is not an image model: it is shown for inspection only, counted with "
                   f"{analysis.input_desc}.")
    if analysis.uncounted:
        st.caption("Not counted (no multiply-accumulate formula in this engine): " + ", ".join(op_names(analysis.uncounted)))
    st.caption(engine_difference(analysis))


def layer_table(analysis: Analysis, unit: str) -> None:
    """Every leaf layer, sortable by any column and filterable by name or type."""
    needle = st.text_input("Filter layers by name or type", key="layer_filter", placeholder="e.g. conv, layer4")
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
    st.dataframe(frame, hide_index=True, width="stretch", height=420,
                 column_config={"share %": st.column_config.ProgressColumn(format="%.1f", min_value=0, max_value=100),
                                "maps": st.column_config.LinkColumn(display_text="see inside",
                                                                    help="this layer's channel maps on an image")})
    st.caption(f"{len(frame)} of {len(analysis.layers)} layers")


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
    stages = pd.DataFrame({"stage": s.name, unit: units.compute(s.macs, unit), "parameters (M)": s.params / 1e6}
                          for s in analysis.stages)
    by_type = pd.DataFrame({"type": r.type, unit: units.compute(r.macs, unit), "parameters (M)": r.params / 1e6}
                           for r in analysis.layers).groupby("type", as_index=False).sum()
    left, right = st.columns(2)
    for column, frame, axis, title in ((left, stages, "stage", "per stage"), (right, by_type, "type", "per layer type")):
        with column:
            for value in (unit, "parameters (M)"):
                figure = px.bar(frame, x=axis, y=value, title=f"{value} {title}", height=300)
                figure.update_layout(margin=dict(l=10, r=10, t=40, b=10))
                st.plotly_chart(figure, width="stretch", config={"displayModeBar": False})


def parent_comparison(spec: ModelSpec, analysis: Analysis, unit: str) -> None:
    """For each incoming edge of the node: the parent's figures beside this model's, counted by the
    same engine, and also at this model's input size where the parent's own differs."""
    graph = lineage_graph()
    st.page_link("pages/4_Compare.py", label=f"Compare {spec.name} with…", icon=":material/compare_arrows:",
                 query_params={"models": with_parents(graph, spec.node, spec.id)})
    incoming = parents(graph, spec.node)
    if not incoming:
        st.caption(f"{graph.nodes[spec.node]['name']} has no parent in the tree.")
    for edge in incoming:
        parent = default_model_for_node(edge["source"])
        columns = {}
        with st.spinner(f"Counting {parent.name} with {analysis.engine}…"):
            try:
                columns[parent.name] = analyse(parent.id, None, analysis.engine)
            except AnalysisError as error:
                st.warning(f"{parent.name}: {error}")
                continue
            size = analysis.input_size
            if size and parent.input_size and size != parent.input_size:
                try:
                    columns[f"{parent.name} at {size}×{size}"] = analyse(parent.id, size, analysis.engine)
                except AnalysisError as error:
                    st.caption(f"{parent.name} at this model's {size}×{size} input: {error}")
        st.markdown(f"**{graph.nodes[edge['source']]['name']} → {graph.nodes[spec.node]['name']}**: "
                    f"*{edge['innovation']}* — {edge['explanation']}")
        st.dataframe(comparison_table({**columns, spec.name: analysis}, unit), hide_index=True, width="stretch")


def comparison_table(columns: dict[str, Analysis], unit: str) -> pd.DataFrame:
    """One text column per analysis (text only: a column mixing numbers and words cannot go to Arrow)."""
    return pd.DataFrame({
        "": ["parameters", unit, "weight layers", "input", "counted by"],
        **{name: [units.count_text(a.params), units.compute_text(a.macs, unit), str(a.weight_layers), a.input_desc,
                  a.engine] for name, a in columns.items()},
    })


def build_section(spec: ModelSpec, device: str) -> None:
    """Instantiate the model for real on request and time one forward pass."""
    st.caption("Analysis above ran on PyTorch's meta device: no memory, no weights. "
               "Building allocates the real model (random initialization: untrained).")
    target = st.session_state.pop("inspect_build_on", None) or (device if st.button(f"Build on {device}") else None)
    if not target:
        return
    try:
        with st.spinner(f"Building {spec.name} on {target}…"):
            built = build_model(spec.id, target)
            latency = measure_latency(built)
    except ModelTooLargeError as error:
        st.error(str(error))
        if target != "cpu":
            st.button("Build on the CPU instead", on_click=st.session_state.__setitem__, args=("inspect_build_on", "cpu"))
        return
    columns = st.columns(4)
    columns[0].metric("Device", built.device)
    columns[1].metric("dtype", str(built.dtype).replace("torch.", ""))
    columns[2].metric("Memory", units.bytes_text(built.memory_bytes))
    columns[3].metric(f"Forward (1 {spec.kind})", f"{latency * 1000:.1f} ms")
    st.caption(f"Weights: {built.weights_label} · built in {built.build_seconds:.2f} s")
