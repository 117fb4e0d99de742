"""The Predict page's pieces: weights choice, download bar and banner, image inputs, result rows,
the digit pad and LeNet-5's reading, lineage strip."""

from __future__ import annotations

from collections.abc import Callable

import plotly.graph_objects as go
import streamlit as st
from PIL import Image

from models.cam import CAM_METHODS, compute_cam
from models.checkpoints import CheckpointError
from models.digits import DigitInputError, preprocess_digit, preview
from models.images import ImageInputError, image_from_data_url, load_image
from models.inference import Prediction, predict
from models.loading import default_choice, load_for_prediction
from models.registry import ModelSpec
from models.runtime import BuiltModel, ModelTooLargeError
from models.samples import SAMPLES, sample_digit, sample_image
from models.weights import UNTRAINED, Checkpoint, Pretrained, Progress, WeightsChoice, weights_options
from ui.checkpoint_models import checkpoint_model
from ui.digit_canvas import digit_canvas
from ui.queued_inference import queued_answer

CHECKPOINT = "checkpoint"
DIGIT_SOURCE = "digit_source"  # the digit input touched last: "drawing", "upload" or "sample"


def weights_choice(spec: ModelSpec) -> WeightsChoice | None:
    """Sidebar: the model's pretrained options, a checkpoint upload, or untrained, as a typed choice
    (None while "my checkpoint" is picked and no file is uploaded yet)."""
    options = {f"pretrained:{o.name}": o for o in weights_options(spec)}
    labels = {**{k: f"pretrained: {o.name} ({o.dataset})" for k, o in options.items()},
              CHECKPOINT: "my checkpoint (.safetensors / .pt / .pth)", str(UNTRAINED): "untrained (random initialization)"}
    picked = st.sidebar.radio("Weights", list(labels), format_func=labels.get, key=f"predict_weights_{spec.id}")
    if picked in options:
        st.sidebar.caption(options[picked].summary())
        return Pretrained(options[picked].name)
    if picked != CHECKPOINT:
        return UNTRAINED
    upload = st.sidebar.file_uploader("Checkpoint", type=["safetensors", "pt", "pth", "bin", "ckpt"],
                                      key=f"predict_checkpoint_{spec.id}")
    return None if upload is None else _uploaded_checkpoint(spec, upload)


def _uploaded_checkpoint(spec: ModelSpec, upload) -> Checkpoint:
    """The upload as a Checkpoint (nothing kept in the session: its model lives in the server's
    byte-bounded checkpoint cache, see `checkpoint_model`)."""
    return Checkpoint(upload.name, upload.getvalue())


def load_model(spec: ModelSpec, device: str, choice: WeightsChoice | None) -> tuple[BuiltModel | None, str | None]:
    """(model, warning). A checkpoint goes into its own copy, evicted when the checkpoint budget runs out."""
    try:
        if choice is None:
            return load_for_prediction(spec, device, UNTRAINED)[0], "No checkpoint uploaded yet."
        if not isinstance(choice, Checkpoint):
            return load_for_prediction(spec, device, choice, download_bar(spec.name))
        return checkpoint_model(spec, device, choice), None
    except CheckpointError as error:
        st.error(f"Checkpoint refused: {error}")
        return load_for_prediction(spec, device, UNTRAINED)[0], "The checkpoint could not be used."
    except ModelTooLargeError as error:
        st.error(str(error))
        return None, None


def download_bar(name: str) -> Progress:
    """A progress callback for a weights download: a bar fills as the bytes arrive (and nothing is
    shown when the weights need no download)."""
    slot, shown = st.empty(), {"percent": -1}

    def report(done: int, total: int) -> None:
        percent = 100 * done // total if total else 0
        if total and percent == shown["percent"]:
            return  # one update per percent, not one per chunk
        shown["percent"] = percent
        size = f"{done / 2**20:.1f} of {total / 2**20:.1f} MB" if total else f"{done / 2**20:.1f} MB so far"
        slot.progress(percent, text=f"Downloading the {name} weights: {size}")

    return report


def weights_banner(built: BuiltModel, warning: str | None) -> None:
    """Always say where the weights came from; untrained gets a loud warning."""
    if warning:
        st.warning(warning)
    if built.trained:
        st.success(f"Weights — {built.weights_label}")
    else:
        st.error(f"Weights — {built.weights_label}. This model is UNTRAINED: its predictions are meaningless "
                 "(they only show the pipeline working).")


def collect_images() -> list[tuple[str, Image.Image]]:
    """Uploaded files, the camera and sample photos; a bad file gets a message, the rest go on."""
    uploads = st.file_uploader("Upload images", accept_multiple_files=True, key="predict_uploads",
                               help="JPEG, PNG, WebP, BMP, GIF (first frame), TIFF; any mode")
    st.caption("…or try a sample photo:")
    columns = st.columns(len(SAMPLES))
    for column, (name, description) in zip(columns, SAMPLES.items()):
        if column.button(name, help=description, key=f"sample_{name}"):
            st.session_state["predict_sample"] = name
    with st.expander("Use the camera"):
        camera = st.camera_input("Take a photo", key="predict_camera")
    images = []
    for file in [*(uploads or []), *([camera] if camera else [])]:
        try:
            images.append((file.name, load_image(file.getvalue(), file.name)))
        except ImageInputError as error:
            st.error(str(error))
    if sample := st.session_state.get("predict_sample"):
        images.append((f"sample: {sample}", sample_image(sample)))
    return images


def topk_chart(prediction: Prediction) -> go.Figure:
    """Horizontal bars of the top-k probabilities, best on top."""
    top = list(reversed(prediction.top))
    figure = go.Figure(go.Bar(x=[t.prob for t in top], y=[t.label for t in top], orientation="h",
                              text=[f"{t.prob:.1%}" for t in top], textposition="auto"))
    figure.update_layout(height=60 + 32 * len(top), margin=dict(l=10, r=10, t=10, b=10),
                         xaxis=dict(range=[0, 1], tickformat=".0%"))
    return figure


def result_rows(built: BuiltModel, images, topk: int, cam_method: str | None) -> None:
    """One row per image: the image, where the network looked, and its top-k (computed by the
    server's inference worker, in one batch with other sessions' images of the same moment)."""
    answer = queued_answer(built, images, topk, cam_method)
    if answer is None:
        return
    for (name, image), result, cam in zip(images, answer.predictions, answer.cams):
        st.markdown(f"**{name}** — top-1: **{result.top[0].label}** ({result.top[0].prob:.1%})")
        left, middle, right = st.columns([1, 1, 2])
        left.image(image, caption="input", width="stretch")
        if cam is not None:
            middle.image(cam.overlay, caption=f"{cam_method} on {cam.layer}", width="stretch")
        right.plotly_chart(topk_chart(result), key=f"topk_{name}", config={"displayModeBar": False})
        right.caption("Top-" + str(len(result.top)) + ": " + " · ".join(f"{t.label} {t.prob:.1%}" for t in result.top))
        st.caption(f"{result.device} · {result.latency_s * 1000:.1f} ms per image · weights: {result.weights_label}")


def digit_input() -> tuple[str, Image.Image] | None:
    """The drawing pad, a digit upload and the sample; the digit is the input touched last (None
    while that one is empty). A bad file or drawing gets a message."""
    pad, others = st.columns([1, 2])
    with pad:
        drawing = digit_canvas("digit_canvas", on_change=_touched("drawing"))
        st.caption("Draw one digit with the mouse, a pen or a finger; it is read when the stroke ends.")
    upload = others.file_uploader("…or upload a digit image", key="digit_upload", on_change=_touched("upload"))
    others.button("…or try a sample digit", key="digit_sample", on_click=_touched("sample"))
    source = st.session_state.get(DIGIT_SOURCE)
    try:
        if source == "drawing" and drawing:
            return "your drawing", image_from_data_url(drawing, "your drawing")
        if source == "upload" and upload is not None:
            return upload.name, load_image(upload.getvalue(), upload.name)
    except ImageInputError as error:
        st.error(str(error))
        return None
    return ("sample digit (scikit-learn)", sample_digit(3)) if source == "sample" else None


def _touched(source: str) -> Callable[[], None]:
    def record() -> None:
        st.session_state[DIGIT_SOURCE] = source

    return record


def digit_reading(built: BuiltModel, warning: str | None, digit: tuple[str, Image.Image]) -> None:
    """LeNet-5 reads one digit: the input, what the network sees, its answer and all 10 probabilities."""
    try:
        tensor = preprocess_digit(digit[1])
    except DigitInputError as error:
        st.error(str(error))
        return
    result = predict(built, [digit], topk=10)[0]
    weights_banner(built, warning)
    left, middle, right = st.columns([1, 1, 2])
    left.image(digit[1], caption=digit[0], width="stretch")
    middle.image(preview(tensor[0]), caption="what LeNet-5 sees (32×32)", width="stretch")
    right.markdown(f"### It reads **{result.top[0].label}** ({result.top[0].prob:.1%})")
    right.plotly_chart(topk_chart(result), key="digit_probs", config={"displayModeBar": False})


def cam_choice() -> str | None:
    """Sidebar choice of CAM method (or none)."""
    return st.sidebar.selectbox("Where did it look?", [*CAM_METHODS, None], key="predict_cam",
                                format_func=lambda m: m or "no CAM")


def strip_column(spec: ModelSpec, device: str, image: Image.Image, cam_method: str | None) -> None:
    """One generation of the lineage strip: the node's default model, its weights, top-5 and CAM."""
    built, warning = load_for_prediction(spec, device, default_choice(spec), download_bar(spec.name))
    result = predict(built, [("strip", image)], topk=5)[0]
    st.markdown(f"**{spec.name}**")
    if built.trained:
        st.caption(built.weights_label)
    else:
        st.caption(":red[untrained — meaningless]" + (" (offline)" if warning else ""))
    if cam_method and spec.cam_layer:
        st.image(compute_cam(built, image, method=cam_method).overlay, width="stretch")
    for top in result.top:
        st.caption(f"{top.prob:.1%} {top.label}")
