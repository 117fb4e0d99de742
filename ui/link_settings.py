"""A page's settings as query parameters: a new link's value goes into the widget's state before the
widget is drawn, and after the run the widget's value goes back into the URL, so the address bar and
the copy-link widget always link to what is on screen.

A value the page cannot use (unknown name, number out of range) gets one clear message and the
setting keeps its default. A setting at its default is left out of the URL, keeping links short.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st

from ui.i18n import t
from ui.lesson import page_path

_APPLIED = "_link_applied_{}:{}"  # page, parameter: the URL value last applied to (or written from) its widget


@dataclass(frozen=True)
class LinkSetting:
    """One widget's value ↔ one query parameter."""

    param: str  # its name in the URL
    key: str  # the widget's session key
    default: Any  # the widget's own default (left out of the URL)
    parse: Callable[[str], Any]  # URL text → value; raises ValueError saying what it accepts
    text: Callable[[Any], str | None] = str  # value → URL text (None: nothing a link can say)


def choice(values: Mapping[str, Any] | Sequence[str]) -> Callable[[str], Any]:
    """A parser for one of named values (`{url text: value}`, or the texts themselves)."""
    named = dict(values) if isinstance(values, Mapping) else {v: v for v in values}

    def parse(text: str) -> Any:
        if text not in named:
            raise ValueError(t("it takes one of {options}", options=", ".join(named)))
        return named[text]

    return parse


def number(minimum: float, maximum: float, integer: bool = True, step: int = 1) -> Callable[[str], float]:
    """A parser for a number between `minimum` and `maximum` (whole when `integer`, then in `step`s from the minimum)."""
    def parse(text: str) -> float:
        try:
            value = int(text) if integer else float(text)
        except ValueError:
            raise ValueError(t("it takes a {kind} number", kind=t("whole") if integer else t("decimal"))) from None
        if not minimum <= value <= maximum:
            raise ValueError(t("it takes a number from {low:g} to {high:g}", low=minimum, high=maximum))
        if integer and (value - minimum) % step:
            raise ValueError(t("it takes a number from {low:g} in steps of {step}", low=minimum, step=step))
        return value

    return parse


def flag(text: str) -> bool:
    """A parser for on/off: 1 or 0."""
    return choice({"1": True, "0": False})(text)


def flag_text(value: bool) -> str:
    return "1" if value else "0"


def follow_link(settings: Iterable[LinkSetting]) -> None:
    """Before the widgets: each setting whose URL value is new to this session goes into its widget's state
    (absent: the default); a value that does not parse is named in one message and the default is kept."""
    for setting in settings:
        asked, applied = st.query_params.get(setting.param), _APPLIED.format(page_path(), setting.param)
        if asked == st.session_state.get(applied):  # nothing new (a first run without it: None == None)
            continue
        st.session_state[applied] = asked
        if asked is None:
            st.session_state[setting.key] = setting.default
            continue
        try:
            st.session_state[setting.key] = setting.parse(asked)
        except ValueError as error:
            st.error(t("The link's `{param}={value}` cannot be used: {why}. Showing the default instead.",
                       param=setting.param, value=asked, why=error))
            st.session_state[setting.key] = setting.default


def mirror(settings: Iterable[LinkSetting]) -> None:
    """After the widgets: each setting's value into the URL (left out at its default)."""
    for setting in settings:
        value = st.session_state.get(setting.key, setting.default)
        text = None if value == setting.default else setting.text(value)
        if text is None:
            st.query_params.pop(setting.param, None)
        else:
            st.query_params[setting.param] = text
        st.session_state[_APPLIED.format(page_path(), setting.param)] = text


def link_tabs(labels: Sequence[str], ids: Sequence[str], key: str, param: str = "tab") -> Sequence[Any]:
    """`st.tabs` whose open tab follows and fills `?tab=<id>` (the ids stay the same in every language)."""
    labels, ids = list(labels), list(ids)
    shown, before = st.session_state.get(key), st.session_state.get(f"_labels_{key}", [])
    if shown not in labels and shown in before:  # the language changed: the same tab under its new label
        st.session_state[key] = labels[before.index(shown)]
    st.session_state[f"_labels_{key}"] = labels
    setting = LinkSetting(param, key, labels[0], choice(dict(zip(ids, labels))),
                          text=lambda label: ids[labels.index(label)] if label in labels else ids[0])
    follow_link([setting])
    tabs = st.tabs(labels, key=key, on_change="rerun")
    mirror([setting])
    return tabs
