"""The Compare page in a real browser: a three-model deep link shows the table, and the zoo tab
draws every model with its lineage arrows."""

import pytest

from tests.e2e.harness import open_page, screenshot, wait_idle
from tests.e2e.plotly_points import point_centre, wait_for_points

pytestmark = pytest.mark.e2e


def test_deep_link_table_then_zoo_chart(server, page):
    open_page(page, f"{server}/Compare?models=alexnet,vgg16,resnet50")
    page.locator("[data-testid='stDataFrame']").first.wait_for()
    assert page.get_by_text("AlexNet → VGG → ResNet").first.is_visible()
    screenshot(page, "compare_alexnet_vgg16_resnet50")
    page.get_by_role("tab", name="Zoo").click()
    page.get_by_text("publish an ImageNet-1k top-1").first.wait_for(timeout=300_000)  # a fresh server counts the zoo once
    wait_idle(page)
    wait_for_points(page)
    for node in ("alexnet", "vgg", "resnet"):
        point_centre(page, node)
    assert page.locator(".js-plotly-plot .annotation-arrow-g").count() > 10
    assert "view=Zoo" in page.url
    screenshot(page, "compare_zoo")
