"""The home page in a real browser: click a node, follow a deep link, take a screenshot."""

import pytest

from lineage import load_lineage
from tests.e2e.harness import open_page, screenshot, wait_idle
from tests.e2e.plotly_points import click_point, wait_for_points

pytestmark = pytest.mark.e2e
GRAPH = load_lineage()


def test_click_a_node_shows_its_paper(server, page):
    open_page(page, server)
    wait_for_points(page)
    screenshot(page, "home")
    click_point(page, "alexnet")
    title = GRAPH.nodes["alexnet"]["title"]
    page.get_by_text(title, exact=False).first.wait_for(timeout=30_000)
    wait_idle(page)
    assert "node=alexnet" in page.url


def test_click_an_edge_marker_explains_it(server, page):
    open_page(page, server)
    click_point(page, "vgg>resnet")
    page.get_by_text("VGG → ResNet").first.wait_for(timeout=30_000)


def test_deep_link_opens_on_a_node(server, page):
    open_page(page, f"{server}/?node=resnet")
    page.get_by_text(GRAPH.nodes["resnet"]["title"], exact=False).first.wait_for()
    wait_for_points(page)
    screenshot(page, "home_resnet")


def test_unknown_node_link_shows_an_error(server, page):
    open_page(page, f"{server}/?node=nope")
    page.get_by_text("Unknown network 'nope'", exact=False).first.wait_for()
