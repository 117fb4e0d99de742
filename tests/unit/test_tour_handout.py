"""The tour handout, parsed: one HTML file with every step, its figures inline and nothing fetched
from anywhere (only the papers are links), in the language asked for."""

from html import unescape
from html.parser import HTMLParser

import pytest
import yaml

from lineage import load_lineage
from lineage.tours import TOURS_FILE, bundled_tours
from models.experiments.runner import run_experiment
from ui.tour_handout import handout_html

TOUR = "mobile"
SHIPPED = {t["id"]: t for t in yaml.safe_load(TOURS_FILE.read_text(encoding="utf-8"))["tours"]}


class Parsed(HTMLParser):
    """Tags with their attributes, the text of each step's heading, and the scripts' and styles' text."""

    def __init__(self, document: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.headings: dict[str, str] = {}
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self._article, self._in = None, None
        self.feed(document)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag == "article":
            self._article = attributes.get("id")
        self._in = tag

    def handle_data(self, data):
        if self._in == "h2" and self._article:
            self.headings[self._article] = self.headings.get(self._article, "") + data
        elif self._in == "script":
            self.scripts.append(data)
        elif self._in == "style":
            self.styles.append(data)

    def handle_endtag(self, tag):
        self._in = None


@pytest.fixture(scope="module")
def handouts(tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LINEAGE_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        verdict = run_experiment("xception", "mobilenet-v1").verdict  # now in this cache
        tour = bundled_tours()[TOUR]
        yield verdict, {lang: handout_html(load_lineage(), tour, lang) for lang in ("en", "zh")}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_step_is_in_the_handout_in_order_with_its_note(handouts, lang):
    _, documents = handouts
    parsed, graph, steps = Parsed(documents[lang]), load_lineage(), SHIPPED[TOUR]["steps"]
    assert list(parsed.headings) == [f"step-{n}" for n in range(1, len(steps) + 1)]
    for number, step in enumerate(steps, start=1):
        source, target = step["edge"].split(">")
        assert f"{graph.nodes[source]['name']} → {graph.nodes[target]['name']}" in parsed.headings[f"step-{number}"]
        assert step["note_zh" if lang == "zh" else "note"].strip() in unescape(documents[lang])
    assert ("第 1 步，共 7 步" in parsed.headings["step-1"]) == (lang == "zh")
    assert ("<html lang=\"zh-Hans\">" in documents[lang]) == (lang == "zh")


def test_nothing_in_the_handout_is_fetched_from_elsewhere(handouts):
    _, documents = handouts
    for document in documents.values():
        parsed = Parsed(document)
        for tag, attributes in parsed.tags:
            assert tag not in ("link", "iframe", "object", "embed", "base"), tag
            assert "src" not in attributes or attributes["src"].startswith("data:"), (tag, attributes)
            if tag == "a":
                assert attributes["href"].startswith("https://")  # the papers, for the reader to follow
        assert all("@import" not in style and "url(" not in style for style in parsed.styles)


def test_the_figures_are_drawn_by_plotly_inlined_once(handouts):
    _, documents = handouts
    parsed = Parsed(documents["en"])
    figures = [a for tag, a in parsed.tags if tag == "div" and "plotly-graph-div" in a.get("class", "")]
    assert {a["id"] for a in figures} >= {"tour-map", "tour-numbers"}
    library = [s for s in parsed.scripts if "Plotly" in s and len(s) > 1_000_000]
    assert len(library) == 1  # plotly.js itself, inline
    assert sum(f"Plotly.newPlot(\"{a['id']}\"" in s or f"getElementById(\"{a['id']}\")" in s
               for a in figures for s in parsed.scripts) >= len(figures)


def test_a_cached_experiment_is_in_the_handout_and_one_not_run_says_so(handouts):
    verdict, documents = handouts
    step_1 = documents["en"].split('id="step-1"')[1].split('id="step-2"')[0]
    assert verdict in unescape(step_1)
    step_2 = documents["en"].split('id="step-2"')[1].split('id="step-3"')[0]  # MobileNet v1 → v2, not run here
    assert "Not run on this server yet" in step_2
