"""Inspect and Predict in a real browser: read figures off the page, upload a photo and a non-image,
draw digits on LeNet-5's pad."""

import io
import math

import pytest
from playwright.sync_api import expect

from models.analysis import analyse
from models.prediction.samples import sample_image
from tests.e2e.harness import open_page, screenshot, wait_idle
from ui.digit_canvas import SIZE

pytestmark = pytest.mark.e2e


def test_inspect_deep_link_shows_params_and_gmacs(server, page):
    open_page(page, f"{server}/Inspect?model=resnet50")
    metrics = page.locator("[data-testid='stMetric']")
    # wait for each figure itself: on a busy machine the metrics row may still be drawing after the run ends
    expect(metrics.filter(has_text="Parameters").first).to_contain_text("25.6 M", timeout=60_000)
    expect(metrics.filter(has_text="GMACs").first).to_contain_text(f"{analyse('resnet50').macs / 1e9:.3g}",
                                                                    timeout=60_000)
    screenshot(page, "inspect_resnet50")


def test_predict_upload_shows_top5_and_weights_banner_then_rejects_a_non_image(server, page, tmp_path):
    photo = tmp_path / "cat.jpg"
    sample_image("chelsea").save(photo)
    open_page(page, f"{server}/Predict?model=resnet18")
    page.locator("[data-testid='stFileUploaderDropzoneInput']").first.set_input_files(str(photo))
    # a cold server may be counting other models (the Inspect test's) while this builds: allow for it
    page.get_by_text("top-1:").first.wait_for(timeout=300_000)
    wait_idle(page, 120_000)
    assert page.get_by_text("UNTRAINED").first.is_visible()
    bars = page.locator("[data-testid='stProgress']").all_inner_texts()
    assert len([bar for bar in bars if bar.endswith("%")]) == 5  # the top-5, each a labelled bar
    screenshot(page, "predict_resnet18")
    fake = tmp_path / "notes.png"
    fake.write_text("this is not an image")
    page.locator("[data-testid='stFileUploaderDropzoneInput']").first.set_input_files(str(fake))
    page.get_by_text("notes.png is not an image").first.wait_for(timeout=60_000)


def test_predict_upload_leaves_the_link_and_a_sample_enters_it(server, page, tmp_path):
    """An upload reruns only the answers (it cannot travel in a link); a sample can, so choosing or
    removing one redraws the page and its URL."""
    photo = tmp_path / "rocket.png"
    sample_image("rocket").save(photo)
    open_page(page, f"{server}/Predict?model=resnet18")
    page.locator("[data-testid='stFileUploaderDropzoneInput']").first.set_input_files(str(photo))
    page.get_by_text("rocket.png — top-1:").first.wait_for(timeout=300_000)
    wait_idle(page, 120_000)
    assert "sample=" not in page.url
    page.get_by_role("button", name="coffee", exact=True).click()
    page.get_by_text("sample: coffee — top-1:").first.wait_for(timeout=120_000)
    page.wait_for_url("**sample=coffee**", timeout=60_000)
    assert page.get_by_text("rocket.png — top-1:").first.is_visible()  # the upload is still answered beside it
    page.get_by_role("button", name="remove the sample").click()
    expect(page.get_by_text("sample: coffee — top-1:")).to_have_count(0, timeout=60_000)
    page.wait_for_url(lambda url: "sample=" not in url, timeout=60_000)


def test_lenet_reads_an_uploaded_digit(server, page, tmp_path):
    from models.prediction.samples import sample_digit

    digit = tmp_path / "digit.png"
    buffer = io.BytesIO()
    sample_digit(3).save(buffer, "PNG")
    digit.write_bytes(buffer.getvalue())
    open_page(page, f"{server}/Predict?model=lenet5")
    page.get_by_role("tab", name="Digits (LeNet-5, offline)").click()
    page.locator("[data-testid='stFileUploaderDropzoneInput']").nth(1).set_input_files(str(digit))
    page.get_by_text("It reads").first.wait_for(timeout=60_000)
    assert "3" in page.get_by_text("It reads").first.inner_text()


PAD = "canvas[aria-label^='Drawing pad']"
INK = "c => c.getContext('2d').getImageData(0, 0, c.width, c.height).data.filter((v, i) => i % 4 == 0 && v < 128).length"
ONE = [(140, 50), (140, 230)]
SEVEN = [(80, 60), (200, 60), (120, 230)]
ZERO = [(140 + 55 * math.sin(t * math.pi / 10), 140 - 85 * math.cos(t * math.pi / 10)) for t in range(21)]


def on_pad(page, points) -> list[tuple[float, float]]:
    """`points`, given in the pad's own pixels, on the page (the pad may be shown smaller; it has a border)."""
    pad = page.locator(PAD)
    expect(pad).to_be_visible()
    box, border = pad.bounding_box(), pad.evaluate("c => c.clientLeft")
    scale = (box["width"] - 2 * border) / SIZE
    return [(box["x"] + border + x * scale, box["y"] + border + y * scale) for x, y in points]


def draw(page, points) -> None:
    """One mouse stroke through `points` (in the pad's pixels)."""
    start, *rest = on_pad(page, points)
    page.mouse.move(*start)
    page.mouse.down()
    for x, y in rest:
        page.mouse.move(x, y, steps=8)
    page.mouse.up()


def test_lenet_reads_digits_drawn_on_the_pad_and_the_drawing_survives_a_rerun(server, page):
    open_page(page, f"{server}/Predict?model=lenet5")
    page.get_by_role("tab", name="Digits (LeNet-5, offline)").click()
    panel = page.get_by_role("tabpanel", name="Digits (LeNet-5, offline)")
    reading = panel.get_by_text("It reads")
    draw(page, ONE)
    expect(reading).to_contain_text("It reads 1", timeout=60_000)
    wait_idle(page)
    expect(panel.get_by_text("your drawing")).to_be_visible()
    expect(panel.get_by_text("Weights — pretrained: digits (shipped with the app)")).to_be_visible()
    screenshot(page, "predict_digit_pad")

    page.get_by_role("tab", name="Lineage strip").click()  # a rerun started elsewhere on the page
    page.get_by_text("path between two networks").click()
    page.get_by_text("From", exact=True).wait_for()
    wait_idle(page)
    page.get_by_role("tab", name="Digits (LeNet-5, offline)").click()
    expect(reading).to_contain_text("It reads 1")
    assert page.locator(PAD).evaluate(INK) > 1000  # the stroke is still on the pad

    for digit, stroke in (("7", SEVEN), ("0", ZERO)):
        page.get_by_role("button", name="Clear").click()
        expect(panel.get_by_text("Draw a digit, upload a picture of one")).to_be_visible()
        expect(reading).to_have_count(0)  # nothing drawn, nothing read
        assert page.locator(PAD).evaluate(INK) == 0
        draw(page, stroke)
        expect(reading).to_contain_text(f"It reads {digit}", timeout=60_000)
        wait_idle(page)


def test_a_finger_draws_on_the_pad_too(server, phone):
    open_page(phone, f"{server}/Predict?model=lenet5")
    phone.get_by_role("tab", name="Digits (LeNet-5, offline)").click()
    phone.locator(PAD).scroll_into_view_if_needed()
    top = phone.locator(PAD).bounding_box()["y"]
    (x0, y0), (x1, y1) = on_pad(phone, ONE[::-1])  # drawn upwards: a drag that would scroll the page
    touch = phone.context.new_cdp_session(phone)  # a real touch drag (Playwright's touchscreen only taps)
    for i in range(21):
        point = {"x": x0 + (x1 - x0) * i / 20, "y": y0 + (y1 - y0) * i / 20}
        touch.send("Input.dispatchTouchEvent", {"type": "touchMove" if i else "touchStart", "touchPoints": [point]})
    touch.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    reading = phone.get_by_role("tabpanel", name="Digits (LeNet-5, offline)").get_by_text("It reads")
    expect(reading).to_contain_text("It reads 1", timeout=60_000)
    assert phone.locator(PAD).bounding_box()["y"] == top  # the finger drew; it did not scroll the page
