"""The home page in a real browser: click a node, follow a deep link, take a screenshot."""

import pytest

from lineage import load_lineage
from tests.e2e.harness import open_page, screenshot, wait_idle
from tests.e2e.plotly_points import click_point, label_overlaps, wait_for_points

pytestmark = pytest.mark.e2e
GRAPH = load_lineage()


def test_click_a_node_shows_its_paper_beside_the_tree(server, page):
    open_page(page, server)
    wait_for_points(page)
    screenshot(page, "home")
    click_point(page, "alexnet")
    title = page.get_by_text(GRAPH.nodes["alexnet"]["title"], exact=False).first
    title.wait_for(timeout=30_000)
    wait_idle(page)
    assert "node=alexnet" in page.url
    box, chart = title.bounding_box(), page.locator(".js-plotly-plot").bounding_box()
    assert box["x"] > chart["x"] + chart["width"] and box["y"] + box["height"] < 800  # seen without scrolling


def test_a_second_click_moves_the_selection_and_a_click_on_it_again_clears_it(server, page):
    open_page(page, f"{server}/?node=vgg")
    click_point(page, "resnet")
    page.get_by_text(GRAPH.nodes["resnet"]["title"], exact=False).first.wait_for(timeout=30_000)
    wait_idle(page)
    assert "node=resnet" in page.url
    assert page.get_by_text(GRAPH.nodes["vgg"]["title"], exact=False).count() == 0
    # plotly draws the clicked point selected: exactly one enlarged node marker, at ResNet
    sizes = page.evaluate("""() => [...document.querySelectorAll('.js-plotly-plot .scatterlayer .point')]
        .map(p => p.getBBox().width)""")
    assert sum(size > 25 for size in sizes) == 1
    page.wait_for_timeout(600)  # beyond plotly's double-click window
    click_point(page, "resnet")  # plotly toggles a selected point off; the details follow
    page.get_by_text("Click a network in the tree").wait_for(timeout=30_000)
    wait_idle(page)
    assert "node=" not in page.url


@pytest.mark.parametrize("width", [1280, 420])
def test_labels_never_overlap_and_a_narrow_window_scrolls_the_tree(server, browser, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    open_page(page, server)
    labels, overlaps = label_overlaps(page)
    assert labels == GRAPH.number_of_nodes() and overlaps == []
    scroll_width, client_width = page.evaluate(
        "() => { const s = document.querySelector('.st-key-tree'); return [s.scrollWidth, s.clientWidth]; }")
    assert (scroll_width > client_width) == (width < 800)
    if width < 800:
        screenshot(page, "home_narrow")
    context.close()


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
