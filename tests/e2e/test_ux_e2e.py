"""The walkthrough's browser-only bugs: controls hidden in a collapsed sidebar after coming from the
tree, and the details panel's heading scrolled out of view."""

import pytest
from playwright.sync_api import expect

from tests.e2e.harness import open_page, screenshot, wait_idle

pytestmark = pytest.mark.e2e


def test_inspect_opened_from_the_tree_shows_its_controls(server, page):
    open_page(page, f"{server}/?node=resnet")
    page.get_by_role("link", name="Inspect ResNet-50").click()
    page.wait_for_url("**/Inspect?model=resnet50")
    wait_idle(page)
    sidebar = page.locator("[data-testid='stSidebar']")
    expect(sidebar).to_have_attribute("data-collapsed", "false")
    expect(sidebar.get_by_text("Counting engine")).to_be_visible()
    expect(sidebar.get_by_role("link", name="Family tree")).to_be_visible()
    screenshot(page, "ux_inspect_from_tree")


def test_the_details_heading_stays_in_view_when_the_page_scrolls(server, page):
    open_page(page, f"{server}/?node=vit")
    heading = page.get_by_role("heading", name="ViT (2020)")
    heading.wait_for()
    page.mouse.move(640, 120)  # over the title, not the chart
    for _ in range(10):
        page.mouse.wheel(0, 400)
    page.wait_for_timeout(300)
    box = heading.bounding_box()
    assert box is not None and box["y"] >= 0, box
    screenshot(page, "ux_sticky_details")
