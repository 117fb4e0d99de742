"""Tours: ordered walks through the tree for a lesson, kept in `lineage/data/tours.yaml` and
validated against the graph like the lineage itself (every error names the file, the tour and the
field); and a tour made on the fly from any line of descent A → B."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import networkx as nx
import yaml

from lineage import load_lineage
from lineage.loader import ID_PATTERN, LineageDataError, _check_chinese
from lineage.localized import localized
from lineage.queries import UnknownIdError, UnknownNodeError, path_between

TOURS_FILE = Path(__file__).parent / "data" / "tours.yaml"
EDGE_SEPARATOR = ">"  # as the home page's ?edge=vgg>resnet
TOUR_TEXTS = ("title", "title_zh", "intro", "intro_zh")
STEP_TEXTS = ("note", "note_zh")


@dataclass(frozen=True)
class TourStep:
    """One stop of a tour: an edge (source → target) or, with `source` None, one network."""

    source: str | None
    target: str
    texts: Mapping[str, str]  # the teaching note: note, note_zh (empty for a tour made from a path)

    @property
    def edge(self) -> tuple[str, str] | None:
        return (self.source, self.target) if self.source else None

    def note(self, lang: str) -> str:
        """What the teacher says at this step, in `lang` ('' when the tour has no notes)."""
        return localized(self.texts, "note", lang) if self.texts else ""


@dataclass(frozen=True)
class Tour:
    """A titled, ordered list of steps; `query` is the Tour page's link to it (without the step)."""

    id: str
    texts: Mapping[str, str]  # title, intro and their _zh twins
    steps: tuple[TourStep, ...]
    query: Mapping[str, str]

    def title(self, lang: str) -> str:
        return localized(self.texts, "title", lang)

    def intro(self, lang: str) -> str:
        return localized(self.texts, "intro", lang) if "intro" in self.texts else ""

    def nodes(self) -> list[str]:
        """Every network the tour visits, in the order it first meets them."""
        seen = [n for step in self.steps for n in (step.source, step.target) if n]
        return list(dict.fromkeys(seen))


class UnknownTourError(UnknownIdError):
    """A tour id that is not in the tours file."""

    def __init__(self, tour_id: str, known) -> None:
        super().__init__("tour", tour_id, known)


class NoLineError(ValueError):
    """No line of descent joins the two networks a path tour was asked for (`ancestor`: the latest
    network both descend from, if any; all three are display names)."""

    def __init__(self, start: str, end: str, ancestor: str | None) -> None:
        self.start, self.end, self.ancestor = start, end, ancestor
        reason = "they are the same network" if start == end else "no line of descent connects them"
        shared = f" Both descend from {ancestor}." if ancestor else ""
        super().__init__(f"No tour from {start} to {end}: {reason}.{shared}")


def load_tours(graph: nx.DiGraph, path: Path | str = TOURS_FILE) -> dict[str, Tour]:
    """Read and validate the tours file against `graph`: id → Tour, in the file's order."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise LineageDataError(path, "file", "-", f"cannot be read ({exc.strerror})") from exc
    except yaml.YAMLError as exc:
        raise LineageDataError(path, "file", "-", f"is not valid YAML ({exc})") from exc
    entries = raw.get("tours") if isinstance(raw, dict) else None
    if not isinstance(entries, list) or not entries:
        raise LineageDataError(path, "file", "tours", "must be a non-empty list of tours")
    tours: dict[str, Tour] = {}
    for index, entry in enumerate(entries):
        tour = _tour(path, graph, index, entry)
        if tour.id in tours:
            raise LineageDataError(path, f"tours[{index}] ({tour.id})", "id", f"duplicate tour id '{tour.id}'")
        tours[tour.id] = tour
    return tours


def _tour(path: Path, graph: nx.DiGraph, index: int, entry: Any) -> Tour:
    name = f"tours[{index}]" + (f" ({entry['id']})" if isinstance(entry, dict) and "id" in entry else "")
    if not isinstance(entry, dict):
        raise LineageDataError(path, name, "-", "must be a mapping")
    _check_texts(path, name, entry, ("id", *TOUR_TEXTS), ("steps",))
    if not ID_PATTERN.match(entry["id"]):
        raise LineageDataError(path, name, "id", "must be lowercase letters, digits and hyphens (it is part of a link)")
    steps = entry.get("steps")
    if not isinstance(steps, list) or not steps:
        raise LineageDataError(path, name, "steps", "must be a non-empty list of steps")
    parsed = tuple(_step(path, graph, name, f"steps[{i}]", step) for i, step in enumerate(steps))
    return Tour(entry["id"], _frozen(entry, TOUR_TEXTS), parsed, MappingProxyType({"tour": entry["id"]}))


def _step(path: Path, graph: nx.DiGraph, tour: str, where: str, step: Any) -> TourStep:
    if not isinstance(step, dict):
        raise LineageDataError(path, tour, where, "must be a mapping with an edge (parent>child) or a node, and a note")
    if ("edge" in step) == ("node" in step):
        raise LineageDataError(path, tour, where, "must name exactly one of edge (parent>child) or node")
    kind = "edge" if "edge" in step else "node"
    _check_texts(path, tour, step, (kind, *STEP_TEXTS), (), prefix=f"{where}.")
    field = f"{where}.{kind}"
    if kind == "node":
        _known(path, tour, field, graph, step["node"])
        return TourStep(None, step["node"], _frozen(step, STEP_TEXTS))
    source, separator, target = step["edge"].partition(EDGE_SEPARATOR)
    if not separator or not source or not target:
        raise LineageDataError(path, tour, field, f"'{step['edge']}' must be written parent{EDGE_SEPARATOR}child")
    for end in (source, target):
        _known(path, tour, field, graph, end)
    if not graph.has_edge(source, target):
        raise LineageDataError(path, tour, field, f"the tree has no edge {source} → {target}")
    return TourStep(source, target, _frozen(step, STEP_TEXTS))


def _check_texts(path: Path, entry: str, item: dict, texts: tuple[str, ...], others: tuple[str, ...],
                 prefix: str = "") -> None:
    """Every text present and non-empty, each Chinese twin a translation of its English (as the
    lineage's own twins are checked), and no field the file does not know."""
    for field in (f for f in texts if not f.endswith("_zh")):
        if not isinstance(item.get(field), str) or not item[field].strip():
            raise LineageDataError(path, entry, prefix + field, "is missing (a non-empty text)")
    for field in (f for f in texts if f.endswith("_zh")):
        _check_chinese(path, entry, prefix + field, item.get(field), item[field.removesuffix("_zh")])
    unknown = sorted(set(item) - set(texts) - set(others))
    if unknown:
        raise LineageDataError(path, entry, prefix + unknown[0], "is not a known field")


def _known(path: Path, tour: str, field: str, graph: nx.DiGraph, node_id: str) -> None:
    if node_id not in graph:
        raise LineageDataError(path, tour, field, str(UnknownNodeError(node_id, graph)))


def _frozen(item: dict, fields: tuple[str, ...]) -> Mapping[str, str]:
    return MappingProxyType({field: item[field].strip() for field in fields})


def get_tour(tours: Mapping[str, Tour], tour_id: str) -> Tour:
    """The tour with this id, or UnknownTourError naming the closest ids."""
    if tour_id not in tours:
        raise UnknownTourError(tour_id, tours)
    return tours[tour_id]


def path_tour(graph: nx.DiGraph, start: str, end: str) -> Tour:
    """A tour along the line of descent between two networks (oldest first), one step per edge;
    UnknownNodeError for an unknown id, NoLineError when no line joins them."""
    line = path_between(graph, start, end)
    name = lambda n: graph.nodes[n]["name"]  # noqa: E731
    if not line.steps:
        raise NoLineError(name(start), name(end), name(line.common_ancestor) if line.common_ancestor else None)
    title = f"{name(line.nodes[0])} → {name(line.nodes[-1])}"  # names stay as published in every language
    steps = tuple(TourStep(step.source, step.target, MappingProxyType({})) for step in line.steps)
    texts = MappingProxyType({"title": title, "title_zh": title})
    return Tour("path", texts, steps, MappingProxyType({"from": start, "to": end}))


@lru_cache(maxsize=1)
def bundled_tours() -> dict[str, Tour]:
    """The shipped tours over the bundled lineage, loaded once per process (read-only)."""
    return load_tours(load_lineage())
