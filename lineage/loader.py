"""Load the lineage data file and validate it into a networkx DiGraph.

Every validation error names the file, the entry and the field, so whoever edits the YAML
can fix it without reading this code.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import networkx as nx
import yaml

from lineage.localized import CHINESE

DATA_FILE = Path(__file__).parent / "data" / "lineage.yaml"
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's: ten times faster on a first visit

NODE_FIELDS: dict[str, type] = {
    "id": str,
    "name": str,
    "year": int,
    "title": str,
    "first_author": str,
    "authors": str,
    "venue": str,
    "url": str,
    "family": str,
    "summary": str,
    "summary_zh": str,
    "innovations": list,
}
EDGE_FIELDS: dict[str, type] = {
    "source": str,
    "target": str,
    "innovation": str,
    "innovation_zh": str,
    "tag": str,
    "explanation": str,
    "explanation_zh": str,
    "evidence": str,
    "spine": bool,
    "kind": str,
}
# What an edge claims: the child paper builds on the parent (documented), the notes' own teaching
# link (conceptual), or contemporaneous work citing each other (parallel). The figure draws by these.
EDGE_KINDS = ("documented", "conceptual", "parallel")
# A documented edge's evidence must name a paper and a place in it, e.g. "He et al. 2015, Sec. 4.1",
# "Tan & Le 2019, Sec. 4", "Xie et al. 2016, Table 1", "Chollet 2016, abstract".
PAPER_SECTION = re.compile(
    r"[A-Z][\w'’-]+(?: et al\.| (?:&|and) [A-Z][\w'’-]+)? (?:19|20)\d\d[a-z]?, "
    r"(?:Secs?\. ?\d|§ ?\d|Table \d|Fig\. ?\d|abstract)"
)
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
URL_PATTERN = re.compile(r"^https?://\S+$")


class LineageDataError(ValueError):
    """The data file is malformed; the message names the file, the entry and the field."""

    def __init__(self, path: Path | str, entry: str, field: str, problem: str) -> None:
        self.path, self.entry, self.field, self.problem = str(path), entry, field, problem
        super().__init__(f"{path}: {entry}: field '{field}': {problem}")


def load_graph(path: Path | str = DATA_FILE) -> nx.DiGraph:
    """Read, validate and return the lineage as a DiGraph with node and edge attributes."""
    path = Path(path)
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER)
    except OSError as exc:
        raise LineageDataError(path, "file", "-", f"cannot be read ({exc.strerror})") from exc
    except yaml.YAMLError as exc:
        raise LineageDataError(path, "file", "-", f"is not valid YAML ({exc})") from exc
    if not isinstance(raw, dict):
        raise LineageDataError(path, "file", "-", "must be a mapping with tags, families, nodes, edges")
    return _build_graph(path, raw)


def _build_graph(path: Path, raw: dict[str, Any]) -> nx.DiGraph:
    tags = _mapping_section(path, raw, "tags")
    tags_zh = _tags_zh_section(path, raw, tags)
    families = _described_section(path, raw, "families")
    edge_kinds = _edge_kinds_section(path, raw)
    graph = nx.DiGraph(tags=tags, tags_zh=tags_zh, families=families, edge_kinds=edge_kinds)
    for index, node in enumerate(_list_section(path, raw, "nodes")):
        entry = _entry_name(node, "nodes", index, "id")
        _check_fields(path, entry, node, NODE_FIELDS)
        _check_chinese(path, entry, "summary_zh", node["summary_zh"], node["summary"])
        _check_node(path, entry, node, tags, families)
        if node["id"] in graph:
            raise LineageDataError(path, entry, "id", f"duplicate id '{node['id']}'")
        graph.add_node(node["id"], **node)
    for index, edge in enumerate(_list_section(path, raw, "edges")):
        entry = _entry_name(edge, "edges", index, "source", "target")
        _check_fields(path, entry, edge, EDGE_FIELDS)
        for field in ("innovation", "explanation"):
            _check_chinese(path, entry, f"{field}_zh", edge[f"{field}_zh"], edge[field])
        for end in ("source", "target"):
            if edge[end] not in graph:
                raise LineageDataError(path, entry, end, f"unknown node id '{edge[end]}'")
        if edge["tag"] not in tags:
            raise LineageDataError(path, entry, "tag", f"'{edge['tag']}' is not in the tag vocabulary")
        _check_kind(path, entry, edge)
        if graph.has_edge(edge["source"], edge["target"]):
            raise LineageDataError(path, entry, "source", "duplicate edge")
        graph.add_edge(edge["source"], edge["target"], **edge)
    if not nx.is_directed_acyclic_graph(graph):
        cycle = " -> ".join(u for u, _ in nx.find_cycle(graph))
        raise LineageDataError(path, "edges", "target", f"the edges form a cycle: {cycle}")
    return graph


def _mapping_section(path: Path, raw: dict[str, Any], key: str) -> dict[str, Any]:
    section = raw.get(key)
    if not isinstance(section, dict) or not section:
        raise LineageDataError(path, key, key, "must be a non-empty mapping")
    return section


def _described_section(path: Path, raw: dict[str, Any], key: str) -> dict[str, Any]:
    """A mapping whose entries each carry a label and a description, and their Chinese twins."""
    section = _mapping_section(path, raw, key)
    for name, entry in section.items():
        where = f"{key} ({name})"
        if not isinstance(entry, dict) or not all(isinstance(entry.get(k), str) for k in ("label", "description")):
            raise LineageDataError(path, where, "label", "must be a mapping with a label and a description")
        for field in ("label", "description"):
            _check_chinese(path, where, f"{field}_zh", entry.get(f"{field}_zh"), entry[field])
    return section


def _edge_kinds_section(path: Path, raw: dict[str, Any]) -> dict[str, Any]:
    section = _described_section(path, raw, "edge_kinds")
    if set(section) != set(EDGE_KINDS):
        raise LineageDataError(path, "edge_kinds", "edge_kinds", f"must define exactly {', '.join(EDGE_KINDS)}")
    return {kind: section[kind] for kind in EDGE_KINDS}


def _tags_zh_section(path: Path, raw: dict[str, Any], tags: dict[str, Any]) -> dict[str, Any]:
    """The tag vocabulary in Chinese: each tag (its key is its English label) → {label, description}."""
    section = _mapping_section(path, raw, "tags_zh")
    strangers = sorted(section.keys() - tags.keys())
    if strangers:
        raise LineageDataError(path, f"tags_zh ({strangers[0]})", "label",
                               f"'{strangers[0]}' is not in the tag vocabulary")
    for tag, description in tags.items():
        where, entry = f"tags_zh ({tag})", section.get(tag)
        if not isinstance(entry, dict):
            raise LineageDataError(path, where, "label", "is missing: every tag needs a Chinese label and description")
        _check_chinese(path, where, "label", entry.get("label"), tag)
        _check_chinese(path, where, "description", entry.get("description"), description)
        unknown = sorted(set(entry) - {"label", "description"})
        if unknown:
            raise LineageDataError(path, where, unknown[0], "is not a known field")
    return section


def _list_section(path: Path, raw: dict[str, Any], key: str) -> list[dict[str, Any]]:
    section = raw.get(key)
    if not isinstance(section, list) or not section:
        raise LineageDataError(path, key, key, "must be a non-empty list")
    for index, item in enumerate(section):
        if not isinstance(item, dict):
            raise LineageDataError(path, f"{key}[{index}]", "-", "must be a mapping")
    return section


def _entry_name(item: dict[str, Any], section: str, index: int, *keys: str) -> str:
    label = " -> ".join(str(item[k]) for k in keys if k in item)
    return f"{section}[{index}]" + (f" ({label})" if label else "")


def _check_fields(path: Path, entry: str, item: dict[str, Any], fields: dict[str, type]) -> None:
    for field, kind in fields.items():
        if field not in item or item[field] is None or item[field] == "":
            raise LineageDataError(path, entry, field, "is missing")
        value = item[field]
        # bool is a subclass of int: a year of `true` must not pass as an int.
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise LineageDataError(path, entry, field, f"must be {kind.__name__}, got {value!r}")
    unknown = sorted(set(item) - set(fields))
    if unknown:
        raise LineageDataError(path, entry, unknown[0], "is not a known field")


def _check_chinese(path: Path, entry: str, field: str, value: Any, english: Any) -> None:
    """A Chinese twin is present, a string, holds Chinese and is not its English copied."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise LineageDataError(path, entry, field, "is missing (the Chinese of the English beside it)")
    if not isinstance(value, str):
        raise LineageDataError(path, entry, field, f"must be str, got {value!r}")
    if value.strip() == str(english).strip():
        raise LineageDataError(path, entry, field, f"copies the English '{english}'; translate it")
    if not CHINESE.search(value):
        raise LineageDataError(path, entry, field, f"holds no Chinese: '{value}'; translate it")


def _check_kind(path: Path, entry: str, edge: dict[str, Any]) -> None:
    if edge["kind"] not in EDGE_KINDS:
        raise LineageDataError(path, entry, "kind", f"'{edge['kind']}' is not one of {', '.join(EDGE_KINDS)}")
    if edge["kind"] == "documented" and not PAPER_SECTION.search(edge["evidence"]):
        raise LineageDataError(path, entry, "evidence",
                               "a documented edge must name a paper and its section, e.g. 'He et al. 2015, Sec. 4.1'")


def _check_node(path: Path, entry: str, node: dict[str, Any], tags: dict, families: dict) -> None:
    if not ID_PATTERN.match(node["id"]):
        raise LineageDataError(path, entry, "id", "must be lowercase letters, digits and hyphens")
    if not 1940 <= node["year"] <= 2100:
        raise LineageDataError(path, entry, "year", f"{node['year']} is not a plausible year")
    if not URL_PATTERN.match(node["url"]):
        raise LineageDataError(path, entry, "url", f"'{node['url']}' is not an http(s) link")
    if node["family"] not in families:
        raise LineageDataError(path, entry, "family", f"'{node['family']}' is not a known family")
    if not node["innovations"]:
        raise LineageDataError(path, entry, "innovations", "must list at least one innovation")
    for index, innovation in enumerate(node["innovations"]):
        where = f"innovations[{index}]"
        if not isinstance(innovation, dict) or not innovation.get("name"):
            raise LineageDataError(path, entry, where, "must be a mapping with a name and a tag")
        _check_chinese(path, entry, f"{where}.name_zh", innovation.get("name_zh"), innovation["name"])
        if innovation.get("tag") not in tags:
            raise LineageDataError(
                path, entry, where, f"tag '{innovation.get('tag')}' is not in the tag vocabulary"
            )
