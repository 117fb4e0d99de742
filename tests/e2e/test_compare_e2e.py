"""The Compare page in a real browser: a three-model deep link shows the table, the zoo tab draws
every model with its lineage arrows, and a click on a model opens its network in the tree."""

import pytest

from lineage import load_lineage
from tests.e2e.harness import open_page, screenshot, wait_idle
from tests.e2e.plotly_points import wait_for_points

pytestmark = pytest.mark.e2e

# The drawn marker of the model with this id (customdata[1]), scrolled into the window; on a log
# axis plotly's l2p takes log10 values, so read the marker's own box rather than converting.
_MARKER_CENTRE_JS = """(modelId) => {
  const gd = document.querySelector('.js-plotly-plot');
  const traces = gd.querySelectorAll('.scatterlayer .trace');
  for (let t = 0; t < gd.data.length; t++) {
    const index = (gd.data[t].customdata || []).findIndex(c => c[1] === modelId);
    if (index >= 0) {
      const marker = traces[t].querySelectorAll('.point')[index];
      marker.scrollIntoView({block: 'center'});
      const box = marker.getBoundingClientRect();
      return [box.left + box.width / 2, box.top + box.height / 2];
    }
  }
  return null;
}"""


def test_deep_link_table_then_zoo_chart_then_click_opens_the_node(server, page):
    open_page(page, f"{server}/Compare?models=alexnet,vgg16,resnet50")
    page.locator("[data-testid='stDataFrame']").first.wait_for()
    assert page.get_by_text("AlexNet → VGG → ResNet").first.is_visible()
    screenshot(page, "compare_alexnet_vgg16_resnet50")
    page.get_by_role("tab", name="Zoo").click()
    page.get_by_text("publish an ImageNet-1k top-1").first.wait_for(timeout=300_000)  # a fresh server counts the zoo once
    wait_idle(page)
    wait_for_points(page)
    for model_id in ("alexnet", "vgg16", "resnet50"):
        assert page.evaluate(_MARKER_CENTRE_JS, model_id), model_id
    assert page.locator(".js-plotly-plot .annotation-arrow-g").count() > 10
    assert "view=Zoo" in page.url
    screenshot(page, "compare_zoo")
    page.evaluate(_MARKER_CENTRE_JS, "alexnet")  # scrolls AlexNet (alone at the bottom) into the window
    page.wait_for_timeout(300)  # let the scroll settle
    page.mouse.move(*page.evaluate(_MARKER_CENTRE_JS, "alexnet"))
    page.wait_for_timeout(150)
    page.mouse.down()
    page.mouse.up()
    node = load_lineage().nodes["alexnet"]
    page.get_by_text(f"{node['name']} ({node['year']})").first.wait_for()
    assert "node=alexnet" in page.url
