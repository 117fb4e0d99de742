"""Knowledge in the reader's language: every translatable field `f` of the data file has a Chinese
twin `f_zh` beside it (a node's summary, each innovation's name, an edge's innovation and
explanation, the labels and descriptions of families and edge kinds); the tags, whose English label
is their key, have theirs in the `tags_zh` section. Names, titles, authors and venues stay as
published."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import networkx as nx

LANGUAGES = ("en", "zh")
# A run of Chinese characters (CJK ideographs): what a Chinese twin must hold, and how a Chinese search
# query splits into words (Chinese has no spaces between words).
CHINESE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


def localized(entry: Mapping[str, Any], field: str, lang: str) -> Any:
    """`entry[field]` in `lang`: the field itself in English, its `<field>_<lang>` twin otherwise
    (the loader requires every twin, so there is no fallback to hide a missing one)."""
    return entry[field] if lang == "en" else entry[f"{field}_{lang}"]


def tag_text(graph: nx.DiGraph, tag: str, lang: str) -> tuple[str, str]:
    """A tag's label and description in `lang` (in English the label is the tag itself)."""
    if lang == "en":
        return tag, graph.graph["tags"][tag]
    entry = graph.graph[f"tags_{lang}"][tag]
    return entry["label"], entry["description"]
