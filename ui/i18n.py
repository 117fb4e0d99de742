"""The interface's language: English in the code, Simplified Chinese from a catalogue.

Every user-visible string goes through `t("English text {n}", n=...)`. The English text is the key,
so the code stays readable; `ui/locales/zh/*.yaml` map each key to its Chinese (one file per area of
the app, merged). A library message that carries its own values (a `models.text.Text`) is translated
with `tr(message)`. The language comes from `?lang=zh` (a new link wins, on any page), then from the
sidebar's switch; it is kept in the session across pages and mirrored in the URL so a copied link
opens in the same language.
"""

from __future__ import annotations

import functools
from pathlib import Path

import streamlit as st
import yaml

LANGUAGES = {"en": "English", "zh": "简体中文"}
DEFAULT = "en"
SWITCH_LABEL = "Language / 语言"  # in both languages: whoever cannot read the current one finds it
LOCALES = Path(__file__).parent / "locales"
_STATE_KEY = "lang"  # not a widget key: Streamlit drops a widget's state on another page
_SWITCH_KEY = "lang_switch"
_LINK_KEY = "lang_link"  # the ?lang= value last applied or written: a different one is a new link
_UNKNOWN_KEY = "lang_unknown"  # an unknown ?lang= value, told once


@functools.cache
def catalogue(lang: str) -> dict[str, str]:
    """English text → translation for `lang`, merged from every file of its folder.

    A key given two different translations in two files is an error, not a silent override."""
    merged: dict[str, str] = {}
    for path in sorted((LOCALES / lang).glob("*.yaml")):
        for key, value in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).items():
            if key in merged and merged[key] != value:
                raise ValueError(f"{path}: '{key}' is translated differently in another file")
            merged[key] = value
    return merged


def language() -> str:
    """The session's language: a new `?lang=` link wins (unknown → English), else the switch's value."""
    asked = st.query_params.get("lang")
    if asked is not None and asked != st.session_state.get(_LINK_KEY):
        st.session_state[_LINK_KEY] = asked
        st.session_state[_STATE_KEY] = asked if asked in LANGUAGES else DEFAULT
        if asked not in LANGUAGES:
            st.session_state[_UNKNOWN_KEY] = asked
    return st.session_state.setdefault(_STATE_KEY, DEFAULT)


def translate(text: str, lang: str, **values: object) -> str:
    """`text` in `lang` with `values` filled in; a key without a translation stays English."""
    template = text if lang == DEFAULT else catalogue(lang).get(text, text)
    return template.format(**values) if values else template


def t(text: str, **values: object) -> str:
    """`text` in the session's language, e.g. `t("{n} parameters", n=count)`."""
    return translate(text, language(), **values)


def tr(message: object) -> str:
    """A library's message (or error) in the session's language (see `translate_message`)."""
    return translate_message(message, language())


def translate_message(message: object, lang: str) -> str:
    """A library's message (or error) in `lang`: a `lineage.text.Text` (template + values) is translated
    with its values, themselves translated where they are `Text` too; a plain string (a label read back
    from a disk cache) is translated where it is a key, else stays as it is."""
    if isinstance(message, BaseException) and len(message.args) == 1:
        message = message.args[0]
    template = getattr(message, "template", None)
    if template is None:
        return translate(str(message), lang)
    return translate(template, lang, **{k: translate_message(v, lang) if hasattr(v, "template") else v
                                        for k, v in message.values.items()})


def _mirror(lang: str) -> None:
    """Write the language into the URL (English is the default: no parameter)."""
    if lang == DEFAULT:
        st.query_params.pop("lang", None)
    else:
        st.query_params["lang"] = lang
    st.session_state[_LINK_KEY] = None if lang == DEFAULT else lang


def language_switch() -> None:
    """The sidebar's language radio; the choice is mirrored into `?lang=` for copied links, and an
    unknown `?lang=` gets one line saying English is shown."""
    def chosen() -> None:
        st.session_state[_STATE_KEY] = st.session_state[_SWITCH_KEY]
        _mirror(st.session_state[_STATE_KEY])

    st.session_state[_SWITCH_KEY] = language()
    st.sidebar.radio(SWITCH_LABEL, list(LANGUAGES), format_func=LANGUAGES.__getitem__,
                     key=_SWITCH_KEY, on_change=chosen, horizontal=True)
    if unknown := st.session_state.pop(_UNKNOWN_KEY, None):
        st.warning(f"The link asked for the language '{unknown}', which this app does not have: it is shown in "
                   f"English. · 链接要求的语言 '{unknown}' 不可用，以英文显示（简体中文请用 `?lang=zh`）。")
    _mirror(language())
