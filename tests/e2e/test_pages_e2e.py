"""Inspect and Predict in a real browser: read figures off the page, upload a photo and a non-image."""

import io

import pytest
from PIL import Image

from models.analysis import analyse
from models.samples import sample_image
from tests.e2e.harness import open_page, screenshot, wait_idle

pytestmark = pytest.mark.e2e


def test_inspect_deep_link_shows_params_and_gmacs(server, page):
    open_page(page, f"{server}/Inspect?model=resnet50")
    metrics = page.locator("[data-testid='stMetric']")
    metrics.first.wait_for()
    text = metrics.all_inner_texts()
    assert any("Parameters" in t and "25.6 M" in t for t in text)
    assert any("GMACs" in t and f"{analyse('resnet50').macs / 1e9:.3g}" in t for t in text)
    screenshot(page, "inspect_resnet50")


def test_predict_upload_shows_top5_and_weights_banner_then_rejects_a_non_image(server, page, tmp_path):
    photo = tmp_path / "cat.jpg"
    sample_image("chelsea").save(photo)
    open_page(page, f"{server}/Predict?model=resnet18")
    page.locator("[data-testid='stFileUploaderDropzoneInput']").first.set_input_files(str(photo))
    page.get_by_text("top-1:").first.wait_for(timeout=120_000)
    wait_idle(page, 120_000)
    assert page.get_by_text("UNTRAINED").first.is_visible()
    top5 = page.get_by_text("Top-5:").first.inner_text()
    assert top5.count("%") == 5
    screenshot(page, "predict_resnet18")
    fake = tmp_path / "notes.png"
    fake.write_text("this is not an image")
    page.locator("[data-testid='stFileUploaderDropzoneInput']").first.set_input_files(str(fake))
    page.get_by_text("notes.png is not an image").first.wait_for(timeout=60_000)


def test_lenet_reads_an_uploaded_digit(server, page, tmp_path):
    from models.samples import sample_digit

    digit = tmp_path / "digit.png"
    buffer = io.BytesIO()
    sample_digit(3).save(buffer, "PNG")
    digit.write_bytes(buffer.getvalue())
    open_page(page, f"{server}/Predict?model=lenet5")
    page.get_by_role("tab", name="Digits (LeNet-5, offline)").click()
    page.locator("[data-testid='stFileUploaderDropzoneInput']").nth(1).set_input_files(str(digit))
    page.get_by_text("It reads").first.wait_for(timeout=60_000)
    assert "3" in page.get_by_text("It reads").first.inner_text()
