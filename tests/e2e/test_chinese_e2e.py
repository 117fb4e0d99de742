"""The Chinese UI in a real browser: a `?lang=zh` link opens Inside in Chinese, the drawing pad's own
words too, a drawn digit gets its maps, and the sidebar's link to the tree keeps the language."""

import pytest
from playwright.sync_api import expect

from tests.e2e.harness import open_page, wait_idle
from tests.e2e.test_pages_e2e import SEVEN, SIZE

pytestmark = pytest.mark.e2e
PAD_ZH = "canvas[aria-label^='手写板']"


def test_a_chinese_link_opens_inside_in_chinese_and_the_tree_link_keeps_it(server, page):
    open_page(page, f"{server}/Inside?model=lenet5&lang=zh")
    expect(page.get_by_role("heading", name="LeNet-5 的内部")).to_be_visible()
    expect(page.get_by_role("button", name="清除")).to_be_visible()
    pad = page.locator(PAD_ZH)
    box, border = pad.bounding_box(), pad.evaluate("c => c.clientLeft")
    scale = (box["width"] - 2 * border) / SIZE
    start, *rest = [(box["x"] + border + x * scale, box["y"] + border + y * scale) for x, y in SEVEN]
    page.mouse.move(*start)
    page.mouse.down()
    for x, y in rest:
        page.mouse.move(x, y, steps=8)
    page.mouse.up()
    expect(page.get_by_text("c1 — 输出 6×28×28")).to_be_visible(timeout=60_000)
    wait_idle(page)
    page.get_by_role("link", name="家族树").first.click()
    expect(page.get_by_role("heading", name="网络谱系浏览器")).to_be_visible(timeout=60_000)
    wait_idle(page)
    assert "lang=zh" in page.url  # the tree's own link opens in Chinese too
