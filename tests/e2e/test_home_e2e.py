"""The home page in a real browser: click a node, follow a deep link, the tree's geometry as drawn,
labels at two widths and in highlight and path modes, touch on a phone."""

import pytest

from lineage import load_lineage
from lineage.figure import LIT_TRACE, tree_figure
from lineage.layout_store import stored_layout
from tests.e2e.harness import open_page, screenshot, wait_idle
from tests.e2e.plotly_points import (click_point, label_overlaps, lines_near_nodes, point_centre, swipe,
                                     wait_for_points)

pytestmark = pytest.mark.e2e
GRAPH = load_lineage()
LAYOUT = stored_layout(GRAPH)


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
    sizes = page.evaluate("""() => [...document.querySelectorAll('.js-plotly-plot .scatterlayer .trace')]
        .filter(t => t.querySelector('.textpoint')).flatMap(t => [...t.querySelectorAll('.point')])
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
    assert page.locator(".tree-scroll-cue").is_visible() == (width < 800)  # a cut-off tree says it scrolls
    if width < 800:
        screenshot(page, "home_narrow")
    context.close()


@pytest.mark.parametrize("query", ["", "?tag=attention", "?tag=connectivity", "?from=lenet&to=shufflenet",
                                   "?node=resnet"])
def test_no_line_passes_by_a_node_it_does_not_connect_and_edge_labels_leave_node_labels_free(server, page, query):
    open_page(page, f"{server}/{query}")
    labels, overlaps = label_overlaps(page)
    assert labels >= GRAPH.number_of_nodes() and overlaps == []  # node labels and edge labels alike
    near = lines_near_nodes(page, {f"{u}>{v}" for u, v in GRAPH.edges})
    assert near == []


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


def test_on_a_phone_swipes_scroll_the_tree_sideways_and_the_page_down_and_a_tap_selects(server, phone):
    open_page(phone, server)
    wait_for_points(phone)
    tree = phone.locator(".st-key-tree")
    tree.scroll_into_view_if_needed()
    box = tree.bounding_box()
    middle_y = box["y"] + min(box["height"], 300) / 2
    swipe(phone, (box["x"] + box["width"] * 0.8, middle_y), (box["x"] + box["width"] * 0.2, middle_y))
    phone.wait_for_function("() => document.querySelector('.st-key-tree').scrollLeft > 50")
    before = phone.evaluate("() => window.scrollY + document.querySelector('[data-testid=stMain]').scrollTop")
    swipe(phone, (box["x"] + box["width"] / 2, middle_y + 100), (box["x"] + box["width"] / 2, middle_y - 100))
    phone.wait_for_function(
        f"() => window.scrollY + document.querySelector('[data-testid=stMain]').scrollTop > {before} + 50")
    phone.evaluate("() => { const tree = document.querySelector('.st-key-tree'); tree.scrollLeft = 0; "
                   "tree.scrollIntoView(); }")  # back to LeNet, at the tree's left end
    phone.wait_for_timeout(600)  # beyond plotly's double-click window
    phone.touchscreen.tap(*point_centre(phone, "lenet"))
    node = GRAPH.nodes["lenet"]
    phone.get_by_role("heading", name=f"{node['name']} ({node['year']})").wait_for(timeout=30_000)


LIT_EDGES_JS = """() => [...new Set(document.querySelector('.js-plotly-plot').data
    .filter(trace => trace.name === 'selected or highlighted').flatMap(trace => trace.customdata))]"""


LIT_POINTS_JS = """() => {
  const lit = document.querySelector('.js-plotly-plot').data.find(trace => trace.name === 'selected or highlighted');
  return lit.customdata.map((key, i) => [key, lit.x[i], lit.y[i], lit.marker.size[i]]);
}"""


def lit_points(points: list) -> list:
    """(edge key, x, y, arrow size) of each lit point, in one order (a null x or y sorts first)."""
    return sorted(points, key=lambda p: (p[0], p[1] is not None, p[1] or 0, p[2] is not None, p[2] or 0))


def lit_edges_become(page, node_id: str) -> None:
    """Wait until the tree's lit lines are exactly the network's own edges (from the data file), then
    check them point by point, arrowheads too, against the figure the server draws for that
    selection: the browser's relighting after a click follows the same rule."""
    own = sorted(f"{u}>{v}" for u, v in [*GRAPH.in_edges(node_id), *GRAPH.out_edges(node_id)])
    page.wait_for_function(f"own => JSON.stringify(({LIT_EDGES_JS})().sort()) === JSON.stringify(own)", arg=own,
                           timeout=30_000)
    drawn = next(t for t in tree_figure(GRAPH, LAYOUT, selected=node_id).data if t.name == LIT_TRACE)
    assert lit_points(page.evaluate(LIT_POINTS_JS)) == lit_points(
        [list(p) for p in zip(drawn.customdata, drawn.x, drawn.y, drawn.marker.size)])


def test_a_click_lights_the_networks_edges_and_back_and_forward_move_through_the_selections(server, page):
    open_page(page, server)
    for node_id in ("alexnet", "vgg"):
        page.wait_for_timeout(600)  # beyond plotly's double-click window
        click_point(page, node_id)
        page.get_by_text(GRAPH.nodes[node_id]["title"], exact=False).first.wait_for(timeout=30_000)
        lit_edges_become(page, node_id)
        wait_idle(page)
    page.go_back()
    page.get_by_text(GRAPH.nodes["alexnet"]["title"], exact=False).first.wait_for(timeout=30_000)
    lit_edges_become(page, "alexnet")
    wait_idle(page)
    assert "node=alexnet" in page.url and page.get_by_text(GRAPH.nodes["vgg"]["title"], exact=False).count() == 0
    page.go_forward()
    page.get_by_text(GRAPH.nodes["vgg"]["title"], exact=False).first.wait_for(timeout=30_000)
    lit_edges_become(page, "vgg")
    wait_idle(page)
    assert "node=vgg" in page.url and page.get_by_text(GRAPH.nodes["alexnet"]["title"], exact=False).count() == 0
