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
from lineage.localized import localized
from ui import lesson, units
from ui.i18n import language, t, tr
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
            st.error(tr(message) + t(" (asked for in the link's ?models=); the other models are shown."))
        if chosen.dropped:
            st.error(t("At most {count} models at once: left out {models}.", count=MAX_MODELS,
                       models=", ".join(chosen.dropped)))
        st.session_state[SELECTION] = list(chosen.ids)
    lesson.place("picker", st.sidebar).multiselect(t("Models (2 to 4)"), ordered_model_ids(), key=SELECTION, format_func=model_label,
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
            st.warning(f"{get_spec(model_id).name}: {tr(error)}")
    return rows


def comparison_table(rows: list[CompareRow], unit: str, latency_ms: dict[str, float], latency_label: str) -> None:
    """One column per figure, one line per model; accuracy 'none published' where there is none."""
    missing = [row.name for row in rows if row.top1 is None]
    if missing:
        st.warning(t("No ImageNet-1k accuracy is published in the weights' metadata of {models}: their accuracy "
                     "reads '{none}'.", models=", ".join(missing), none=t(NONE_PUBLISHED)))
    frame = pd.DataFrame({
        t("model"): row.name,
        t("network"): lineage_graph().nodes[row.node]["name"],
        t("parameters"): units.count_text(row.params),
        unit: round(units.compute(row.macs, unit), 3),
        t("weight layers"): row.weight_layers,
        t("activations"): units.bytes_text(row.activation_bytes),
        t("input"): f"{row.input_size}×{row.input_size}" if row.input_size else tr(get_spec(row.id).describe_inputs(None)),
        t("ImageNet-1k top-1 %"): _percent(row.top1),
        t("top-5 %"): _percent(row.top5),
        t("default weights"): row.weights or t(NONE_PUBLISHED),
        t("latency ms ({settings})", settings=latency_label): (f"{latency_ms[row.id]:.2f}" if row.id in latency_ms
                                                              else t("not measured")),
    } for row in rows)
    st.dataframe(frame, hide_index=True, width="stretch")
    st.caption(t("{unit}: {meaning}, counted on the meta device; accuracy from torchvision's weights metadata (timm's "
                 "configs publish none); latency from the Benchmark tab with the sidebar's settings.", unit=unit[1:],
                 meaning=t("1 multiply-accumulate = 2 FLOPs") if unit == "GFLOPs" else t("multiply-accumulates")))
    st.download_button(t("Download the table (CSV)"), rows_csv(rows, latency_ms), file_name="compare.csv",
                       mime="text/csv", icon=":material/download:")


def _percent(value: float | None) -> str:
    return t(NONE_PUBLISHED) if value is None else f"{value:.2f}"


def compute_charts(rows: list[CompareRow], unit: str) -> None:
    """Per-stage compute, stacked on one shared axis, and each model's mix of layer types."""
    model, stage_, layer_type, share = t("model"), t("stage"), t("layer type"), t("share %")
    stages = pd.DataFrame({model: row.name, stage_: stage.name, unit: units.compute(stage.macs, unit)}
                          for row in rows for stage in analyse(row.id).stages)
    by_type = pd.DataFrame({model: row.name, layer_type: layer.type, share: layer.share * 100}
                           for row in rows for layer in analyse(row.id).layers)
    by_type = by_type.groupby([model, layer_type], as_index=False, sort=False).sum()
    order = dict(categoryorder="array", categoryarray=[row.name for row in reversed(rows)])  # the table's order, top down
    left, right = st.columns(2)
    with left:
        figure = px.bar(stages, x=unit, y=model, color=stage_, orientation="h", height=320,
                        title=t("Compute per stage ({unit}), on one axis", unit=unit))
        figure.update_layout(showlegend=False, margin=dict(l=10, r=10, t=40, b=10), yaxis=order)
        st.plotly_chart(figure, width="stretch", config={"displayModeBar": False})
    with right:
        figure = px.bar(by_type, x=share, y=model, color=layer_type, orientation="h", height=320,
                        title=t("Layer-type mix (share of compute)"))
        figure.update_layout(margin=dict(l=10, r=10, t=40, b=10), yaxis=order)
        st.plotly_chart(figure, width="stretch", config={"displayModeBar": False})


def lineage_section(rows: list[CompareRow]) -> None:
    """For each pair of networks: the line of descent with its innovations, or the nearest common
    ancestor and the line from it to each; with the change in accuracy and compute between them."""
    graph = lineage_graph()
    by_node = {row.node: row for row in reversed(rows)}  # a network's first compared model speaks for it
    pairs = lineage_between(graph, list(by_node))
    if not pairs:
        st.caption(t("All compared models belong to the same network."))
    for pair in pairs:
        st.markdown(_pair_text(graph, pair) + "\n\n" + _change_text(by_node[pair.first], by_node[pair.second]))


def _pair_text(graph, pair: PairLineage) -> str:
    name = lambda node: graph.nodes[node]["name"]  # noqa: E731
    lang = language()
    said = lambda s, field: localized(graph.edges[s.source, s.target], field, lang)  # noqa: E731
    if pair.direct is not None:
        steps = "\n".join(f"- {name(s.source)} → {name(s.target)}: *{said(s, 'innovation')}* — {said(s, 'explanation')}"
                          for s in pair.direct.steps)
        return f"**{' → '.join(name(n) for n in pair.direct.nodes)}**\n{steps}"
    if pair.ancestor is None:
        return t("**{first}** and **{second}** share no ancestor in this tree.", first=name(pair.first),
                 second=name(pair.second))
    branches = "\n".join(f"- {' → '.join(name(n) for n in path.nodes)}: "
                         + "; ".join(f"*{said(s, 'innovation')}*" for s in path.steps) for path in pair.from_ancestor)
    return t("**{first}** and **{second}**: neither descends from the other; both descend from **{ancestor}**.",
             first=name(pair.first), second=name(pair.second), ancestor=name(pair.ancestor)) + f"\n{branches}"


def _change_text(older: CompareRow, newer: CompareRow) -> str:
    """From the older network's model to the newer's: top-1 in points, compute and parameters as ratios."""
    parts = [t("compute ×{ratio:.2f}", ratio=newer.macs / older.macs) if older.macs else "",
             t("parameters ×{ratio:.2f}", ratio=newer.params / older.params) if older.params else ""]
    if older.top1 is not None and newer.top1 is not None:
        parts.insert(0, t("top-1 {change:+.2f} points", change=newer.top1 - older.top1))
    return f":gray[{older.name} → {newer.name}: {', '.join(p for p in parts if p)}]"


def too_few(ids: list[str]) -> bool:
    """Say so when fewer than two models are chosen (the page still shows what it can)."""
    if len(ids) < MIN_MODELS:
        st.info(t("Choose {low} to {high} models in the sidebar to compare them.", low=MIN_MODELS, high=MAX_MODELS))
        return True
    return False
