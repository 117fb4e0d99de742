"""AppTest for the Predict page's walkthrough fixes: untrained and out-of-domain results cannot pass
for real ones; LeNet-5's caption is formatted; a digit model is offered digits, not photos."""

import io

from PIL import Image

from models.prediction.samples import sample_image
from tests.app.helpers import all_text, run_page

PAGE = "pages/2_Predict.py"


def jpeg(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG")
    return buffer.getvalue()


def uploader(app, key):
    return next(u for u in app.get("file_uploader") if key in u.proto.id)


def result_headings(app) -> list[str]:
    return [m.value for m in app.markdown if "top-1:" in m.value]


def test_every_result_row_of_an_untrained_model_is_marked():
    app = run_page(PAGE, model="resnet18")  # offline: no weights, so untrained
    uploader(app, "predict_uploads").set_value([("red.jpg", jpeg(Image.new("RGB", (64, 48), "red")), "image/jpeg")])
    app.button(key="sample_chelsea").click().run()
    headings = result_headings(app)
    assert len(headings) == 2
    assert all("untrained — meaningless" in h for h in headings)


def test_lenet5_is_offered_a_digit_not_imagenet_photos_and_reads_it():
    app = run_page(PAGE, model="lenet5")
    keys = {b.key for b in app.button}
    assert "sample_chelsea" not in keys and "sample_digit" in keys
    app.button(key="sample_digit").click().run()
    (heading,) = result_headings(app)
    assert "top-1: **3**" in heading and "untrained" not in heading  # the shipped weights are trained


def test_lenet5_on_a_photo_says_it_is_not_a_digit_instead_of_a_confident_reading():
    app = run_page(PAGE, model="lenet5")
    uploader(app, "predict_uploads").set_value([("chelsea.jpg", jpeg(sample_image("chelsea")), "image/jpeg")]).run()
    assert not result_headings(app)
    assert any("chelsea.jpg** is not read" in w.value and "photo" in w.value for w in app.warning)


def test_digits_tab_refuses_to_read_a_photo():
    app = run_page(PAGE, model="lenet5")
    uploader(app, "digit_upload").set_value(("chelsea.jpg", jpeg(sample_image("chelsea")), "image/jpeg")).run()
    assert "It reads" not in all_text(app)
    assert any("does not look like a digit" in w.value for w in app.warning)


def test_lenet5_preprocessing_caption_has_no_template_placeholders():
    app = run_page(PAGE, model="lenet5")
    caption = next(c.value for c in app.caption if c.value.startswith("Preprocessing:"))
    assert "{" not in caption and "[-0.1, 1.175]" in caption


def test_predict_controls_are_on_the_page_not_in_a_sidebar_that_may_be_closed():
    app = run_page(PAGE, model="resnet18")
    in_sidebar = {w.key for kind in ("radio", "slider", "selectbox") for w in getattr(app.sidebar, kind)}
    assert {"predict_weights_resnet18", "predict_topk", "predict_cam"}.isdisjoint(in_sidebar)
    assert app.radio(key="predict_weights_resnet18") and app.slider(key="predict_topk")


def test_sidebar_names_the_home_page_family_tree_and_lists_every_page():
    from ui.navigation import page_files

    app = run_page(PAGE, model="resnet18")
    links = [link.proto for link in app.sidebar.get("page_link")]
    assert links[0].label == "Family tree"
    assert len(links) == 1 + len(page_files()) and len(page_files()) >= 2
