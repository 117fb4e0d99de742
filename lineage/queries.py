"""Questions a user asks of the tree, answered with networkx on the validated graph."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

import networkx as nx

from lineage.localized import CHINESE, localized
from lineage.text import Text


class UnknownIdError(KeyError):
    """An id nobody knows; the message names what it is and suggests the closest known ids."""

    def __init__(self, what: str, value: str, known) -> None:
        close = difflib.get_close_matches(str(value).lower(), list(known), n=3)
        hint = Text(" Did you mean {close}?", close=", ".join(close)) if close else ""
        super().__init__(Text("Unknown {what} '{value}'.{hint}", what=Text(what), value=value, hint=hint))

    def __str__(self) -> str:  # KeyError would otherwise print the message in quotes
        return self.args[0]


class UnknownNodeError(UnknownIdError):
    """A node id that is not in the lineage."""

    def __init__(self, node_id: str, graph: nx.DiGraph) -> None:
        super().__init__("network", node_id, graph.nodes)
        self.node_id = node_id


@dataclass(frozen=True)
class Step:
    """One edge along a path: the parent, the child and what the child introduced."""

    source: str
    target: str
    innovation: str
    explanation: str


@dataclass(frozen=True)
class LineagePath:
    """A chain of descent between two nodes (empty `steps` when none exists)."""

    start: str
    end: str
    nodes: tuple[str, ...]
    steps: tuple[Step, ...]
    common_ancestor: str | None = None

    @property
    def found(self) -> bool:
        return bool(self.nodes)


def matching_id(value: str, known) -> str:
    """The known id that `value` names, ignoring case and surrounding spaces (a link typed as
    `?node=ResNet`); `value` itself when none matches, so the caller's error names what was asked."""
    wanted = str(value).strip().lower()
    return next((k for k in known if str(k).lower() == wanted), value)


def require_node(graph: nx.DiGraph, node_id: str) -> dict[str, Any]:
    """Return a node's attributes or raise UnknownNodeError with suggestions."""
    if node_id not in graph:
        raise UnknownNodeError(node_id, graph)
    return graph.nodes[node_id]


def ancestors(graph: nx.DiGraph, node_id: str) -> list[str]:
    """Every network this one descends from, oldest first."""
    require_node(graph, node_id)
    return chronological(graph, nx.ancestors(graph, node_id))


def descendants(graph: nx.DiGraph, node_id: str) -> list[str]:
    """Every network that descends from this one, oldest first."""
    require_node(graph, node_id)
    return chronological(graph, nx.descendants(graph, node_id))


def generations(graph: nx.DiGraph, node_ids) -> list[list[str]]:
    """The nodes in generations of descent among themselves (each only after all its parents in the
    set), oldest first within one: a DAG's layers, not one chain."""
    return [chronological(graph, layer) for layer in nx.topological_generations(graph.subgraph(node_ids))]


def chronological(graph: nx.DiGraph, node_ids) -> list[str]:
    """Sort node ids by year, then by name, so every listing is stable."""
    return sorted(node_ids, key=lambda n: (graph.nodes[n]["year"], graph.nodes[n]["name"]))


def path_between(graph: nx.DiGraph, start: str, end: str) -> LineagePath:
    """The shortest line of descent from `start` to `end` (either direction) with its steps.

    When neither descends from the other the path is empty and `common_ancestor` names the
    most recent network both descend from, if any.
    """
    require_node(graph, start)
    require_node(graph, end)
    for source, target in ((start, end), (end, start)):
        if nx.has_path(graph, source, target):
            nodes = tuple(nx.shortest_path(graph, source, target))
            steps = tuple(_step(graph, u, v) for u, v in zip(nodes, nodes[1:]))
            return LineagePath(start, end, nodes, steps)
    shared = nx.ancestors(graph, start) & nx.ancestors(graph, end)
    latest = chronological(graph, shared)[-1] if shared else None
    return LineagePath(start, end, (), (), latest)


def _step(graph: nx.DiGraph, source: str, target: str) -> Step:
    edge = graph.edges[source, target]
    return Step(source, target, edge["innovation"], edge["explanation"])


def parents(graph: nx.DiGraph, node_id: str) -> list[dict[str, Any]]:
    """Incoming edges of a node (the edge attributes), oldest parent first."""
    require_node(graph, node_id)
    return [graph.edges[p, node_id] for p in chronological(graph, graph.predecessors(node_id))]


def children(graph: nx.DiGraph, node_id: str) -> list[dict[str, Any]]:
    """Outgoing edges of a node (the edge attributes), oldest child first."""
    require_node(graph, node_id)
    return [graph.edges[node_id, c] for c in chronological(graph, graph.successors(node_id))]


def nodes_by_tag(graph: nx.DiGraph, tag: str) -> list[str]:
    """Networks that introduced an innovation of this tag, on the node or on an incoming edge."""
    if tag not in graph.graph["tags"]:
        known = ", ".join(graph.graph["tags"])
        raise KeyError(f"Unknown tag '{tag}'. Known tags: {known}.")
    hits = {n for n, data in graph.nodes(data=True) if any(i["tag"] == tag for i in data["innovations"])}
    hits |= {v for _, v, data in graph.edges(data=True) if data["tag"] == tag}
    return chronological(graph, hits)


def edges_by_tag(graph: nx.DiGraph, tag: str) -> list[tuple[str, str]]:
    """Edges whose innovation carries this tag."""
    return [(u, v) for u, v, data in graph.edges(data=True) if data["tag"] == tag]


SHORT_TERM = 2  # a query word this short ("He", "v3") must be a whole word, not the start of one


def words(text: str) -> list[str]:
    """Lower-case words and numbers of a text, with × read as x (so "1×1" and "1x1" are one word)."""
    return re.findall(r"[a-z0-9]+", text.lower().replace("×", "x"))


def search(graph: nx.DiGraph, text: str) -> list[str]:
    """Networks whose name, title, authors, summary or innovations, in English or Chinese, hold every
    word of `text`, each as the start of a word ("resid" finds residual; "He" only the word He),
    case-insensitive; the words run together count too ("mobile net" finds MobileNet). A Chinese word
    (a run of characters: "残差", "批归一化") may stand anywhere, as Chinese has no spaces."""
    terms, chinese_terms = words(text), CHINESE.findall(text)
    if not terms and not chinese_terms:
        return []

    def matches(term: str, vocabulary: list[str]) -> bool:
        return term in vocabulary if len(term) <= SHORT_TERM else any(w.startswith(term) for w in vocabulary)

    def found(data: dict[str, Any]) -> bool:
        text = " ".join([data["id"], data["name"], data["title"], data["authors"], data["summary"],
                         data["summary_zh"], *(i[k] for i in data["innovations"] for k in ("name", "name_zh"))])
        vocabulary = words(text)
        latin = all(matches(t, vocabulary) for t in terms) or matches("".join(terms), vocabulary)
        return latin and all(t in text for t in chinese_terms)

    return chronological(graph, (n for n, d in graph.nodes(data=True) if found(d)))


def timeline(graph: nx.DiGraph, lang: str = "en") -> list[dict[str, Any]]:
    """One row per network in order of appearance: year, name, venue, headline innovation (in `lang`)."""
    return [
        {
            "year": graph.nodes[n]["year"],
            "id": n,
            "name": graph.nodes[n]["name"],
            "innovation": headline(graph, n, lang),
            "venue": graph.nodes[n]["venue"],
            "first_author": graph.nodes[n]["first_author"],
        }
        for n in chronological(graph, graph.nodes)
    ]


def innovations_table(graph: nx.DiGraph, lang: str = "en") -> list[dict[str, Any]]:
    """One row per edge, in the order the children appeared: what each step introduced (in `lang`)."""
    order = {n: i for i, n in enumerate(chronological(graph, graph.nodes))}
    return [
        {
            "year": graph.nodes[v]["year"],
            "parent": graph.nodes[u]["name"],
            "child": graph.nodes[v]["name"],
            "innovation": localized(data, "innovation", lang),
            "tag": data["tag"],
            "source": readable_source(data["evidence"]),
        }
        for u, v, data in sorted(graph.edges(data=True), key=lambda e: (order[e[1]], order[e[0]]))
    ]


def headline(graph: nx.DiGraph, node_id: str, lang: str = "en") -> str:
    """The innovation a node is best known for (the first one listed in the data file), in `lang`."""
    return localized(graph.nodes[node_id]["innovations"][0], "name", lang)


# A mention of the course notes in an edge's evidence: "seed 000_88fd….txt (topic)" or
# "seeds 001_….txt and 004_….txt (topic)". File 000 holds the mermaid drawing of the lineage.
_SEED_MENTION = re.compile(r"seeds? (?P<files>\S+\.txt(?: and \S+\.txt)*)(?: \((?P<topic>[^()]*)\))?")


def source_parts(evidence: str) -> tuple[str, list[str], bool]:
    """An edge's evidence split for readers: the papers' citations, the course notes' topics (the
    lineage drawing as a `Text`) and whether the notes are cited at all, without their file names."""
    topics: list[str] = []
    for match in _SEED_MENTION.finditer(evidence):
        topic = (match["topic"] or "").replace("mermaid lineage", "").strip(" ;")
        if match["files"].startswith("000_") or match["topic"] and "mermaid lineage" in match["topic"]:
            topics.append(Text("the lineage drawing"))
        topics += [topic] if topic else []
    papers = "; ".join(part.strip(" ,;") for part in _SEED_MENTION.sub(";", evidence).split(";")
                       if part.strip(" ,;"))
    return papers, topics, _SEED_MENTION.search(evidence) is not None


def readable_source(evidence: str) -> str:
    """An edge's evidence as a reader should see it: the paper (section) first, then what the
    course notes say. A `Text`: the words this adds ("the course notes", "the lineage drawing")
    translate; the citations and the notes' topics stay as written (the data has no twin for them)."""
    papers, topics, seeds = source_parts(evidence)
    named = {f"topic{i}": topic for i, topic in enumerate(topics)}
    notes = (Text("the course notes: {topics}", topics=Text("; ".join(f"{{{k}}}" for k in named), **named))
             if topics else Text("the course notes") if seeds else "")
    parts = {k: v for k, v in (("papers", papers), ("notes", notes)) if v}
    return Text(" · ".join(f"{{{k}}}" for k in parts), **parts)
