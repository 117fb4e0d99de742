"""A section that lists which default pretrained weights this server has and which it lacks."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from models.prefetch import weights_state


@st.cache_data(ttl=30, show_spinner=False)
def _table() -> pd.DataFrame:
    return pd.DataFrame([{"model": s.spec.name, "weights": s.option.provenance,
                          "here": "cached" if s.path else "missing", "file": str(s.path or s.option.file_name)}
                         for s in weights_state()])


def weights_cache_section() -> None:
    """An expander: every model's default weights, cached or missing, and how to fetch them. The
    table is built and sent only while it is open: a class's every rerun of Predict (each upload)
    would otherwise pay for it, more than the batched pass of the student's image."""
    box = st.expander("Which pretrained weights does this server have?", key="weights_cache", on_change="rerun")
    with box:
        if not box.open:
            return
        table = _table()
        missing = int((table["here"] == "missing").sum())
        st.caption(f"{len(table) - missing} of {len(table)} default weights are cached. Before a class, "
                   "`python -m models prefetch --all` fetches the missing ones (`--to DIR` for a folder to "
                   "carry to an offline machine, used there with `LINEAGE_WEIGHTS_DIR=DIR`).")
        st.dataframe(table, hide_index=True, width="stretch")
