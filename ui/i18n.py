"""The interface's language: English in the code, Simplified Chinese from a catalogue.

Every user-visible string goes through `t("English text {n}", n=...)`. The English text is the key,
so the code stays readable; `ui/locales/zh/*.yaml` map each key to its Chinese (one file per area of
the app, merged). The language comes from `?lang=zh` on the first page a session opens, then from
the sidebar's switch; it is kept in the URL so a copied link opens in the same language.
"""

from __future__ import annotations

import functools
from pathlib import Path

import streamlit as st
import yaml

LANGUAGES = {"en": "English", "zh": "简体中文"}
DEFAULT = "en"
LOCALES = Path(__file__).parent / "locales"
_STATE_KEY = "lang"  # not a widget key: Streamlit drops a widget's state on another page
_SWITCH_KEY = "lang_switch"


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
    """The session's language: the switch's value, first seeded from `?lang=` (unknown → English)."""
    if _STATE_KEY not in st.session_state:
        asked = st.query_params.get("lang", DEFAULT)
        st.session_state[_STATE_KEY] = asked if asked in LANGUAGES else DEFAULT
    return st.session_state[_STATE_KEY]


def translate(text: str, lang: str, **values: object) -> str:
    """`text` in `lang` with `values` filled in; a key without a translation stays English."""
    template = text if lang == DEFAULT else catalogue(lang).get(text, text)
    return template.format(**values) if values else template


def t(text: str, **values: object) -> str:
    """`text` in the session's language, e.g. `t("{n} parameters", n=count)`."""
    return translate(text, language(), **values)


def language_switch() -> None:
    """The sidebar's language radio; the choice is mirrored into `?lang=` for copied links."""
    def chosen() -> None:
        st.session_state[_STATE_KEY] = st.session_state[_SWITCH_KEY]

    st.session_state[_SWITCH_KEY] = language()
    st.sidebar.radio("Language / 语言", list(LANGUAGES), format_func=LANGUAGES.__getitem__,
                     key=_SWITCH_KEY, on_change=chosen, horizontal=True)
    lang = language()
    if lang == DEFAULT:
        st.query_params.pop("lang", None)
    else:
        st.query_params["lang"] = lang
