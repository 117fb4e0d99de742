"""Presenter mode on the Tour page in a real browser, at a projector's 1024×768 (in English and in
Chinese) and at 1920×1080: Streamlit's chrome and the sidebar hidden, large type, nothing cut off or
overlapping, and the → key advancing the step (← going back); then the handout downloaded from the
page. Screenshots go to tests/e2e/artifacts and docs/screenshots."""

import shutil

import pytest

from tests.e2e.harness import ROOT, open_page, screenshot, wait_idle

pytestmark = pytest.mark.e2e

STEP_4, STEP_5 = "NiN → GoogLeNet", "GoogLeNet → BN-Inception"  # lineage/data/tours.yaml, tour imagenet
PARTS = {  # what a class must see whole: the step's headline, its counter, ← / →, and the numbers
    "headline": ".st-key-tour_headline h2",
    "counter": ".st-key-tour_counter [data-testid='stMarkdownContainer']",
    "previous": ".st-key-tour_prev button",
    "next": ".st-key-tour_next button",
    "numbers": ".st-key-tour_numbers [data-testid='stTable']",
}
# A box's overflow beyond its own width (an ellipsis, a label clipped by its button) counts as cut off.
CLIPPED = "e => [e, ...e.querySelectorAll('*')].some(x => x.scrollWidth > x.clientWidth + 1 && " \
          "getComputedStyle(x).overflowX !== 'visible')"


COUNTER_5 = {"en": "Step 5 of 9", "zh": "第 5 步，共 9 步"}  # ui/locales/zh/tours.yaml


@pytest.fixture(params=[(1024, 768, "en"), (1920, 1080, "en"), (1024, 768, "zh")],
                ids=["1024x768", "1920x1080", "1024x768-zh"])
def projector(request, browser):
    width, height, lang = request.param
    context = browser.new_context(viewport={"width": width, "height": height})
    tab = context.new_page()
    tab.set_default_timeout(60_000)
    yield tab, width, lang
    context.close()


def boxes(page) -> dict[str, dict]:
    return {name: page.locator(selector).first.bounding_box() for name, selector in PARTS.items()}


def overlap(a: dict, b: dict) -> float:
    width = min(a["x"] + a["width"], b["x"] + b["width"]) - max(a["x"], b["x"])
    height = min(a["y"] + a["height"], b["y"] + b["height"]) - max(a["y"], b["y"])
    return max(width, 0) * max(height, 0)


def headline(page) -> str:
    return page.locator(PARTS["headline"]).inner_text()


def test_presenter_mode_reads_whole_and_the_arrow_keys_walk_the_tour(server, projector):
    page, width, lang = projector
    open_page(page, f"{server}/Tour?tour=imagenet&step=4&present=1&lang={lang}")
    page.locator(PARTS["numbers"]).wait_for(timeout=240_000)  # the first count on a fresh server loads torch
    wait_idle(page, 120_000)
    assert headline(page) == STEP_4

    for chrome in ("stSidebar", "stHeader", "stToolbar"):
        assert not page.locator(f"[data-testid='{chrome}']").is_visible(), chrome
    assert float(page.evaluate("getComputedStyle(document.documentElement).fontSize")[:-2]) >= 20

    assert page.evaluate("document.documentElement.scrollWidth") <= width
    main = page.locator("[data-testid='stMain']")
    assert main.evaluate("e => e.scrollWidth <= e.clientWidth"), "the page scrolls sideways"
    found = boxes(page)
    for name, box in found.items():
        assert box is not None, name
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"{name} sticks out of the window: {box}"
        assert not page.locator(PARTS[name]).first.evaluate(CLIPPED), f"{name} is cut off"
    names = list(found)
    for i, first in enumerate(names):
        for second in names[i + 1:]:
            assert overlap(found[first], found[second]) == 0, f"{first} overlaps {second}"

    shot = screenshot(page, f"tour_present_{width}_{lang}")
    if width == 1920:
        shutil.copy(shot, ROOT / "docs" / "screenshots" / "tour_present.png")

    page.locator(PARTS["headline"]).click()  # the page, not a widget, has the focus
    page.keyboard.press("ArrowRight")
    page.wait_for_function(f"h => document.querySelector(h)?.innerText === '{STEP_5}'", arg=PARTS["headline"],
                           timeout=120_000)
    wait_idle(page, 120_000)
    assert "step=5" in page.url and COUNTER_5[lang] in page.locator(PARTS["counter"]).inner_text()
    page.keyboard.press("ArrowLeft")
    page.wait_for_function(f"h => document.querySelector(h)?.innerText === '{STEP_4}'", arg=PARTS["headline"],
                           timeout=120_000)


def test_the_handout_downloads_from_the_page_as_one_offline_file(server, page, tmp_path):
    open_page(page, f"{server}/Tour?tour=mobile&step=1")
    button = page.get_by_role("button", name="Download the tour as one HTML file")
    button.wait_for(timeout=240_000)
    with page.expect_download(timeout=240_000) as download:  # made on click, on Streamlit's download thread
        button.click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.name == "tour-mobile-en.html"
    document = path.read_text(encoding="utf-8")
    assert document.count('<article class="step"') == 7 and "ShuffleNet → ShuffleNet v2" in document
    assert "<script src" not in document and "<link" not in document
