"""A lesson link in a real browser: a new session on the server opened at a link with `hide=sidebar`
shows the linked state and no sidebar, and its copy-link widget gives back an absolute link to it."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest
from playwright.sync_api import expect

from models.analysis import analyse
from tests.e2e.harness import open_page

pytestmark = pytest.mark.e2e

LINK = "/Inspect?model=resnet18&unit=GFLOPs&size=160&tab=charts&hide=sidebar"


def test_a_lesson_link_shows_its_state_without_the_sidebar(server, page):
    open_page(page, server + LINK)
    metrics = page.locator("[data-testid='stMetric']")
    expect(metrics.filter(has_text="Input").first).to_contain_text("160 px", timeout=60_000)
    gflops = 2 * analyse("resnet18", 160).macs / 1e9
    expect(metrics.filter(has_text="Compute (GFLOPs)").first).to_contain_text(f"{gflops:.3g}", timeout=60_000)
    expect(page.get_by_role("tab", name="Charts")).to_have_attribute("aria-selected", "true")
    # no sidebar, and no button to open it
    expect(page.get_by_text("Counting engine")).to_be_hidden()
    for test_id in ("stSidebar", "stExpandSidebarButton", "stSidebarCollapsedControl"):
        expect(page.locator(f"[data-testid='{test_id}']")).to_be_hidden()

    page.get_by_role("button", name="Copy link to this view").click()
    copied = page.locator("[data-testid='stCode']").filter(has_text="/Inspect?").first.inner_text().strip()
    link = urlsplit(copied)
    assert f"{link.scheme}://{link.netloc}" == server and link.path == "/Inspect"  # absolute: the browser's address
    assert dict(parse_qsl(link.query)) == dict(parse_qsl(urlsplit(LINK).query))
