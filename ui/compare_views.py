"""The Compare page's sections: the model selection (synced with `?models=`), the side-by-side
table with its CSV, per-stage compute on a shared axis, the layer-type mix, and the lineage
between the compared networks."""

from __future__ import annotations

import pandas as pd
import plotly.express as px
import streamlit as st

from models.analysis import AnalysisError, analyse
from models.compare.relations import PairLineage, lineage_between
from models.compare.table import MAX_MODELS, MIN_MODELS, NONE_PUBLISHED, CompareRow, compare_row, rows_csv, select_models
from models.registry import get_spec
from ui import lesson, units
from ui.lineage_cache import lineage_graph
from ui.model_picker import model_label, ordered_model_ids

SELECTION = "compare_models"
DEFAULT_MODELS = ("alexnet", "vgg16", "resnet50")


def model_selection() -> list[str]:
    """The sidebar's 2-4 models. A new `?models=` link wins over the widget (unknown ids and ids
    beyond the fourth get one message each); after that the widget wins and the URL follows."""
    applied = f"{SELECTION}__applied_url"
    link = st.query_params.get("models")
    if link != st.session_state.get(applied):
        st.session_state[applied] = link
        chosen = select_models(link.split(",")) if link else select_models(list(DEFAULT_MODELS))
        for message in chosen.unknown:
            st.error(f"{message} (asked for in the link's ?models=); the other models are shown.")
        if chosen.dropped:
            st.error(f"At most {MAX_MODELS} models at once: left out {', '.join(chosen.dropped)}.")
        st.session_state[SELECTION] = list(chosen.ids)
    lesson.place("picker", st.sidebar).multiselect("Models (2 to 4)", ordered_model_ids(), key=SELECTION, format_func=model_label,
                           max_selections=MAX_MODELS)
    ids = list(st.session_state[SELECTION])
    st.query_params["models"] = ",".join(ids)
    st.session_state[applied] = st.query_params["models"]
    return ids


def rows_for(ids: list[str]) -> list[CompareRow]:
    """The table's rows; a model that cannot be analysed gets a warning and is left out."""
    rows = []
    for model_id in ids:
        try:
            rows.append(compare_row(model_id))
        except AnalysisError as error:
            st.warning(f"{get_spec(model_id).name}: {error}")
    return rows


def comparison_table(rows: list[CompareRow], unit: str, latency_ms: dict[str, float], latency_label: str) -> None:
    """One column per figure, one line per model; accuracy 'none published' where there is none."""
    missing = [row.name for row in rows if row.top1 is None]
    if missing:
        st.warning(f"No ImageNet-1k accuracy is published in the weights' metadata of {', '.join(missing)}: "
                   f"their accuracy reads '{NONE_PUBLISHED}'.")
    frame = pd.DataFrame({
        "model": row.name,
        "network": lineage_graph().nodes[row.node]["name"],
        "parameters": units.count_text(row.params),
        unit: round(units.compute(row.macs, unit), 3),
        "weight layers": row.weight_layers,
        "activations": units.bytes_text(row.activation_bytes),
        "input": f"{row.input_size}×{row.input_size}" if row.input_size else row.input_desc,
        "ImageNet-1k top-1 %": _percent(row.top1),
        "top-5 %": _percent(row.top5),
        "default weights": row.weights or NONE_PUBLISHED,
        f"latency ms ({latency_label})": f"{latency_ms[row.id]:.2f}" if row.id in latency_ms else "not measured",
    } for row in rows)
    st.dataframe(frame, hide_index=True, width="stretch")
    st.caption(f"{unit[1:]}: {'1 multiply-accumulate = 2 FLOPs' if unit == 'GFLOPs' else 'multiply-accumulates'}, "
               "counted on the meta device; accuracy from torchvision's weights metadata (timm's configs publish "
               "none); latency from the Benchmark tab with the sidebar's settings.")
    st.download_button("Download the table (CSV)", rows_csv(rows, latency_ms), file_name="compare.csv",
                       mime="text/csv", icon=":material/download:")


def _percent(value: float | None) -> str:
    return NONE_PUBLISHED if value is None else f"{value:.2f}"


def compute_charts(rows: list[CompareRow], unit: str) -> None:
    """Per-stage compute, stacked on one shared axis, and each model's mix of layer types."""
    stages = pd.DataFrame({"model": row.name, "stage": stage.name, unit: units.compute(stage.macs, unit)}
                          for row in rows for stage in analyse(row.id).stages)
    by_type = pd.DataFrame({"model": row.name, "layer type": layer.type, "share %": layer.share * 100}
                           for row in rows for layer in analyse(row.id).layers)
    by_type = by_type.groupby(["model", "layer type"], as_index=False, sort=False).sum()
    order = dict(categoryorder="array", categoryarray=[row.name for row in reversed(rows)])  # the table's order, top down
    left, right = st.columns(2)
    with left:
        figure = px.bar(stages, x=unit, y="model", color="stage", orientation="h", height=320,
                        title=f"Compute per stage ({unit}), on one axis")
        figure.update_layout(showlegend=False, margin=dict(l=10, r=10, t=40, b=10), yaxis=order)
        st.plotly_chart(figure, width="stretch", config={"displayModeBar": False})
    with right:
        figure = px.bar(by_type, x="share %", y="model", color="layer type", orientation="h", height=320,
                        title="Layer-type mix (share of compute)")
        figure.update_layout(margin=dict(l=10, r=10, t=40, b=10), yaxis=order)
        st.plotly_chart(figure, width="stretch", config={"displayModeBar": False})


def lineage_section(rows: list[CompareRow]) -> None:
    """For each pair of networks: the line of descent with its innovations, or the nearest common
    ancestor and the line from it to each; with the change in accuracy and compute between them."""
    graph = lineage_graph()
    by_node = {row.node: row for row in reversed(rows)}  # a network's first compared model speaks for it
    pairs = lineage_between(graph, list(by_node))
    if not pairs:
        st.caption("All compared models belong to the same network.")
    for pair in pairs:
        st.markdown(_pair_text(graph, pair) + "\n\n" + _change_text(by_node[pair.first], by_node[pair.second]))


def _pair_text(graph, pair: PairLineage) -> str:
    name = lambda node: graph.nodes[node]["name"]  # noqa: E731
    if pair.direct is not None:
        steps = "\n".join(f"- {name(s.source)} → {name(s.target)}: *{s.innovation}* — {s.explanation}"
                          for s in pair.direct.steps)
        return f"**{' → '.join(name(n) for n in pair.direct.nodes)}**\n{steps}"
    if pair.ancestor is None:
        return f"**{name(pair.first)}** and **{name(pair.second)}** share no ancestor in this tree."
    branches = "\n".join(f"- {' → '.join(name(n) for n in path.nodes)}: "
                         + "; ".join(f"*{s.innovation}*" for s in path.steps) for path in pair.from_ancestor)
    return (f"**{name(pair.first)}** and **{name(pair.second)}**: neither descends from the other; both descend "
            f"from **{name(pair.ancestor)}**.\n{branches}")


def _change_text(older: CompareRow, newer: CompareRow) -> str:
    """From the older network's model to the newer's: top-1 in points, compute and parameters as ratios."""
    parts = [f"compute ×{newer.macs / older.macs:.2f}" if older.macs else "",
             f"parameters ×{newer.params / older.params:.2f}" if older.params else ""]
    if older.top1 is not None and newer.top1 is not None:
        parts.insert(0, f"top-1 {newer.top1 - older.top1:+.2f} points")
    return f":gray[{older.name} → {newer.name}: {', '.join(p for p in parts if p)}]"


def too_few(ids: list[str]) -> bool:
    """Say so when fewer than two models are chosen (the page still shows what it can)."""
    if len(ids) < MIN_MODELS:
        st.info(f"Choose {MIN_MODELS} to {MAX_MODELS} models in the sidebar to compare them.")
        return True
    return False
