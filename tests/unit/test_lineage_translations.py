"""The knowledge base in Simplified Chinese: every Chinese twin is required and really translated, uses
the glossary's standard terms, keeps the English's numbers, and search finds networks by Chinese words."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from lineage import LineageDataError, load_graph, load_lineage
from lineage.localized import localized, tag_text
from lineage.queries import search
from tests.unit.test_lineage_loader import mutate, write

GLOSSARY = Path(__file__).parents[2] / "lineage" / "data" / "glossary.yaml"

MISSING, COPIED, NOT_STR, NO_CHINESE = "is missing", "copies the English", "must be str", "holds no Chinese"
BAD_CASES = {
    "summary_zh absent": (lambda d: d["nodes"][1].pop("summary_zh"), "nodes[1] (b)", "summary_zh", MISSING),
    "summary_zh empty": (lambda d: d["nodes"][0].update(summary_zh=""), "nodes[0] (a)", "summary_zh", MISSING),
    "summary_zh blank": (
        lambda d: d["nodes"][0].update(summary_zh="  "), "nodes[0] (a)", "summary_zh", MISSING),
    "summary_zh a list": (
        lambda d: d["nodes"][0].update(summary_zh=["一个网络。"]), "nodes[0] (a)", "summary_zh", NOT_STR),
    "summary_zh copied": (
        lambda d: d["nodes"][2].update(summary_zh="A network."), "nodes[2] (c)", "summary_zh", COPIED),
    "summary_zh untranslated": (
        lambda d: d["nodes"][2].update(summary_zh="A net."), "nodes[2] (c)", "summary_zh", NO_CHINESE),
    "name_zh absent": (
        lambda d: d["nodes"][1]["innovations"][0].pop("name_zh"), "nodes[1] (b)", "innovations[0].name_zh", MISSING),
    "name_zh empty": (
        lambda d: d["nodes"][0]["innovations"][0].update(name_zh=""), "nodes[0] (a)", "innovations[0].name_zh", MISSING),
    "name_zh a number": (
        lambda d: d["nodes"][0]["innovations"][0].update(name_zh=3), "nodes[0] (a)", "innovations[0].name_zh", NOT_STR),
    "name_zh copied": (
        lambda d: d["nodes"][0]["innovations"][0].update(name_zh="depth"), "nodes[0] (a)", "innovations[0].name_zh",
        COPIED),
    "second innovation's name_zh absent": (
        lambda d: d["nodes"][2]["innovations"].append({"name": "skip", "tag": "connectivity"}), "nodes[2] (c)",
        "innovations[1].name_zh", MISSING),
    "family label_zh absent": (
        lambda d: d["families"]["early"].pop("label_zh"), "families (early)", "label_zh", MISSING),
    "family description_zh copied": (
        lambda d: d["families"]["early"].update(description_zh="first nets"), "families (early)", "description_zh",
        COPIED),
    "edge kind label_zh absent": (
        lambda d: d["edge_kinds"]["parallel"].pop("label_zh"), "edge_kinds (parallel)", "label_zh", MISSING),
    "edge kind description_zh copied": (
        lambda d: d["edge_kinds"]["documented"].update(description_zh="documented link"), "edge_kinds (documented)",
        "description_zh", COPIED),
    "tags_zh absent": (lambda d: d.pop("tags_zh"), "tags_zh", "tags_zh", "non-empty mapping"),
    "a tag without its Chinese": (
        lambda d: d["tags_zh"].pop("connectivity"), "tags_zh (connectivity)", "label", MISSING),
    "tag label copied": (
        lambda d: d["tags_zh"]["scaling"].update(label="scaling"), "tags_zh (scaling)", "label", COPIED),
    "tag description empty": (
        lambda d: d["tags_zh"]["scaling"].update(description=""), "tags_zh (scaling)", "description", MISSING),
    "tag description copied": (
        lambda d: d["tags_zh"]["scaling"].update(description="bigger models"), "tags_zh (scaling)", "description",
        COPIED),
    "Chinese of an unknown tag": (
        lambda d: d["tags_zh"].update(magic={"label": "魔法", "description": "魔法"}), "tags_zh (magic)", "label",
        "not in the tag vocabulary"),
    "unknown field in a tag's Chinese": (
        lambda d: d["tags_zh"]["scaling"].update(colour="红"), "tags_zh (scaling)", "colour", "not a known field"),
}


@pytest.mark.parametrize("case", BAD_CASES, ids=list(BAD_CASES))
def test_each_missing_empty_or_copied_chinese_field_is_refused_by_name(tmp_path, case):
    change, entry, field, problem = BAD_CASES[case]
    path = write(tmp_path, mutate(change))
    with pytest.raises(LineageDataError) as error:
        load_graph(path)
    assert (error.value.entry, error.value.field) == (entry, field)
    assert problem in error.value.problem
    assert str(path) in str(error.value)


def test_the_chinese_reaches_the_graph(tmp_path):
    graph = load_graph(write(tmp_path, mutate(lambda d: None)))
    assert localized(graph.nodes["a"], "summary", "zh") == "一个网络。"
    assert localized(graph.nodes["a"]["innovations"][0], "name", "zh") == "深度"
    assert localized(graph.graph["families"]["early"], "label", "zh") == "早期"
    assert tag_text(graph, "scaling", "zh") == ("缩放", "更大的模型")
    assert tag_text(graph, "scaling", "en") == ("scaling", "bigger models")


def translated_pairs(graph):
    """(where, English, Chinese) for every field of the bundled file that has a Chinese twin."""
    pairs = []

    def twins(where, entry, *fields):
        pairs.extend((f"{where}.{f}", entry[f], entry[f"{f}_zh"]) for f in fields if f"{f}_zh" in entry)

    for node_id, node in graph.nodes(data=True):
        twins(node_id, node, "summary")
        for index, innovation in enumerate(node["innovations"]):
            twins(f"{node_id}.innovations[{index}]", innovation, "name")
    for u, v, edge in graph.edges(data=True):  # edges: once their Chinese is written (branch zh-edges)
        twins(f"{u} -> {v}", edge, "innovation", "explanation")
    for section in ("families", "edge_kinds"):
        for key, entry in graph.graph[section].items():
            twins(f"{section}.{key}", entry, "label", "description")
    for tag, description in graph.graph["tags"].items():
        label_zh, description_zh = tag_text(graph, tag, "zh")
        pairs += [(f"tags.{tag}", tag, label_zh), (f"tags.{tag}.description", description, description_zh)]
    return pairs


def glossary_misses(pairs, terms):
    """Each (where, English term, renderings) whose English uses the term while its Chinese has none of them."""
    return [(where, term["en"], term["zh"]) for where, english, chinese in pairs for term in terms
            if re.search(term["en"], english, re.IGNORECASE)
            and not any(zh.lower() in chinese.lower() for zh in term["zh"])]


@pytest.fixture(scope="module")
def terms():
    return yaml.safe_load(GLOSSARY.read_text(encoding="utf-8"))["terms"]


def test_the_glossary_check_catches_a_nonstandard_term(terms):
    pairs = [("x", "residual connections and batch normalization", "剩余连接和批量标准化")]
    assert {en for _, en, _ in glossary_misses(pairs, terms)} == {r"\bresidual", r"\bbatch[- ]normali[sz]"}
    assert glossary_misses([("x", "residual connections", "残差连接")], terms) == []


def test_every_translated_field_uses_the_glossary_terms(terms):
    graph = load_lineage()
    pairs = translated_pairs(graph)
    nodes = graph.number_of_nodes()
    assert len(pairs) >= nodes + sum(len(d["innovations"]) for _, d in graph.nodes(data=True))
    used = [p for p in pairs if any(re.search(t["en"], p[1], re.IGNORECASE) for t in terms)]
    assert len(used) > nodes  # the rule really bites: many fields use a glossary term
    assert glossary_misses(pairs, terms) == []


NUMBER = r"\d+(?:,\d{3})*(?:\.\d+)?%?"
ENGLISH_NUMBER = re.compile(rf"(?P<a>{NUMBER})(?:\s+to\s+(?P<b>{NUMBER}))?(?:[\s-]+(?P<scale>million|billion)\b)?")
CHINESE_NUMBER = re.compile(rf"(?P<a>{NUMBER})\s*(?P<scale>亿|万)?")
SCALE = {None: 1, "million": 10**6, "billion": 10**9, "万": 10**4, "亿": 10**8}


def canonical(number: str, scale: str | None) -> str:
    """'60,000' and '60000' read alike, as do '60 million' and '6000 万'; a percentage keeps its sign."""
    percent = "%" if number.endswith("%") else ""
    value = Decimal(number.rstrip("%").replace(",", "")) * SCALE[scale]
    return f"{value.normalize():f}{percent}"


def numbers(text: str, pattern: re.Pattern) -> set[str]:
    """Every number of a text, canonical; in English, 'A to B million' scales both ends."""
    found = set()
    for match in pattern.finditer(text):
        found |= {canonical(match[end], match["scale"]) for end in ("a", "b") if match.groupdict().get(end)}
    return found


def test_numbers_read_alike_in_both_languages():
    assert numbers("60 million parameters and 15.3% error", ENGLISH_NUMBER) == \
        numbers("6000 万个参数，15.3% 的错误率", CHINESE_NUMBER) == {"60000000", "15.3%"}
    assert numbers("about 60,000", ENGLISH_NUMBER) == numbers("约 60000 个", CHINESE_NUMBER) == {"60000"}
    assert numbers("10 to 150 million FLOPs", ENGLISH_NUMBER) == {"10000000", "150000000"}
    assert numbers("1.5 亿", CHINESE_NUMBER) == {"150000000"}
    assert numbers("86-million-parameter", ENGLISH_NUMBER) == {"86000000"}
    assert numbers("15.3%", ENGLISH_NUMBER) != numbers("15.4%", CHINESE_NUMBER)
    assert numbers("3.2%", ENGLISH_NUMBER) != numbers("3.2", CHINESE_NUMBER)


def test_every_number_of_an_english_summary_is_in_its_chinese():
    graph = load_lineage()
    lost = {node_id: sorted(numbers(node["summary"], ENGLISH_NUMBER) - numbers(node["summary_zh"], CHINESE_NUMBER))
            for node_id, node in graph.nodes(data=True)}
    assert {node_id: missing for node_id, missing in lost.items() if missing} == {}
    assert sum(len(numbers(node["summary"], ENGLISH_NUMBER)) for _, node in graph.nodes(data=True)) > 100


@pytest.mark.parametrize("query, expected", [
    ("批归一化", {"bn-inception", "inception-v3", "resnet", "preact-resnet"}),
    ("通道混洗", {"shufflenet", "shufflenet-v2"}),
    ("深度可分离卷积", {"xception", "mobilenet-v1"}),
    ("倒残差", {"mobilenet-v2", "mnasnet"}),
    # Chinese and English words together: every one must match
    ("残差 Inception", {"inception-v4", "inception-resnet", "xception"}),
    ("移位窗口 Swin", {"swin"}),
    ("批归一化 蒸馏", set()),
])
def test_search_finds_networks_by_chinese_words(query, expected):
    assert set(search(load_lineage(), query)) == expected


def test_search_for_residual_in_chinese_finds_the_residual_networks():
    hits = search(load_lineage(), "残差")
    assert {"resnet", "preact-resnet", "stochastic-depth", "wide-resnet", "inception-resnet",
            "mobilenet-v2"} <= set(hits)
    assert "lenet" not in hits and "vgg" not in hits
