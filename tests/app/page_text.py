"""Everything a reader sees on a page run under AppTest, as text: titles, markdown, captions, alerts,
every widget's label, help, placeholder and options, tabs, expanders and popovers, page links,
metrics, dataframes' column names and text cells, and plotly figures' titles, axes, legends and
trace names. The Chinese UI tests read it."""

from __future__ import annotations

import json

import pandas as pd
from streamlit.testing.v1 import AppTest

_VALUE_KINDS = {"title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success",
                "exception", "toast"}
_WIDGET_FIELDS = ("label", "help", "placeholder")


def page_texts(app: AppTest) -> list[str]:
    """Every visible string of the last run, one entry per element field."""
    texts: list[str] = []
    _walk(app._tree, texts)
    return [text for text in texts if text and text.strip()]


def _walk(node, texts: list[str]) -> None:
    for child in getattr(node, "children", {}).values():
        texts += _element_texts(child)
        _walk(child, texts)


def _element_texts(element) -> list[str]:
    kind = getattr(element, "type", "")
    proto = getattr(element, "proto", None)
    if kind in _VALUE_KINDS:
        return [str(element.value)]
    if kind == "plotly_chart":
        return _figure_texts(json.loads(proto.spec))
    if kind == "dataframe":
        return _frame_texts(element.value)
    if kind == "metric":
        return [element.label, str(element.value), element.help or ""]
    if kind == "tab":
        return [element.label]
    if kind in ("popover", "expandable"):
        block = getattr(proto, kind)
        return [block.label, getattr(block, "help", "")]
    found = [str(getattr(proto, field, "") or "") for field in _WIDGET_FIELDS] if proto is not None else []
    options = getattr(element, "options", None)
    if options is not None and kind in ("selectbox", "radio", "multiselect", "select_slider"):
        found += [str(option) for option in options]
    return found


def _frame_texts(frame: pd.DataFrame) -> list[str]:
    texts = [str(column) for column in frame.columns]
    for column in frame.columns:
        texts += [value for value in frame[column] if isinstance(value, str)]
    return texts


def _figure_texts(figure: dict) -> list[str]:
    """Titles, axis titles, legend title and the names of the traces shown in the legend."""
    layout, texts = figure.get("layout", {}), []

    def title(part: dict | None) -> str:
        value = (part or {}).get("title")
        return value.get("text", "") if isinstance(value, dict) else str(value or "")

    texts.append(title(layout))
    texts += [title(value) for key, value in layout.items() if key.startswith(("xaxis", "yaxis"))]
    texts.append(title(layout.get("legend")))
    texts += [annotation.get("text", "") for annotation in layout.get("annotations", [])]
    texts += [trace.get("name", "") for trace in figure.get("data", []) if trace.get("showlegend", True)]
    return texts
