"""Inside in a real browser: draw a digit and see LeNet-5's C1 maps (clearing the pad clears them);
open a deep link to a layer of AlexNet and click a channel of its grid to enlarge it."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.harness import open_page, screenshot, wait_idle
from tests.e2e.plotly_points import click_point, wait_for_points
from tests.e2e.test_pages_e2e import ONE, SEVEN, draw

pytestmark = pytest.mark.e2e


def test_a_drawn_digit_lights_up_lenet_c1_and_clearing_the_pad_clears_the_maps(server, page):
    open_page(page, f"{server}/Inside?model=lenet5")
    heading = page.get_by_text("c1 — output 6×28×28")
    draw(page, SEVEN)
    expect(heading).to_be_visible(timeout=60_000)
    wait_idle(page)
    expect(page.get_by_text("The 9 of scikit-learn's 1,797 digits")).to_be_visible()
    expect(page.get_by_text("channel #", exact=False).first).to_be_visible()
    screenshot(page, "inside_lenet_c1")
    page.get_by_role("button", name="Clear").click()
    expect(heading).to_have_count(0, timeout=60_000)
    draw(page, ONE)
    expect(heading).to_be_visible(timeout=60_000)


GRID_CHANNELS_JS = """() => {
  for (const gd of document.querySelectorAll('.js-plotly-plot'))
    for (const trace of gd.data || []) if (trace.name === 'channels') return trace.customdata;
  return null;
}"""


def test_a_deep_link_opens_an_alexnet_layer_and_a_click_enlarges_a_channel(server, page):
    open_page(page, f"{server}/Inside?model=alexnet&layer=features.3")
    expect(page.get_by_role("heading", name="Inside AlexNet")).to_be_visible()
    expect(page.get_by_text("not learned features")).to_be_visible()  # offline: untrained, said so
    page.get_by_role("button", name="chelsea").click()
    expect(page.get_by_text("features.3 — output 192×27×27")).to_be_visible(timeout=60_000)
    wait_idle(page)
    assert "layer=features.3" in page.url
    wait_for_points(page)
    channels = page.evaluate(GRID_CHANNELS_JS)
    assert len(channels) == 16
    expect(page.get_by_text(f"channel #{channels[0]} over the input")).to_be_visible()  # the most active, at first
    click_point(page, channels[5])
    expect(page.get_by_text(f"channel #{channels[5]} over the input")).to_be_visible(timeout=60_000)
    wait_idle(page)
    listed = page.get_by_role("combobox", name="Enlarge a channel")
    expect(listed).to_have_value(re.compile(rf"^#{channels[5]} \(mean"))  # the list follows the click
    screenshot(page, "inside_alexnet_features3")
