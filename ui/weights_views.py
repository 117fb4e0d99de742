"""A model's weights on screen: the banner that always says where they came from, and its
pretrained options as a table (the one list Predict and the CLI offer too)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from models.registry import ModelSpec
from models.runtime import BuiltModel
from models.weights import weights_options
from ui.i18n import t, tr


def weights_banner(built: BuiltModel, warning: str | None, untrained_means: str) -> None:
    """Where the weights came from, always; untrained gets a loud banner saying what that means here."""
    if warning:
        st.warning(tr(warning))
    if built.trained:
        st.success(t("Weights — {label}", label=tr(built.weights_label)))
    else:
        st.error(t("Weights — {label}. This model is UNTRAINED: {meaning}", label=tr(built.weights_label),
                   meaning=untrained_means))


def weights_table(spec: ModelSpec) -> None:
    """Every option that loads into this model, the default first, with its published metrics."""
    options = weights_options(spec)
    if not options:
        st.info(t("{name} has no published weights: it builds untrained (random initialization), "
                  "or from your own checkpoint on the Predict page.", name=spec.name))
        return
    st.dataframe(pd.DataFrame([{
        t("weights"): option.name, t("source"): option.source, t("dataset"): option.dataset,
        t("metrics"): ", ".join(f"{k} {v:.2f}" for k, v in option.metrics.items()) or t("none in the metadata"),
        t("file (MB)"): option.file_size_mb, t("classes"): option.num_classes, t("license"): option.license,
        t("preprocessing"): tr(option.preprocess.description),
    } for option in options]), hide_index=True, key=f"weights_table_{spec.id}")
    st.caption(t("The first row is the library's default. Metrics are the library's published figures."))
