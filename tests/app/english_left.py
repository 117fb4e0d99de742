"""What English is left in a page's text once the names are taken out: the Chinese UI tests' check.

Names stay as published in both languages, so they are removed first, as whole strings built from
the data (networks' names and ids, paper titles, authors, venues, model ids and names, weights
options, layer names, class names, the citations of the edges' evidence (papers' sections and the
course notes' topics, which the data keeps in one language only), and in a Chinese twin of the data the
terms it keeps from its English, such as "Inception" or "MBConv"), never hand-typed copies. What is
left may hold only units, library names and acronyms (`UNITS_AND_LIBRARIES`), code in backticks,
paths and links."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from lineage import load_lineage
from lineage.queries import readable_source, source_parts
from models.analysis import analyse
from models.inside.stages import layers_of
from models.prediction.cam import CAM_METHODS
from models.registry import REGISTRY
from models.weights import weights_options
from ui import i18n

# Units, libraries, file formats and acronyms: written the same in Chinese text.
UNITS_AND_LIBRARIES = frozenset("""
GMACs GFLOPs MMACs MFLOPs MACs MAC FLOPs KiB MiB GiB MB ms px M k B CPU GPU cpu cuda mps auto CUDA
torch fvcore FlopCounterMode FlopCounterMode's meta PyTorch torchvision timm scikit-learn scikit-image Caffe Keras TF
JSON Mermaid GraphML CSV RGB float32 dtype JPEG PNG WebP BMP GIF TIFF safetensors .safetensors .pt .pth
ImageNet ImageNet-1k top-1 top-5 Top-k top-k Grad-CAM CAM SGD softmax ReLU tanh GELU Dropout lr bf16 fp16 autocast
channels_last torch.compile crop_pct bilinear bicubic p90 acc@1 acc@5 Q K V C² pt pth conv
sigmoid swish SiLU h-swish h-sigmoid Streamlit HTML
""".split())

_CODE = re.compile(r"`[^`]*`")
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_DIRECTIVE = re.compile(r":material/[a-z_]+:|:[a-z]+(?:-badge)?\[|<[^>]+>")
_LINK = re.compile(r"(?<!\S)(?:https?://|/)\S+")
_PATH = re.compile(r"\S*[/\\]\S*")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'@²]*(?:[-_.][A-Za-z0-9@²]+)*")
DATA = Path(__file__).resolve().parents[2] / "lineage" / "data"


def _twins(entry: Any) -> Iterator[tuple[str, str]]:
    """Every (English, Chinese) pair of a data file: a field `f` beside its `f_zh`, and a tag's
    description beside its `tags_zh` entry's."""
    if isinstance(entry, dict):
        for key, value in entry.items():
            if isinstance(value, str) and isinstance(entry.get(f"{key}_zh"), str):
                yield value, entry[f"{key}_zh"]
        for tag, description in (entry.get("tags") or {}).items() if "tags_zh" in entry else ():
            yield description, entry["tags_zh"][tag]["description"]
        entry = list(entry.values())
    if isinstance(entry, list):
        for item in entry:
            yield from _twins(item)


@functools.cache
def kept_terms() -> tuple[tuple[str, str], ...]:
    """Each Chinese twin of the data with the Latin words it keeps from its English as published taken
    out ("Inception 模块" → " 模块"; "token" for "tokens"): a word counts as kept where the English has
    it as the start of a word. Longest first; a page's text that holds a twin is checked without them."""
    found: dict[str, str] = {}
    for path in sorted(DATA.glob("*.yaml")):
        for english, chinese in _twins(yaml.safe_load(path.read_text(encoding="utf-8"))):
            kept = [w for w in _WORD.findall(chinese)
                    if re.search(rf"(?<![A-Za-z0-9]){re.escape(w)}", english, re.IGNORECASE)]
            if kept:
                found[chinese] = _whole((*kept, *names())).sub(" ", chinese)
    return tuple(sorted(found.items(), key=lambda pair: len(pair[0]), reverse=True))


@functools.cache
def names() -> tuple[str, ...]:
    """Every published name the pages may show, longest first (so 'ResNet-50' goes before 'ResNet')."""
    graph = load_lineage()
    found: set[str] = set(i18n.LANGUAGES.values()) | {i18n.SWITCH_LABEL} | set(CAM_METHODS)
    for node_id, node in graph.nodes(data=True):
        found |= {node_id, node["name"], node["title"], node["authors"], node["venue"], node["first_author"]}
        authors = [a.strip() for a in re.split(r",| and ", node["authors"]) if a.strip()]
        found |= set(authors) | {a.split()[-1] for a in authors}  # "Simonyan & Zisserman 2014" cites surnames
    found |= set(graph.graph["tags"])  # tag ids are ids (`?tag=connectivity`)
    for edge in graph.edges.values():  # citations of papers' sections and notes' topics: no twin, as written
        papers, topics, _ = source_parts(edge["evidence"])
        found |= {papers, *(topic for topic in topics if not hasattr(topic, "template"))}
    for spec in REGISTRY.values():
        found |= {spec.id, spec.name, spec.builder, spec.source}
        for option in weights_options(spec):
            found |= {option.name, option.provenance, option.dataset, option.license, option.file_name}
            found |= set(option.metrics)
    return tuple(sorted((n for n in found if n), key=len, reverse=True))


@functools.cache
def model_names(model_ids: tuple[str, ...]) -> tuple[str, ...]:
    """The layer names, layer types and stages of these models (what Inspect and Inside list)."""
    found: set[str] = set()
    for model_id in model_ids:
        analysis = analyse(model_id)
        found |= {row.name for row in analysis.layers} | {row.type for row in analysis.layers}
        found |= {stage.name for stage in analysis.stages} | set(layers_of(model_id).offered)
    return tuple(sorted((n for n in found if n), key=len, reverse=True))


@functools.cache
def knowledge() -> tuple[str, ...]:
    """The knowledge base's English texts (summaries, innovations, explanations, labels, sources),
    longest first: while their Chinese twins are missing they fall back to these."""
    graph = load_lineage()
    found: set[str] = set(graph.graph["tags"].values())
    for node in graph.nodes.values():
        found |= {node["summary"]} | {i["name"] for i in node["innovations"]}
    for edge in graph.edges.values():
        found |= {edge["innovation"], edge["explanation"], readable_source(edge["evidence"])}
    for section in ("families", "edge_kinds"):
        for entry in graph.graph[section].values():
            found |= {entry["label"], entry.get("description", "")}
    return tuple(sorted((n for n in found if n), key=len, reverse=True))


@functools.cache
def _whole(strings: tuple[str, ...]) -> re.Pattern:
    """Any of `strings` (longest first) standing on its own, not inside a longer word ('Ma' is an
    author, not a piece of 'MaxPool2d')."""
    alternatives = "|".join(map(re.escape, sorted(set(strings), key=len, reverse=True)))
    return re.compile(rf"(?<![A-Za-z0-9])(?:{alternatives})(?![A-Za-z0-9])")


def english_left(texts: list[str], removed: tuple[str, ...] = ()) -> list[str]:
    """The English words of `texts` once names (and `removed`) are taken out, with the text they were in."""
    left, published = [], _whole((*removed, *names()))
    for text in texts:
        rest = text
        for chinese, without_kept in kept_terms():
            rest = rest.replace(chinese, without_kept) if chinese in rest else rest
        rest = published.sub(" ", _LINK.sub(" ", _CODE.sub(" ", _LINK_TARGET.sub("] ", rest))))
        rest = _PATH.sub(" ", _DIRECTIVE.sub(" ", rest))
        words = [w for w in _WORD.findall(rest) if len(re.sub("[^A-Za-z]", "", w)) > 1 and w not in UNITS_AND_LIBRARIES]
        if words:
            left.append(f"{' '.join(dict.fromkeys(words))}   ← {text[:160]!r}")
    return left
