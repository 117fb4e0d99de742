"""Knowledge in the reader's language: every translatable field `f` of the data file has a Chinese
twin `f_zh` beside it (a node's summary, each innovation's name, an edge's innovation and
explanation, the labels and descriptions of tags, families and edge kinds). Names, titles, authors
and venues stay as published."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

LANGUAGES = ("en", "zh")


def localized(entry: Mapping[str, Any], field: str, lang: str) -> Any:
    """`entry[field]` in `lang`: the field itself in English, its `<field>_<lang>` twin otherwise."""
    return entry[field] if lang == "en" else entry.get(f"{field}_{lang}", entry[field])


def tag_description(graph: Any, tag: str, lang: str) -> str:
    """What an innovation tag means, in `lang`: the data file's `tags` section, or its `tags_<lang>`
    twin section where that has the tag (tags are plain strings, so their twins are a section)."""
    english = graph.graph["tags"][tag]
    return english if lang == "en" else graph.graph.get(f"tags_{lang}", {}).get(tag, english)
