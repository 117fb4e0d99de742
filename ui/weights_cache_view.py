"""A section that lists which default pretrained weights this server has and which it lacks."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from models.prefetch import weights_state
from ui.i18n import t


@st.cache_data(ttl=30, show_spinner=False)
def _states() -> list[tuple[str, str, bool, str]]:
    return [(s.spec.name, s.option.provenance, bool(s.path), str(s.path or s.option.file_name)) for s in weights_state()]


def _table() -> pd.DataFrame:
    return pd.DataFrame([{t("model"): name, t("weights"): provenance, t("here"): t("cached") if cached else t("missing"),
                          t("file"): file} for name, provenance, cached, file in _states()])


def weights_cache_section() -> None:
    """An expander: every model's default weights, cached or missing, and how to fetch them. The
    table is built and sent only while it is open: a class's every rerun of Predict (each upload)
    would otherwise pay for it, more than the batched pass of the student's image."""
    box = st.expander(t("Which pretrained weights does this server have?"), key="weights_cache", on_change="rerun")
    with box:
        if not box.open:
            return
        table = _table()
        missing = sum(not cached for _, _, cached, _ in _states())
        st.caption(t("{cached} of {total} default weights are cached. Before a class, "
                     "`python -m models prefetch --all` fetches the missing ones (`--to DIR` for a folder to "
                     "carry to an offline machine, used there with `LINEAGE_WEIGHTS_DIR=DIR`).",
                     cached=len(table) - missing, total=len(table)))
        st.dataframe(table, hide_index=True, width="stretch")
