"""AppTest for the Predict page: deep link, sample image, weights banner and download bar, bad
uploads, digits drawn, uploaded or sampled, a full inference queue."""

import base64
import io
import json

import pytest
from PIL import Image, ImageDraw

from models.weights import hub
from tests.app.helpers import all_text, download_bars, run_page
from ui.digit_canvas import SIZE

PAGE = "pages/2_Predict.py"


def png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def png_bytes(color=(200, 30, 30), size=(64, 48)) -> bytes:
    return png(Image.new("RGB", size, color))


def test_deep_link_and_untrained_banner_offline(monkeypatch):
    monkeypatch.setenv("TORCH_HOME", "/nonexistent-cache")
    app = run_page(PAGE, model="resnet18")
    assert app.title[0].value == "Predict with ResNet-18"
    app.button(key="sample_chelsea").click().run()
    text = all_text(app)
    assert "UNTRAINED" in text and "offline" in text and not download_bars(app)
    assert "top-1:" in text
    assert app.query_params["model"] == "resnet18"


def test_untrained_choice_says_so():
    app = run_page(PAGE, model="mobilenet_v3_small")
    app.radio(key="predict_weights_mobilenet_v3_small").set_value("untrained").run()
    assert any("UNTRAINED" in e.value for e in app.error)


def test_digit_tab_reads_a_sample_digit_with_the_shipped_weights():
    app = run_page(PAGE, model="lenet5")
    app.button(key="digit_sample").click().run()
    text = all_text(app)
    assert "It reads **3**" in text
    assert "shipped with the app" in text
    bars = [(bar.proto.text, bar.proto.value) for bar in app.get("progress")]  # all 10 digits, best first
    assert sorted(label.split(" — ")[0] for label, _ in bars) == [str(d) for d in range(10)]
    assert bars[0][0].startswith("3 — ") and [v for _, v in bars] == sorted((v for _, v in bars), reverse=True)


def test_without_network_the_refusal_is_clear_and_no_bar_shows(monkeypatch):
    monkeypatch.delenv("LINEAGE_OFFLINE")
    monkeypatch.setattr(hub, "is_online", lambda url: False)
    app = run_page(PAGE, model="squeezenet1_1")
    assert any("you seem to be offline" in w.value for w in app.warning) and not download_bars(app)
    assert any("UNTRAINED" in e.value for e in app.error)


def test_a_download_fills_the_progress_bar_then_the_banner_says_trained(served_weights, monkeypatch):
    spec, size = served_weights
    heard = []
    download = hub.download

    def overheard(url, target, progress=None, hash_prefix=None):
        def relay(done, total):
            heard.append(done)
            progress(done, total)
        return download(url, target, relay, hash_prefix)

    monkeypatch.setattr(hub, "download", overheard)
    app = run_page(PAGE, model=spec.id)
    (bar,) = download_bars(app)
    assert len(heard) > 1 and heard == sorted(set(heard)) and heard[-1] == size
    assert bar.value == 100 and bar.text == f"Downloading the {spec.name} weights: {size / 2**20:.1f} of {size / 2**20:.1f} MB"
    assert [s.value for s in app.success] == ["Weights — pretrained: torchvision IMAGENET1K_V1 (downloaded)"]
    assert not app.error and not app.warning
    chunks = len(heard)
    app.run()  # the next run downloads nothing: the shared model, no bar
    assert not download_bars(app) and len(heard) == chunks and app.success[0].value.endswith("(downloaded)")


def pad_drawing(points) -> str:
    """A stroke as the pad draws it (18-pixel round black pen on white), as its PNG data URL."""
    image = Image.new("RGB", (SIZE, SIZE), "white")
    ImageDraw.Draw(image).line(points, fill="black", width=18, joint="curve")
    return data_url(png(image))


def data_url(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode()


def drawn(app, drawing):
    """What a stroke on the pad does: its state value, and the source its callback records (AppTest
    cannot run a components v2 element's JavaScript or fire its callbacks; the browser test does)."""
    app.session_state["digit_canvas"] = {"drawing": drawing}
    app.session_state["digit_source"] = "drawing"
    return app.run()


def test_a_digit_drawn_on_the_pad_is_read_and_survives_reruns_until_another_input_is_used():
    app = run_page(PAGE, model="lenet5")
    assert "Draw a digit, upload a picture of one" in all_text(app)
    drawing = pad_drawing([(140, 50), (140, 230)])
    drawn(app, drawing)
    for _ in range(2):  # after the stroke, then after a rerun that changed nothing
        assert "It reads **1**" in all_text(app) and "shipped with the app" in all_text(app)
        (pad,) = app.get("bidi_component")
        assert json.loads(pad.proto.json)["drawing"] == drawing  # handed back: a remounted pad redraws it
        app.run()
    app.button(key="digit_sample").click().run()  # the input touched last is the one read
    assert "It reads **3**" in all_text(app)


@pytest.mark.parametrize("drawing, message", [
    (None, "Draw a digit, upload a picture of one"),  # cleared: nothing is read
    (pad_drawing([(140, 50), (140, 230)])[:60] + "…", "your drawing arrived damaged"),
])
def test_a_cleared_or_damaged_drawing_is_a_clear_message(drawing, message):
    app = drawn(run_page(PAGE, model="lenet5"), drawing)
    assert not app.exception and message in all_text(app) and "It reads" not in all_text(app)


def test_a_blank_drawing_finds_no_digit():
    app = drawn(run_page(PAGE, model="lenet5"), data_url(png_bytes((255, 255, 255), (SIZE, SIZE))))
    assert any("No digit found" in e.value for e in app.error) and "It reads" not in all_text(app)


def test_unknown_model_link_is_a_clear_message():
    app = run_page(PAGE, model="nope")
    assert any("Unknown model 'nope'" in e.value for e in app.error)


def uploader(app, key):
    return next(u for u in app.get("file_uploader") if u.proto.id.endswith(key) or key in u.proto.id)


def test_upload_good_and_bad_images_together():
    app = run_page(PAGE, model="squeezenet1_1")
    uploader(app, "predict_uploads").set_value([
        ("red.png", png_bytes(), "image/png"),
        ("notes.png", b"this is text, not a picture", "image/png"),
    ]).run()
    assert any("notes.png is not an image" in e.value for e in app.error)
    assert "**red.png** — top-1:" in all_text(app)


def test_a_pickle_payload_checkpoint_is_refused_and_never_runs(tmp_path):
    import pickle

    marker = tmp_path / "pwned"

    class Payload:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    app = run_page(PAGE, model="resnet18")
    app.radio(key="predict_weights_resnet18").set_value("checkpoint").run()
    uploader(app, "predict_checkpoint_resnet18").set_value(("evil.pth", pickle.dumps(Payload()), "application/octet-stream")).run()
    assert any("refused" in e.value for e in app.error)
    assert not marker.exists()


def test_a_checkpoint_for_the_wrong_model_lists_what_does_not_fit(tmp_path):
    import io as bytes_io

    import torch
    import torchvision

    buffer = bytes_io.BytesIO()
    torch.save(torchvision.models.squeezenet1_1().state_dict(), buffer)
    app = run_page(PAGE, model="resnet18")
    app.radio(key="predict_weights_resnet18").set_value("checkpoint").run()
    uploader(app, "predict_checkpoint_resnet18").set_value(("squeeze.pth", buffer.getvalue(), "application/octet-stream")).run()
    assert any("does not fit" in e.value and "missing" in e.value for e in app.error)


def test_a_good_checkpoint_is_used_and_kept_across_reruns(monkeypatch):
    import torch
    import torchvision
    from safetensors.torch import save

    from models import runtime

    built = []
    build = runtime._build
    monkeypatch.setattr(runtime, "_build", lambda spec, device, weights, choice: built.append(weights.label)
                        or build(spec, device, weights, choice))
    torch.manual_seed(0)
    data = save(torchvision.models.resnet18().state_dict())
    app = run_page(PAGE, model="resnet18")
    app.radio(key="predict_weights_resnet18").set_value("checkpoint").run()
    assert "No checkpoint uploaded yet." in all_text(app)
    uploader(app, "predict_checkpoint_resnet18").set_value(("mine.safetensors", data, "application/octet-stream")).run()
    app.run()
    assert [s.value for s in app.success] == ["Weights — checkpoint: mine.safetensors"] and not app.error
    assert built.count("checkpoint: mine.safetensors") == 1  # a rerun reuses this session's private model


def test_the_weights_section_says_what_is_cached_and_what_is_missing_once_opened():
    at = run_page("pages/2_Predict.py", timeout=120, model="lenet5")
    assert not at.dataframe and "default weights are cached" not in all_text(at)  # closed: no table built or sent
    at.session_state["weights_cache"] = True  # what opening the expander does
    at.run()
    table = at.dataframe[0].value
    here = dict(zip(table["model"], table["here"]))
    assert here["LeNet-5"] == "cached" and here["ResNet-18"] == "missing"  # shipped; the test caches are empty
    assert "default weights are cached" in all_text(at)


def test_a_session_does_not_keep_alive_a_model_the_cache_let_go(monkeypatch):
    """The answers' fragment keeps its arguments for the session's life: a model must not be one of
    them, or the byte-bounded cache could drop a model no session could free."""
    import gc
    import weakref

    from models import runtime
    from models.prediction.loading import load_for_prediction
    from models.registry import REGISTRY
    from models.weights import UNTRAINED

    monkeypatch.setattr(runtime, "_cache", runtime.new_model_cache())
    app = run_page(PAGE, model="resnet18", weights="untrained", sample="chelsea")
    assert "top-1:" in all_text(app)
    built = weakref.ref(load_for_prediction(REGISTRY["resnet18"], "cpu", UNTRAINED)[0])  # the page's own, cached
    assert built() is not None
    runtime._cache = runtime.new_model_cache()  # the cache lets it go (monkeypatch restores the first)
    gc.collect()
    assert built() is None  # while `app`, its session and its fragment live on
    app.button(key="sample_coffee").click().run()  # and the page builds it again
    assert "sample: coffee" in all_text(app) and not app.exception


def test_a_full_queue_says_the_server_is_busy_and_the_upload_is_answered_once_it_frees(monkeypatch):
    from models import runtime
    from models.prediction.loading import default_choice
    from models.prediction.samples import sample_digit
    from models.registry import digit_model
    from tests.unit.test_batcher import held_worker, job
    from ui import queued_inference

    reader = runtime.build_model(digit_model().id, "cpu", default_choice(digit_model()))
    worker, gate, _ = held_worker(reader, max_waiting=2)  # busy with another session's pass
    waiting = [worker.submit(job(reader, f"other session {digit}", sample_digit(digit)))  # the queue is full
               for digit in (1, 2)]
    monkeypatch.setattr(queued_inference, "worker_for", lambda device: worker)
    try:
        app = run_page(PAGE, model="squeezenet1_1")
        uploader(app, "predict_uploads").set_value([("red.png", png_bytes(), "image/png")]).run()
        assert any("The server is busy: 2 requests are already waiting" in e.value for e in app.error)
        assert "top-1:" not in all_text(app)
        gate.release.set()
        for ticket in waiting:  # the others answered: the queue is empty again
            ticket.result(60)
        app.run()  # the same page later: its upload is still there, and now answered
        assert "**red.png** — top-1:" in all_text(app)
        assert not any("busy" in e.value for e in app.error)
    finally:
        gate.release.set()
        worker.close()
