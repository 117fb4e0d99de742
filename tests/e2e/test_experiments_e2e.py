"""The Experiments page in a real browser: a deep link, a measured run's verdict, then a trained
run at small settings whose curve and verdict appear."""

import pytest

from tests.e2e.harness import open_page, screenshot, wait_idle

pytestmark = pytest.mark.e2e

VERDICT = "Verdict (computed from this run)"


def _verdict(page):
    return page.locator("[data-testid='stAlert']").filter(has_text=VERDICT).first


def _run(page) -> None:
    page.get_by_role("button", name="Run").click()


def test_deep_link_measured_then_trained_run_shows_curve_and_verdict(server, page):
    open_page(page, f"{server}/Experiments?from=alexnet&to=vgg")
    page.get_by_text("Stacked 3×3 convolutions").first.wait_for()
    _run(page)
    _verdict(page).wait_for(timeout=60_000)
    assert "18C²" in _verdict(page).inner_text()

    open_page(page, f"{server}/Experiments?from=vgg&to=resnet")
    steps = page.get_by_role("spinbutton", name="Training steps")
    steps.fill("40")
    steps.press("Enter")
    wait_idle(page)
    _run(page)
    _verdict(page).wait_for(timeout=120_000)
    wait_idle(page, 60_000)
    assert "final training loss" in _verdict(page).inner_text()
    assert page.locator(".js-plotly-plot").count() >= 1
    assert page.locator(".js-plotly-plot .scatterlayer .trace").count() >= 3  # one line per variant
    screenshot(page, "experiments_vgg_resnet")
