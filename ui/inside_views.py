"""The Inside page's pieces: weights and layer choice (synced with `?layer=`), the image, the grid
of the most active channels, one channel over the image, filters, exciting inputs, attention."""

from __future__ import annotations

import streamlit as st
from PIL import Image

from models.prediction.digits import DigitInputError, preview
from models.inside.adapter import BuiltModel, ModelSpec, WeightsChoice, input_tensor, reads_digits
from models.inside.attention import attention_maps, has_attention
from models.inside.capture import LayerMaps
from models.inside.exciting import digit_inputs, exciting_digits
from models.inside.filters import first_filters
from models.inside.maps import image_maps
from models.inside.render import heat, kernel_tiles, over_image
from models.inside.stages import Layers, UnknownLayerError, layers_of
from models.prediction.samples import SAMPLES
from ui import inside_extra_views as extra
from ui import lesson, predict_views
from ui.i18n import t, tr
from ui.link_settings import LinkSetting, number
from ui.predict_views import DIGIT_SAMPLE, DIGIT_SOURCE, SAMPLE, collect_images, digit_input, sample_setting
from ui.weights_views import weights_banner as banner

COUNT_LOW, COUNT_HIGH, COUNT_STEP, COUNT_DEFAULT = 4, 64, 4, 16
TABS = ["maps", "filters"]  # ?tab= ids, in the page's order


def link_settings(spec: ModelSpec) -> list[LinkSetting]:
    """`?weights=&count=&sample=` (the model is the picker's `?model=`, the layer `layer_choice`'s `?layer=`)."""
    sample = (sample_setting(DIGIT_SOURCE, {DIGIT_SAMPLE: "sample"}) if reads_digits(spec)
              else sample_setting(SAMPLE, {name: name for name in SAMPLES}))
    return [predict_views.weights_setting(spec),
            LinkSetting("count", "inside_count", COUNT_DEFAULT, number(COUNT_LOW, COUNT_HIGH, step=COUNT_STEP)),
            sample]


def weights_choice(spec: ModelSpec) -> WeightsChoice | None:
    """Sidebar: Predict's weights widget (the pretrained options, your checkpoint, or untrained); None
    while "my checkpoint" is picked and no file is uploaded yet."""
    return predict_views.weights_choice(spec, st.sidebar)


def load_model(spec: ModelSpec, weights: WeightsChoice | None) -> tuple[BuiltModel | None, str | None]:
    """The model as Predict loads it (a checkpoint in its own bounded cache), on the CPU (one image at a
    time), and why pretrained weights fell back, if so."""
    return predict_views.load_model(spec, "cpu", weights)


def weights_banner(built: BuiltModel, warning: str | None) -> None:
    """Where the weights came from; with random ones, that the maps show no learned features."""
    banner(built, warning, t("the maps show the architecture's shapes, not learned features."))


def layer_choice(spec: ModelSpec) -> tuple[Layers, str]:
    """Sidebar: the natural stages (or every layer), following a new `?layer=` link once."""
    offered, key, applied = layers_of(spec.id), f"inside_layer_{spec.id}", f"inside_layer_{spec.id}__url"
    link = st.query_params.get("layer")
    if link and link != st.session_state.get(applied):
        st.session_state[applied] = link
        try:
            st.session_state[key] = offered.check(link)
        except UnknownLayerError as error:
            st.error(tr(error) + t(" Showing {name} instead.", name=offered.stages[0]))
    where = lesson.place("settings", st.sidebar)
    every = where.toggle(t("Every layer, not only the stages"), key=f"inside_every_{spec.id}",
                              value=st.session_state.get(key, offered.stages[0]) not in offered.stages)
    options = list(offered.offered if every else offered.stages)
    if st.session_state.get(key) not in options:
        st.session_state[key] = options[0]
    layer = where.selectbox(t("Layer"), options, key=key)
    st.query_params["layer"] = st.session_state[applied] = layer
    return offered, layer


def image_input(spec: ModelSpec) -> tuple[str, Image.Image] | None:
    """The drawn, uploaded or sample digit for a digits model; else uploads, the camera or a sample photo."""
    if reads_digits(spec):
        return digit_input()
    images = collect_images()
    if len(images) > 1:
        names = [name for name, _ in images]
        chosen = st.selectbox(t("Image"), names, index=len(names) - 1, key="inside_image")
        return images[names.index(chosen)]
    return images[0] if images else None


def layer_maps(built: BuiltModel, weights: WeightsChoice, image: tuple[str, Image.Image], offered: Layers, layer: str,
               count: int) -> LayerMaps | None:
    """The layer's output shape and a grid of its most active channels (index and mean activation);
    a selected channel enlarged over the input."""
    try:
        maps = image_maps(built, image[1], _layers_with(offered, layer), weights)[layer]
    except DigitInputError as error:
        st.error(tr(error))
        return None
    st.markdown(t("**{layer}** — output {shape} ({layout}); the {shown} most active of {total} channels, by mean "
                  "activation", layer=layer, shape="×".join(map(str, maps.shape)), layout=maps.layout,
                  shown=min(count, len(maps.means)), total=len(maps.means)))
    extra.channel_grid(built, maps, maps.ranked(count))
    return maps


def enlarged(built: BuiltModel, weights: WeightsChoice, image: Image.Image, maps: LayerMaps, count: int) -> int:
    """One channel (chosen among the most active) over what the network sees, and on its own."""
    ranked, key = maps.ranked(count), extra.channel_key(built, maps)
    extra.chosen_channel(key, ranked)
    channel = st.selectbox(t("Enlarge a channel"), ranked, key=key,
                           format_func=lambda c: t("#{channel} (mean {mean:.3g})", channel=c, mean=maps.means[c]))
    prep = built.preprocess
    seen = prep.display(input_tensor(built, image, prep)[0]).numpy()
    left, right = st.columns(2)
    left.image(over_image(seen, maps.maps[channel]), caption=t("channel #{channel} over the input", channel=channel),
               width="stretch")
    right.image(heat(maps.maps[channel], 320), caption=t("channel #{channel} on its own (its own colour range)",
                                                         channel=channel), width="stretch")
    return channel


def filters(built: BuiltModel) -> None:
    """The first convolution's kernels, each on its own colour range."""
    found = first_filters(built.model)
    if found is None:
        st.caption(t("This model has no convolution to draw."))
        return
    out, _, k1, k2 = found.shape
    st.caption(t("`{layer}`: {count} kernels of {k1}×{k2}, shown in RGB", layer=found.layer, count=out, k1=k1, k2=k2)
               if found.images.ndim == 4 else
               t("`{layer}`: {count} kernels of {k1}×{k2}, averaged over the input channels", layer=found.layer,
                 count=out, k1=k1, k2=k2))
    tiles = kernel_tiles(found.images[:64])
    for start in range(0, len(tiles), 16):
        for column, (index, tile) in zip(st.columns(16), enumerate(tiles[start:start + 16], start)):
            column.image(tile, caption=f"#{index}", width="stretch")


def exciting(built: BuiltModel, weights: WeightsChoice, offered: Layers, layer: str, channel: int) -> None:
    """The inputs that excite the chosen channel most: the bundled digits for a digits model; the
    user's images, or else the bundled sample photos, on request."""
    if reads_digits(built.spec):
        found = exciting_digits(built, list(_layers_with(offered, layer)))[layer]
        st.caption(t("The 9 of scikit-learn's 1,797 digits with the highest mean activation of {layer} #{channel}",
                     layer=layer, channel=channel))
        images = [preview(tensor) for tensor in digit_inputs(found.indices[channel])]
        for column, picture, value in zip(st.columns(9), images, found.values[channel]):
            column.image(picture, caption=f"{value:.3g}", width="stretch")
    extra.ranked_set(built, layer, channel, samples=not reads_digits(built.spec))


def attention(built: BuiltModel, weights: WeightsChoice, image: Image.Image) -> None:
    """Where a ViT or Swin attends for this image, each map labelled with how it was computed."""
    if not has_attention(built):
        return
    prep = built.preprocess
    batch = input_tensor(built, image, prep)
    seen = prep.display(batch[0]).numpy()
    maps = attention_maps(built, batch)
    if not maps:
        st.caption(t("Attention is drawn where the last stage is one window (as at the model's own input size)."))
    for column, found in zip(st.columns(max(len(maps), 1)), maps):
        column.image(over_image(seen, found.grid), caption=tr(found.method), width="stretch")
    extra.window_attention(built, batch, seen)


def _layers_with(offered: Layers, layer: str) -> tuple[str, ...]:
    """The stages plus the chosen layer: one forward serves every stage the user flips through."""
    return offered.stages if layer in offered.stages else (*offered.stages, layer)
