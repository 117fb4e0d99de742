"""The Chinese UI (`?lang=zh`) on every page's main paths has no English left beyond names, ids,
units and library names; the switch opens, changes and keeps the language; English stays the default.

Each page is checked twice: the chrome (the knowledge's English texts taken out, so a failure names
the interface's own strings), and the whole page, knowledge included (its Chinese twins are required)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from lineage import load_lineage
from models.registry import default_model_for_node
from tests.app.english_left import english_left, knowledge, model_names
from tests.app.helpers import run_page
from tests.app.page_text import page_texts

def _resnet_parents() -> tuple[str, ...]:
    graph = load_lineage()
    return tuple(default_model_for_node(p).id for p in graph.predecessors("resnet"))


# page, query, the models whose layers it lists
MAIN_PATHS = {
    "home": ("app.py", {}, ()),
    "home-network": ("app.py", {"node": "resnet"}, ()),
    "home-edge": ("app.py", {"edge": "vgg>resnet"}, ()),
    "home-path": ("app.py", {"from": "lenet", "to": "shufflenet"}, ()),
    "inspect": ("pages/1_Inspect.py", {"model": "resnet50"}, ("resnet50", *_resnet_parents())),
    "predict": ("pages/2_Predict.py", {"model": "resnet18"}, ()),
    "experiments": ("pages/3_Experiments.py", {"from": "alexnet", "to": "vgg"}, ()),
    "compare": ("pages/4_Compare.py", {"models": "alexnet,vgg16,resnet50"}, ("alexnet", "vgg16", "resnet50")),
    "compare-zoo": ("pages/4_Compare.py", {"models": "alexnet,vgg16", "view": "Zoo"}, ("alexnet", "vgg16")),
    "compare-benchmark": ("pages/4_Compare.py", {"models": "alexnet,vgg16", "view": "Benchmark"}, ()),
    "inside": ("pages/5_Inside.py", {"model": "alexnet"}, ("alexnet",)),
    "tours": ("pages/6_Tour.py", {}, ()),
    "tour-outline": ("pages/6_Tour.py", {"tour": "imagenet"}, ()),
    "tour-step": ("pages/6_Tour.py", {"tour": "imagenet", "step": "2"}, ()),
    "tour-path": ("pages/6_Tour.py", {"from": "lenet", "to": "resnet"}, ()),
}


_texts: dict[str, list[str]] = {}


def zh_texts(case: str) -> list[str]:
    """Every text of the page's run in Chinese (run once per case, shared by its two checks)."""
    if case not in _texts:
        script, query, _ = MAIN_PATHS[case]
        _texts[case] = page_texts(run_page(script, timeout=300, lang="zh", **query))
    return _texts[case]


@pytest.mark.parametrize("case", list(MAIN_PATHS))
def test_the_chrome_is_chinese(case):
    texts = zh_texts(case)
    assert len(texts) > 10  # the page rendered
    left = english_left(texts, (*model_names(MAIN_PATHS[case][2]), *knowledge()))
    assert not left, "\n".join(left)


@pytest.mark.parametrize("case", list(MAIN_PATHS))
def test_the_whole_page_is_chinese(case):
    left = english_left(zh_texts(case), model_names(MAIN_PATHS[case][2]))
    assert not left, "\n".join(left)


def test_a_measured_run_reads_in_chinese(tmp_path, monkeypatch):
    monkeypatch.setenv("LINEAGE_CACHE_DIR", str(tmp_path))
    app = run_page("pages/3_Experiments.py", timeout=300, lang="zh", **{"from": "alexnet", "to": "vgg"})
    app.button(key="experiment_run").click().run(timeout=300)
    assert not app.exception
    assert any(s.value.startswith("**结论（由本次运行计算得出）：** 支持论断：") for s in app.success)
    left = english_left(page_texts(app), knowledge())
    assert not left, "\n".join(left)


def _title(app: AppTest) -> str:
    return app.title[0].value


def test_lang_zh_opens_chinese_the_switch_changes_it_and_it_follows_to_another_page():
    app = run_page("app.py", lang="zh")
    assert _title(app) == "网络谱系浏览器" and app.radio(key="lang_switch").value == "zh"
    app.radio(key="lang_switch").set_value("en").run()
    assert _title(app) == "Lineage Explorer" and "lang" not in app.query_params
    app.radio(key="lang_switch").set_value("zh").run()
    assert _title(app) == "网络谱系浏览器" and app.query_params["lang"] == "zh"
    app.query_params.clear()  # a page link carries no ?lang=: the session keeps the language
    app.switch_page("pages/4_Compare.py").run(timeout=300)
    assert not app.exception
    assert _title(app) == "对比网络" and app.radio(key="lang_switch").value == "zh"
    assert app.query_params["lang"] == "zh"  # written back, so this page's link opens in Chinese too


def test_an_unknown_language_falls_back_to_english_and_says_so():
    app = run_page("app.py", lang="xx")
    assert _title(app) == "Lineage Explorer" and app.radio(key="lang_switch").value == "en"
    assert any("'xx'" in w.value for w in app.warning)


def test_english_stays_the_default():
    app = run_page("app.py")
    assert _title(app) == "Lineage Explorer" and app.radio(key="lang_switch").value == "en"
    assert "lang" not in app.query_params and not app.warning


def test_a_new_link_wins_over_the_sessions_language():
    app = run_page("app.py", lang="zh")
    app.query_params["lang"] = "en"  # the same session opens a link in English
    app.run()
    assert _title(app) == "Lineage Explorer" and app.radio(key="lang_switch").value == "en"


def test_a_tab_link_opens_its_tab_in_either_language_and_the_switch_keeps_it():
    app = run_page("pages/4_Compare.py", timeout=300, lang="zh", models="alexnet,vgg16", view="Zoo")
    assert app.session_state["view"] == "模型动物园"  # the link's tab id, under its Chinese label
    assert any("对数坐标" in text for text in page_texts(app))  # the zoo chart's axis: that tab ran
    app.radio(key="lang_switch").set_value("en").run(timeout=300)
    assert app.session_state["view"] == "Zoo" and app.query_params["view"] == "Zoo"  # same tab, in English
