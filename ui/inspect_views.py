"""The Inspect page's sections: headline figures, layer table, charts, parents, build."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import streamlit as st

from lineage.queries import parents
from models.analysis import Analysis, AnalysisError, analyse
from models.inside.stages import layers_of
from models.registry import ModelSpec, default_model_for_node
from models.runtime import ModelTooLargeError, build_model, measure_latency
from ui import units
from ui.lineage_cache import lineage_graph


def headline(spec: ModelSpec, analysis: Analysis, unit: str) -> None:
    """The figures a student compares first, and where the implementation comes from."""
    columns = st.columns(5)
    columns[0].metric("Parameters", units.count_text(analysis.params), help=f"{analysis.params:,} in total, "
                      f"{analysis.trainable_params:,} trainable")
    columns[1].metric(f"Compute ({unit})", f"{units.compute(analysis.macs, unit):.3g}",
                      help=f"{analysis.macs:,} multiply-accumulates for {analysis.input_desc}; 1 MAC = 2 FLOPs")
    columns[2].metric("Weight layers", analysis.weight_layers, help="convolution and linear layers")
    columns[3].metric("Input", f"{analysis.input_size}×{analysis.input_size}" if analysis.input_size else "tokens",
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
        st.caption("Not counted (no multiply-accumulate formula in this engine): " + ", ".join(analysis.uncounted))


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
    if needle:
        mask = frame["layer"].str.contains(needle, case=False) | frame["type"].str.contains(needle, case=False)
        frame = frame[mask]
    st.dataframe(frame, hide_index=True, width="stretch", height=420,
                 column_config={"share %": st.column_config.ProgressColumn(format="%.1f", min_value=0, max_value=100),
                                "maps": st.column_config.LinkColumn(display_text="see inside",
                                                                    help="this layer's channel maps on an image")})
    st.caption(f"{len(frame)} of {len(analysis.layers)} layers")


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
    """For each incoming edge of the node: the parent's figures beside this model's."""
    graph = lineage_graph()
    incoming = parents(graph, spec.node)
    if not incoming:
        st.caption(f"{graph.nodes[spec.node]['name']} has no parent in the tree.")
    for edge in incoming:
        parent = default_model_for_node(edge["source"])
        try:
            theirs = analyse(parent.id)
        except AnalysisError as error:
            st.warning(f"{parent.name}: {error}")
            continue
        st.markdown(f"**{graph.nodes[edge['source']]['name']} → {graph.nodes[spec.node]['name']}**: "
                    f"*{edge['innovation']}* — {edge['explanation']}")
        st.dataframe(pd.DataFrame({
            "": ["parameters", unit, "weight layers", "input"],
            parent.name: [units.count_text(theirs.params), units.compute_text(theirs.macs, unit),
                          theirs.weight_layers, theirs.input_desc],
            spec.name: [units.count_text(analysis.params), units.compute_text(analysis.macs, unit),
                        analysis.weight_layers, analysis.input_desc],
        }), hide_index=True, width="stretch")


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
            latency = measure_latency(built) if spec.kind == "image" else None
    except ModelTooLargeError as error:
        st.error(str(error))
        if target != "cpu":
            st.button("Build on the CPU instead", on_click=st.session_state.__setitem__, args=("inspect_build_on", "cpu"))
        return
    columns = st.columns(4)
    columns[0].metric("Device", built.device)
    columns[1].metric("dtype", str(built.dtype).replace("torch.", ""))
    columns[2].metric("Memory", units.bytes_text(built.memory_bytes))
    columns[3].metric("Forward (1 image)", f"{latency * 1000:.1f} ms" if latency is not None else "n/a")
    st.caption(f"Weights: {built.weights_label} · built in {built.build_seconds:.2f} s")
