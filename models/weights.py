"""Pretrained weights, honestly: options from the libraries' own metadata, the local caches first,
then a download when online, and a fast, clear refusal when offline — never a silent fallback
(the caller decides whether to show an untrained model, and must say so).

Every file is read by `models.checkpoints.read_state_dict` (safetensors, or `torch.load` with
`weights_only=True`), whether it came from a cache, a download or the user.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import socket
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import torch
import torchvision
from torch import nn

from models.checkpoints import CheckpointError, load_into, read_state_dict
from models.registry import ModelSpec, local_module
from models.runtime import PRETRAINED, UNTRAINED, UNTRAINED_LABEL

SHIPPED = "shipped with the app"
SHIPPED_DIR = Path(__file__).parent / "weights"
WEIGHTS_DIR_ENV = "LINEAGE_WEIGHTS_DIR"
OFFLINE_ENV = "LINEAGE_OFFLINE"  # "1": never download (tests, air-gapped machines); caches still work
PROBE_TIMEOUT_S = 2.0  # DNS + TCP connect to the download host; offline answers within this
PROBE_MEMORY_S = 30.0  # reuse a probe's answer this long, so every page rerun is not another wait
DOWNLOAD_TIMEOUT_S = 30.0
HF_ENDPOINT = "https://huggingface.co"
Progress = Callable[[int, int], None]  # (bytes done, bytes in all or 0 when unknown)

# What torchvision's builders do with pretrained weights besides load_state_dict (read their
# sources): GoogLeNet and Inception-v3 were ported from TensorFlow and run with transform_input=True;
# GoogLeNet's file carries auxiliary heads the builder deletes when aux_logits=False; DenseNet's
# files use old key names ('norm.1') that densenet._load_state_dict renames with this pattern.
TRANSFORM_INPUT = frozenset({"googlenet", "inception_v3"})
AUX_HEADS = {"googlenet": ("aux1.", "aux2."), "inception_v3": ("AuxLogits.",)}
DENSENET_OLD_KEY = re.compile(r"^(.*denselayer\d+\.(?:norm|relu|conv))\.((?:[12])\.(?:weight|bias|running_mean|running_var))$")


class WeightsUnavailableError(RuntimeError):
    """Pretrained weights are neither in a local cache nor downloadable right now."""


class UnknownWeightsError(ValueError):
    """A weights choice that the model does not offer."""


@dataclass(frozen=True)
class WeightsOption:
    """One set of pretrained weights as its library (or our training record) describes it."""

    name: str
    source: str  # "torchvision", "timm" or SHIPPED
    dataset: str
    metrics: dict[str, float]  # empty where the metadata has none (timm's cfgs carry no accuracy)
    file_size_mb: float | None
    license: str
    recipe: str
    url: str  # where the file is downloaded from (the file itself for shipped weights)
    num_classes: int
    categories: tuple[str, ...] = field(repr=False, default=())
    hf_hub_id: str | None = None
    hash_prefix: str | None = None  # torchvision's file names carry their sha256 prefix; checked on download


@dataclass(frozen=True)
class ResolvedWeights:
    """A state dict (None: random initialization), where it came from in words, and the head's class names."""

    state_dict: dict[str, torch.Tensor] | None = field(repr=False)
    label: str
    categories: tuple[str, ...] = field(repr=False)
    trained: bool
    model_attributes: tuple[tuple[str, object], ...] = ()  # set on the model as the library's builder does

    def load_into(self, model: nn.Module) -> None:
        """Apply to a FRESH model (never a shared one): attributes, then a strict load. Files saved
        before PyTorch 0.4.1 (most of torchvision's) lack BatchNorm's `num_batches_tracked`
        counters, which `load_state_dict` itself fills in; they are filled in the same way here."""
        for name, value in self.model_attributes:
            setattr(model, name, value)
        if self.state_dict is not None:
            counters = {k: v for k, v in model.state_dict().items() if k.endswith(".num_batches_tracked")}
            load_into(model, {**counters, **self.state_dict})


def weights_options(spec: ModelSpec) -> list[WeightsOption]:
    """Every pretrained option of a model, the library's default first, read from its own metadata.
    Left out: weights that are no classifier (VGG-16's IMAGENET1K_FEATURES has no categories and a
    NaN head) and ViT weights for another resolution (see `_needs_another_architecture`)."""
    return list(_options(spec))


@functools.lru_cache(maxsize=None)
def _options(spec: ModelSpec) -> tuple[WeightsOption, ...]:
    if spec.source == "torchvision":
        enum = torchvision.models.get_model_weights(spec.builder)
        offered = [w for w in enum if w.meta["categories"] and not _needs_another_architecture(spec, w)]
        return tuple(_torchvision_option(w) for w in sorted(offered, key=lambda w: w is not enum.DEFAULT))
    if spec.source == "timm":
        import timm

        default = timm.models.get_pretrained_cfg(spec.builder).tag
        return tuple(_timm_option(spec, tag) for tag in sorted(spec.weights, key=lambda tag: tag != default))
    return tuple(_shipped_option(spec, name) for name in spec.weights)


def _needs_another_architecture(spec: ModelSpec, weights) -> bool:
    """ViT weights made at another resolution (SWAG end-to-end, 384/512 px) need a ViT built for it
    (torchvision's builder sets image_size from them); the registry builds the 224 px ViT."""
    return spec.builder.startswith("vit_") and weights.meta["min_size"][0] != spec.input_size


def _torchvision_option(weights) -> WeightsOption:
    meta = weights.meta
    dataset, metrics = next(iter(meta.get("_metrics", {"not in torchvision's metadata": {}}).items()))
    hashed = torch.hub.HASH_REGEX.search(Path(urllib.parse.urlparse(weights.url).path).name)
    return WeightsOption(weights.name, "torchvision", dataset, dict(metrics), meta.get("_file_size"),
                         meta.get("license", "not in torchvision's metadata"), meta.get("recipe", ""),
                         weights.url, len(meta["categories"]), tuple(meta["categories"]),
                         hash_prefix=hashed.group(1) if hashed else None)


def _timm_option(spec: ModelSpec, tag: str) -> WeightsOption:
    import timm

    cfg = timm.models.get_pretrained_cfg(f"{spec.builder}.{tag}")
    url = f"{HF_ENDPOINT}/{cfg.hf_hub_id}" if cfg.hf_hub_id else cfg.url
    pretrained_on = " (pre-trained on ImageNet-21K)" if re.search(r"in2[12]k", tag) else ""
    dataset = f"ImageNet-1K{pretrained_on}" if cfg.num_classes == 1000 else f"{cfg.num_classes} classes (timm tag '{tag}')"
    return WeightsOption(tag, "timm", dataset, {}, None, cfg.license or "not in timm's metadata",
                         cfg.origin_url or "not in timm's metadata", url, cfg.num_classes,
                         _timm_categories(cfg), hf_hub_id=cfg.hf_hub_id)


def _timm_categories(cfg) -> tuple[str, ...]:
    from timm.data import ImageNetInfo, infer_imagenet_subset

    if cfg.label_names:
        return tuple(cfg.label_names)
    subset = infer_imagenet_subset(cfg)
    if subset:
        return tuple(ImageNetInfo(subset).label_descriptions())
    return tuple(f"class {i}" for i in range(cfg.num_classes))


def _shipped_option(spec: ModelSpec, name: str) -> WeightsOption:
    import json

    record = json.loads((SHIPPED_DIR / f"{spec.builder}_{name}.json").read_text())
    path = SHIPPED_DIR / f"{spec.builder}_{name}.safetensors"
    return WeightsOption(name, SHIPPED, record["dataset"], {"held-out acc@1": record["test_accuracy"] * 100},
                         round(path.stat().st_size / 2**20, 3), "same as the app", record["command"].strip(),
                         str(path), len(record["classes"]), tuple(record["classes"]))


def imagenet_categories() -> tuple[str, ...]:
    """The 1000 ImageNet-1k class names in the standard order both torchvision and timm heads use."""
    return tuple(torchvision.models.ResNet50_Weights.IMAGENET1K_V1.meta["categories"])


def head_categories(spec: ModelSpec) -> tuple[str, ...]:
    """The class names of a model's head whatever its weights: those of its default weights,
    ImageNet-1k for a 1000-way head without any, the dataset's names a local module declares
    (CATEGORIES, e.g. Highway's CIFAR-10), else 'class i' (none for a sequence model)."""
    if spec.kind != "image":
        return ()
    options = _options(spec)
    if options:
        return options[0].categories
    if spec.num_classes == 1000:
        return imagenet_categories()
    declared = getattr(local_module(spec.builder), "CATEGORIES", ()) if spec.source == "local" else ()
    if len(declared) == spec.num_classes:
        return tuple(declared)
    return tuple(f"class {i}" for i in range(spec.num_classes))


def option_for(spec: ModelSpec, choice: str) -> WeightsOption:
    """The option a choice names: 'pretrained' (the default) or 'pretrained:<name>'."""
    kind, _, name = choice.partition(":")
    options = _options(spec)
    if kind != PRETRAINED:
        raise UnknownWeightsError(f"'{choice}' is not a weights choice: use {UNTRAINED}, {PRETRAINED}, "
                                  f"{PRETRAINED}:<name> or a checkpoint file.")
    if not options:
        raise UnknownWeightsError(f"{spec.name} has no pretrained weights (in {spec.source}); use {UNTRAINED} "
                                  "or a checkpoint.")
    option = next((o for o in options if o.name == name), None) if name else options[0]
    if option is None:
        raise UnknownWeightsError(f"{spec.name} offers no weights named '{name}'; choose one of "
                                  f"{', '.join(o.name for o in options)}.")
    return option


def resolve(spec: ModelSpec, choice: str, allow_download: bool = True,
            progress: Progress | None = None) -> ResolvedWeights:
    """Weights for 'untrained', 'pretrained' or 'pretrained:<name>': the local caches first, then a
    download (when allowed and online); else WeightsUnavailableError saying where it looked."""
    if choice == UNTRAINED:
        return ResolvedWeights(None, UNTRAINED_LABEL, head_categories(spec), False)
    option = option_for(spec, choice)
    path, where = fetch(spec, choice, allow_download, progress)
    try:
        state = read_state_dict(path.read_bytes(), path.name)
    except (CheckpointError, OSError) as error:
        raise WeightsUnavailableError(f"The weights file {path} cannot be used ({error}). Delete it to download "
                                      "it again, or replace it.") from error
    state, attributes = _as_the_library_loads_it(spec, state)
    source = "" if option.source == SHIPPED else f"{option.source} "
    return ResolvedWeights(state, f"{PRETRAINED}: {source}{option.name} ({where})", option.categories, True, attributes)


def fetch(spec: ModelSpec, choice: str, allow_download: bool = True,
          progress: Progress | None = None) -> tuple[Path, str]:
    """The local file of a pretrained choice and where it came from ('local cache', 'downloaded' or
    SHIPPED). `progress(done, total)` hears about a download (`models.runtime.build_model` passes it on)."""
    option = option_for(spec, choice)
    if option.source == SHIPPED:
        return Path(option.url), SHIPPED
    cached = _find_cached(spec, option)
    if cached is not None:
        return cached, "local cache"
    return _download(spec, option, allow_download, progress), "downloaded"


def from_checkpoint(spec: ModelSpec, data: bytes, filename: str) -> ResolvedWeights:
    """A user's checkpoint (CheckpointError when refused); its classes are the model head's."""
    return ResolvedWeights(read_state_dict(data, filename), f"checkpoint: {filename}", head_categories(spec), True)


def _as_the_library_loads_it(spec: ModelSpec, state: dict[str, torch.Tensor]) -> tuple[dict, tuple]:
    if spec.source != "torchvision":
        return state, ()
    if spec.builder.startswith("densenet"):
        state = {DENSENET_OLD_KEY.sub(r"\1\2", key): value for key, value in state.items()}
    if spec.builder in AUX_HEADS and not dict(spec.builder_kwargs).get("aux_logits", True):
        state = {key: value for key, value in state.items() if not key.startswith(AUX_HEADS[spec.builder])}
    return state, ((("transform_input", True),) if spec.builder in TRANSFORM_INPUT else ())


# --- the local caches -------------------------------------------------------------------------

def weights_dirs() -> list[Path]:
    """Folders searched for weight files, in order: $LINEAGE_WEIGHTS_DIR, then torch hub's checkpoints
    (where torchvision and timm cache downloads, and where this app downloads to)."""
    user = os.environ.get(WEIGHTS_DIR_ENV)
    return ([Path(user)] if user else []) + [Path(torch.hub.get_dir()) / "checkpoints"]


def hf_cache_dir() -> Path:
    """The Hugging Face hub cache, read from the environment now (HF_HUB_CACHE, HF_HOME, XDG)."""
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"])
    xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(os.environ.get("HF_HOME") or Path(xdg) / "huggingface") / "hub"


def file_name(spec: ModelSpec, option: WeightsOption) -> str:
    """The file an option is cached as: the URL's own name, or '<architecture>.<tag>.safetensors'."""
    if option.hf_hub_id:
        return f"{spec.builder}.{option.name}.safetensors"
    return Path(urllib.parse.urlparse(option.url).path).name


def _hf_files(option: WeightsOption) -> tuple[str, str, list[str]]:
    repo, _, revision = option.hf_hub_id.partition("@")
    return repo, revision or "main", ["model.safetensors", "pytorch_model.bin"]


def _find_cached(spec: ModelSpec, option: WeightsOption) -> Path | None:
    for folder in weights_dirs():
        if (folder / file_name(spec, option)).is_file():
            return folder / file_name(spec, option)
    if option.hf_hub_id:
        from huggingface_hub import try_to_load_from_cache

        repo, revision, names = _hf_files(option)
        for name in names:
            found = try_to_load_from_cache(repo, name, cache_dir=hf_cache_dir(), revision=revision)
            if isinstance(found, str):
                return Path(found)
    return None


def _looked_in(spec: ModelSpec, option: WeightsOption) -> str:
    places = [str(folder / file_name(spec, option)) for folder in weights_dirs()]
    if option.hf_hub_id:
        places.append(f"the Hugging Face cache {hf_cache_dir()} for {option.hf_hub_id}")
    return "; ".join(places)


# --- the download -----------------------------------------------------------------------------

def _download(spec: ModelSpec, option: WeightsOption, allow: bool, progress: Progress | None) -> Path:
    url = option.url
    if option.hf_hub_id:
        repo, revision, names = _hf_files(option)
        url = f"{os.environ.get('HF_ENDPOINT', HF_ENDPOINT)}/{repo}/resolve/{revision}/{names[0]}"
    missing = f"{spec.name} {option.name} weights are not in the local cache (looked in: {_looked_in(spec, option)})"
    if os.environ.get(OFFLINE_ENV) == "1":
        raise WeightsUnavailableError(f"{missing} and the app runs offline ({OFFLINE_ENV}=1): nothing is downloaded. "
                                      "Copy the file there, or use a checkpoint.")
    if not allow:
        raise WeightsUnavailableError(f"{missing} and downloading was not allowed. Copy the file there, or use a "
                                      "checkpoint.")
    if not is_online(url):
        raise WeightsUnavailableError(f"{missing} and the download host {urllib.parse.urlparse(url).hostname} cannot "
                                      "be reached: you seem to be offline. Copy the file there, or use a checkpoint.")
    return download(url, weights_dirs()[-1] / file_name(spec, option), progress, option.hash_prefix)


def download(url: str, target: Path, progress: Progress | None = None, hash_prefix: str | None = None) -> Path:
    """Fetch `url` to `target` atomically (a temporary file renamed at the end), reporting progress
    and checking the sha256 prefix when one is given; failures are WeightsUnavailableError."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".partial")
    digest = hashlib.sha256()
    try:
        request = urllib.request.Request(url, headers={"User-Agent": "lineage-explorer"})
        with os.fdopen(handle, "wb") as out, urllib.request.urlopen(request, timeout=DOWNLOAD_TIMEOUT_S) as response:
            total, done = int(response.headers.get("Content-Length") or 0), 0
            while chunk := response.read(1 << 20):
                out.write(chunk)
                digest.update(chunk)
                done += len(chunk)
                if progress:
                    progress(done, total)
        if hash_prefix and not digest.hexdigest().startswith(hash_prefix):
            raise WeightsUnavailableError(f"The download of {url} is corrupt (its sha256 does not start with "
                                          f"{hash_prefix}); try again.")
        os.replace(partial, target)
        return target
    except (urllib.error.URLError, OSError) as error:
        raise WeightsUnavailableError(f"Downloading {url} failed: {error}.") from error
    finally:
        Path(partial).unlink(missing_ok=True)


_probes: dict[tuple[str, int], tuple[float, bool]] = {}


def is_online(url: str) -> bool:
    """Can the host of `url` be reached? A DNS lookup and TCP connect bounded by PROBE_TIMEOUT_S in
    all (a thread, since name resolution has no timeout of its own); nothing is sent."""
    parts = urllib.parse.urlparse(url)
    address = (parts.hostname or "", parts.port or (80 if parts.scheme == "http" else 443))
    remembered = _probes.get(address)
    if remembered and time.monotonic() - remembered[0] < PROBE_MEMORY_S:
        return remembered[1]
    answers: list[bool] = []
    probe = threading.Thread(target=lambda: answers.append(_connects(address)), daemon=True)
    probe.start()
    probe.join(PROBE_TIMEOUT_S)
    online = bool(answers and answers[0])
    _probes[address] = (time.monotonic(), online)
    return online


def _connects(address: tuple[str, int]) -> bool:
    try:
        socket.create_connection(address, timeout=PROBE_TIMEOUT_S).close()
        return True
    except OSError:
        return False
