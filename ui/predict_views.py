"""The Predict page's pieces: weights choice, download bar and banner, image inputs, result rows,
the digit pad and LeNet-5's reading, lineage strip."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st
from PIL import Image
from streamlit.delta_generator import DeltaGenerator

from models.prediction.cam import CAM_METHODS, compute_cam
from models.prediction.checkpoints import CheckpointError
from models.prediction.digits import DigitInputError, preprocess_digit, preview
from models.prediction.images import ImageInputError, image_from_data_url, load_image
from models.prediction.inference import Prediction, predict
from models.prediction.loading import default_choice, load_for_prediction
from models.prediction.preprocessing import Preprocess
from models.registry import ModelSpec
from models.runtime import BuiltModel, ModelTooLargeError
from models.prediction.samples import SAMPLES, sample_digit, sample_image
from models.weights import UNTRAINED, Checkpoint, Pretrained, Progress, WeightsChoice, weights_options
from ui import lesson
from ui.checkpoint_models import checkpoint_model
from ui.device import device_setting
from ui.digit_canvas import digit_canvas
from ui.i18n import t, tr
from ui.link_settings import LinkSetting, choice, number
from ui.queued_inference import queued_answer
from ui.weights_views import weights_banner as banner

CHECKPOINT = "checkpoint"
DIGIT_SOURCE = "digit_source"  # the digit input touched last: "drawing", "upload" or "sample"
SAMPLE = "predict_sample"  # the sample picture chosen (its name), shared with the Inside page
DIGIT_SAMPLE = "digit"
TOPK_LOW, TOPK_HIGH, TOPK_DEFAULT = 1, 10, 5
TABS = ["photos", "digits", "strip"]  # ?tab= ids, in the page's order


def link_settings(spec: ModelSpec) -> list[LinkSetting]:
    """`?weights=&topk=&cam=&sample=&device=` (the model is the picker's `?model=`)."""
    return [weights_setting(spec),
            LinkSetting("topk", "predict_topk", TOPK_DEFAULT, number(TOPK_LOW, TOPK_HIGH)),
            LinkSetting("cam", "predict_cam", next(iter(CAM_METHODS)), choice({**{m: m for m in CAM_METHODS}, "none": None}),
                        text=lambda method: method or "none"),
            sample_setting(SAMPLE, {name: name for name in [*SAMPLES, DIGIT_SAMPLE]}),
            device_setting("predict_device")]


def weights_setting(spec: ModelSpec) -> LinkSetting:
    """`?weights=pretrained:NAME|checkpoint|untrained` for `weights_choice` (Predict's and Inside's)."""
    weights = [*pretrained_values(spec), CHECKPOINT, str(UNTRAINED)]
    return LinkSetting("weights", f"predict_weights_{spec.id}", weights[0], choice(weights))


def checkpoint_note() -> str:
    """What the copy-link widget adds on this page: a checkpoint is a file, which no link can carry."""
    return t("Your own checkpoint cannot travel in a link: a link with `weights=checkpoint` opens with "
             "\"my checkpoint\" chosen and asks for the file.")


def sample_setting(key: str, names: dict[str, str]) -> LinkSetting:
    """`?sample=chelsea`: a sample's name in the link → what `key` holds when it is chosen."""
    return LinkSetting("sample", key, None, choice(names),
                       text=lambda chosen: next((name for name, value in names.items() if value == chosen), None))


def pretrained_values(spec: ModelSpec) -> dict:
    """The weights radio's value ('pretrained:NAME') → the pretrained option it picks."""
    return {f"pretrained:{o.name}": o for o in weights_options(spec)}


def weights_choice(spec: ModelSpec, where: DeltaGenerator) -> WeightsChoice | None:
    """The model's pretrained options, a checkpoint upload, or untrained, as a typed choice, shown in
    `where` (on the page, beside the results, rather than in a sidebar that may be closed); None while
    "my checkpoint" is picked and no file is uploaded yet."""
    where, options = lesson.place("weights", where), pretrained_values(spec)
    labels = {**{k: t("pretrained: {name} ({dataset})", name=o.name, dataset=o.dataset) for k, o in options.items()},
              CHECKPOINT: t("my checkpoint (.safetensors / .pt / .pth)"),
              str(UNTRAINED): t("untrained (random initialization)")}
    picked = where.radio(t("Weights"), list(labels), format_func=labels.get, key=f"predict_weights_{spec.id}")
    if picked in options:
        where.caption(tr(options[picked].summary()))
        return Pretrained(options[picked].name)
    if picked != CHECKPOINT:
        return UNTRAINED
    upload = where.file_uploader(t("Checkpoint"), type=["safetensors", "pt", "pth", "bin", "ckpt"],
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
            return load_for_prediction(spec, device, UNTRAINED)[0], t("No checkpoint uploaded yet.")
        if not isinstance(choice, Checkpoint):
            return load_for_prediction(spec, device, choice, download_bar(spec.name))
        return checkpoint_model(spec, device, choice), None
    except CheckpointError as error:
        st.error(t("Checkpoint refused: {error}", error=tr(error)))
        return load_for_prediction(spec, device, UNTRAINED)[0], t("The checkpoint could not be used.")
    except ModelTooLargeError as error:
        st.error(tr(error))
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
        size = (t("{done:.1f} of {total:.1f} MB", done=done / 2**20, total=total / 2**20) if total
                else t("{done:.1f} MB so far", done=done / 2**20))
        slot.progress(percent, text=t("Downloading the {name} weights: {size}", name=name, size=size))

    return report


def weights_banner(built: BuiltModel, warning: str | None) -> None:
    """Always say where the weights came from; untrained gets a loud warning."""
    banner(built, warning, t("its predictions are meaningless (they only show the pipeline working)."))


@st.fragment
def images_and_answers(model: Callable[[], BuiltModel | None], topk: int, cam_method: str | None,
                       shown_sample: str | None) -> None:
    """The image inputs and their answers, as a fragment: an upload reruns only this part, so each
    answer redraws a few elements rather than the whole page (a third less work for a student's
    browser, which a class's devices need). A sample is part of the page's link, so choosing or
    removing one (`shown_sample`: the one the page last drew) reruns the whole page to say so.

    `model` is a weak reference (`weakref.ref(built)`): a session keeps its fragment's arguments until
    the page runs again, and a strong one would keep a model alive after the byte-bounded cache let
    it go. When it has gone, the page runs again and builds it."""
    built = model()
    if built is None:
        st.rerun()
    images = collect_images(built.preprocess)
    if st.session_state.get(SAMPLE) != shown_sample:
        st.rerun()
    if images:
        result_rows(built, images, topk, cam_method)
    else:
        st.info(t("Upload images, take a photo or pick a sample to see predictions."))


def collect_images(preprocess: Preprocess | None = None) -> list[tuple[str, Image.Image]]:
    """Uploaded files, the camera and sample pictures of what the model reads (photos, or a digit
    for a digit model); a bad file gets a message, the rest go on."""
    uploads = lesson.place("upload").file_uploader(t("Upload images"), accept_multiple_files=True, key="predict_uploads",
                               help=t("JPEG, PNG, WebP, BMP, GIF (first frame), TIFF; any mode"))
    samples = sample_choices(preprocess.domain if preprocess else "photos")
    st.caption(t("…or try a sample:"))
    columns = st.columns(len(samples) + 1)
    for column, (name, (description, _)) in zip(columns, samples.items()):
        if column.button(t(name), help=t(description), key=f"sample_{name}"):
            st.session_state[SAMPLE] = name
    sample = st.session_state.get(SAMPLE)
    if sample in samples:
        columns[-1].button(t("remove the sample"), key="sample_remove", icon=":material/close:",
                           on_click=st.session_state.__setitem__, args=(SAMPLE, None))
    with lesson.place("upload").expander(t("Use the camera")):
        camera = st.camera_input(t("Take a photo"), key="predict_camera")
    images = []
    for file in [*(uploads or []), *([camera] if camera else [])]:
        try:
            images.append((file.name, load_image(file.getvalue(), file.name)))
        except ImageInputError as error:
            st.error(tr(error))
    if sample in samples:
        images.append((t("sample: {name}", name=t(sample)), samples[sample][1]()))
    return images


def sample_choices(domain: str) -> dict[str, tuple[str, Callable[[], Image.Image]]]:
    """name → (description, loader) of the samples for what a model reads: a digit model is not
    offered ImageNet photos."""
    if domain == "digits":
        return {DIGIT_SAMPLE: ("a handwritten 3 from scikit-learn's held-out digits", lambda: sample_digit(3))}
    return {name: (description, lambda name=name: sample_image(name)) for name, description in SAMPLES.items()}


def topk_bars(where: DeltaGenerator, prediction: Prediction) -> None:
    """The top-k probabilities as labelled bars, best on top. Streamlit's own bars rather than a
    chart: an answer then needs no plotly in the browser, whose 4.7 MB of script each student's
    browser would otherwise parse at its first answer (about 0.9 s of a busy core here)."""
    for top in prediction.top:
        where.progress(min(max(top.prob, 0.0), 1.0), text=f"{top.label} — {top.prob:.1%}")


def untrained_mark(built: BuiltModel) -> str:
    """The mark every result of an untrained model carries, so no row can pass for a real answer."""
    return "" if built.trained else " :red-badge[:material/warning: " + t("untrained — meaningless") + "]"


def outside_domain(preprocess: Preprocess, image: Image.Image) -> str | None:
    """Why the image is not what the model reads (e.g. a photo given to LeNet-5), or None."""
    return preprocess.domain_check(image) if preprocess.domain_check else None


def result_rows(built: BuiltModel, images, topk: int, cam_method: str | None) -> None:
    """One row per image: the image, where the network looked, and its top-k (computed by the
    server's inference worker, in one batch with other sessions' images of the same moment). An
    image the model cannot read (a photo for a digit model) gets a warning instead of an answer."""
    preprocess, readable = built.preprocess, []
    for name, image in images:
        if why := outside_domain(preprocess, image):
            st.warning(t("**{image}** is not read: it does not look like {domain} — {why}. {name} only knows {domain}, "
                         "so any answer would be meaningless.", image=name, domain=t(preprocess.domain), why=tr(why),
                         name=built.spec.name))
        else:
            readable.append((name, image))
    answer = queued_answer(built, readable, topk, cam_method) if readable else None
    if answer is None:
        return
    mark = untrained_mark(built)
    for (name, image), result, cam in zip(readable, answer.predictions, answer.cams):
        st.markdown(t("**{image}** — top-1: **{label}** ({prob:.1%})", image=name, label=result.top[0].label,
                      prob=result.top[0].prob) + mark)
        left, middle, right = st.columns([1, 1, 2])
        left.image(image, caption=t("input"), width="stretch")
        if cam is not None:
            middle.image(cam.overlay, caption=t("{method} on {layer}", method=cam_method, layer=cam.layer),
                         width="stretch")
        topk_bars(right, result)
        st.caption(t("{device} · {ms:.1f} ms per image · weights: {label}", device=result.device,
                     ms=result.latency_s * 1000, label=tr(result.weights_label)))


def digit_input() -> tuple[str, Image.Image] | None:
    """The drawing pad, a digit upload and the sample; the digit is the input touched last (None
    while that one is empty). A bad file or drawing gets a message."""
    pad, others = st.columns([1, 2])
    with pad:
        drawing = digit_canvas("digit_canvas", on_change=_touched("drawing"))
        st.caption(t("Draw one digit with the mouse, a pen or a finger; it is read when the stroke ends."))
    upload = lesson.place("upload", others).file_uploader(t("…or upload a digit image"), key="digit_upload", on_change=_touched("upload"))
    others.button(t("…or try a sample digit"), key="digit_sample", on_click=_touched("sample"))
    source = st.session_state.get(DIGIT_SOURCE)
    try:
        if source == "drawing" and drawing:
            return t("your drawing"), image_from_data_url(drawing, t("your drawing"))
        if source == "upload" and upload is not None:
            return upload.name, load_image(upload.getvalue(), upload.name)
    except ImageInputError as error:
        st.error(tr(error))
        return None
    return (t("sample digit (scikit-learn)"), sample_digit(3)) if source == "sample" else None


def _touched(source: str) -> Callable[[], None]:
    def record() -> None:
        st.session_state[DIGIT_SOURCE] = source

    return record


def digit_reading(built: BuiltModel, warning: str | None, digit: tuple[str, Image.Image]) -> None:
    """LeNet-5 reads one digit: the input, what the network sees, its answer and all 10 probabilities."""
    try:
        tensor = preprocess_digit(digit[1])
    except DigitInputError as error:
        st.error(tr(error))
        return
    preprocess = built.preprocess
    weights_banner(built, warning)
    if why := outside_domain(preprocess, digit[1]):
        st.image(digit[1], caption=digit[0], width=200)
        st.warning(t("This does not look like a digit: {why}. LeNet-5 only knows digits, so it is not asked.", why=tr(why)))
        return
    result = predict(built, [digit], topk=10)[0]
    left, middle, right = st.columns([1, 1, 2])
    left.image(digit[1], caption=digit[0], width="stretch")
    middle.image(preview(tensor[0]), caption=t("what LeNet-5 sees (32×32)"), width="stretch")
    right.markdown(t("### It reads **{label}** ({prob:.1%})", label=result.top[0].label, prob=result.top[0].prob)
                   + untrained_mark(built))
    topk_bars(right, result)


def cam_choice(where: DeltaGenerator) -> str | None:
    """Choice of CAM method (or none), shown in `where`."""
    return where.selectbox(t("Where did it look?"), [*CAM_METHODS, None], key="predict_cam",
                           format_func=lambda m: m or t("no CAM"))


def strip_column(spec: ModelSpec, device: str, image: Image.Image, cam_method: str | None,
                 built: BuiltModel | None = None) -> None:
    """One model of the lineage strip: its weights, top-5 and CAM. `built`: the page's own model
    (the user's weights or checkpoint); otherwise the model's default weights are loaded."""
    warning = None
    if built is None:
        built, warning = load_for_prediction(spec, device, default_choice(spec), download_bar(spec.name))
    result = predict(built, [("strip", image)], topk=5)[0]
    st.markdown(f"**{spec.name}**")
    if built.trained:
        st.caption(tr(built.weights_label))
    else:
        st.caption(":red[" + t("untrained — meaningless") + "]" + (t(" (offline)") if warning else ""))
    if cam_method and spec.cam_layer:
        st.image(compute_cam(built, image, method=cam_method).overlay, width="stretch")
    for top in result.top:
        st.caption(f"{top.prob:.1%} {top.label}")
