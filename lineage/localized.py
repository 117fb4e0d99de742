"""Knowledge in the reader's language: every translatable field `f` of the data file has a Chinese
twin `f_zh` beside it (a node's summary, each innovation's name, an edge's innovation and
explanation, the labels and descriptions of tags, families and edge kinds). Names, titles, authors
and venues stay as published."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

LANGUAGES = ("en", "zh")
# A run of Chinese characters (CJK ideographs): what a Chinese twin must hold.
CHINESE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


def localized(entry: Mapping[str, Any], field: str, lang: str) -> Any:
    """`entry[field]` in `lang`: the field itself in English, its `<field>_<lang>` twin otherwise."""
    return entry[field] if lang == "en" else entry.get(f"{field}_{lang}", entry[field])
