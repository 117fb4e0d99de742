"""Pretrained weights, honestly: options from the libraries' own metadata, the local caches first,
then a download when online, and a fast, clear refusal when offline — never a silent fallback.
"""

from __future__ import annotations

import json
import os
import socket
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import torch
import torchvision

from models.checkpoints import read_state_dict
from models.registry import ModelSpec

SHIPPED_DIR = Path(__file__).parent / "weights"
PROBE_TIMEOUT_S = 3.0
Progress = Callable[[int, int], None]


class WeightsUnavailableError(RuntimeError):
    """Pretrained weights are neither cached nor downloadable right now."""


@dataclass(frozen=True)
class WeightsOption:
    """One set of pretrained weights as its library describes it."""

    name: str
    source: str
    dataset: str
    metrics: dict[str, float]
    file_size_mb: float | None
    license: str
    url: str
    num_classes: int
    categories: tuple[str, ...] = field(repr=False, default=())


@dataclass(frozen=True)
class ResolvedWeights:
    """A state dict and where it came from, in words for the UI and the CLI."""

    state_dict: dict[str, torch.Tensor]
    label: str
    option: WeightsOption


def weights_options(spec: ModelSpec) -> list[WeightsOption]:
    """Every pretrained option of a model, read from torchvision's enums, timm's cfgs or our JSON."""
    if spec.source == "torchvision":
        return [_torchvision_option(w) for w in torchvision.models.get_model_weights(spec.builder)]
    if spec.source == "timm":
        return [_timm_option(spec, tag) for tag in spec.weights]
    return [_shipped_option(spec, name) for name in spec.weights]


def _torchvision_option(weights) -> WeightsOption:
    meta = weights.meta
    dataset, metrics = next(iter(meta.get("_metrics", {"": {}}).items()))
    return WeightsOption(weights.name, "torchvision", dataset or "unknown", dict(metrics), meta.get("_file_size"),
                         f"BSD-3-Clause (torchvision); recipe: {meta.get('recipe', 'n/a')}", weights.url,
                         len(meta["categories"]), tuple(meta["categories"]))


def _timm_option(spec: ModelSpec, tag: str) -> WeightsOption:
    import timm

    cfg = timm.models.get_pretrained_cfg(f"{spec.builder}.{tag}")
    hub = f"hf-hub:{cfg.hf_hub_id}" if cfg.hf_hub_id else (cfg.url or "")
    return WeightsOption(tag, "timm", "ImageNet-1K" if cfg.num_classes == 1000 else f"{cfg.num_classes} classes",
                         {}, None, cfg.license or "not in timm's metadata", hub, cfg.num_classes,
                         tuple(imagenet_categories()) if cfg.num_classes == 1000 else ())


def _shipped_option(spec: ModelSpec, name: str) -> WeightsOption:
    record = json.loads((SHIPPED_DIR / f"{spec.builder}_{name}.json").read_text())
    return WeightsOption(name, "shipped with the app", record["dataset"],
                         {"held-out acc@1": record["test_accuracy"] * 100}, None, "same as the app",
                         str(SHIPPED_DIR / f"{spec.builder}_{name}.safetensors"), 10, tuple(record["classes"]))


def imagenet_categories() -> list[str]:
    """The 1000 ImageNet-1k class names in the order torchvision and timm heads use."""
    return list(torchvision.models.ResNet50_Weights.IMAGENET1K_V1.meta["categories"])


def weights_search_path() -> list[Path]:
    """Folders searched for weight files: $LINEAGE_WEIGHTS_DIR, then torch hub's checkpoints."""
    folders = [Path(p) for p in [os.environ.get("LINEAGE_WEIGHTS_DIR")] if p]
    return folders + [Path(torch.hub.get_dir()) / "checkpoints"]


def resolve(spec: ModelSpec, choice: str, allow_download: bool = True, progress: Progress | None = None) -> ResolvedWeights:
    """Weights for `choice` ("pretrained" or "pretrained:<option>"): cache, then download, else raise."""
    options = weights_options(spec)
    if not options:
        raise WeightsUnavailableError(f"{spec.name} has no pretrained weights in {spec.source}.")
    wanted = choice.partition(":")[2]
    option = next((o for o in options if o.name == wanted), None) if wanted else options[0]
    if option is None:
        raise WeightsUnavailableError(f"{spec.name} has no weights named '{wanted}'; "
                                      f"choose one of {', '.join(o.name for o in options)}.")
    if option.source == "shipped with the app":
        data = Path(option.url).read_bytes()
        return ResolvedWeights(read_state_dict(data, Path(option.url).name), f"pretrained: {option.name} "
                               "(shipped with the app)", option)
    cached = _find_cached(spec, option)
    where = "local cache"
    if cached is None:
        cached = _download(spec, option, allow_download, progress)
        where = "downloaded"
    state = read_state_dict(cached.read_bytes(), cached.name)
    return ResolvedWeights(state, f"pretrained: {spec.source} {option.name} ({where})", option)


def _find_cached(spec: ModelSpec, option: WeightsOption) -> Path | None:
    for name in _file_names(spec, option):
        for folder in weights_search_path():
            if (folder / name).is_file():
                return folder / name
    if option.url.startswith("hf-hub:"):
        from huggingface_hub import try_to_load_from_cache

        for filename in ("model.safetensors", "pytorch_model.bin"):
            path = try_to_load_from_cache(option.url.removeprefix("hf-hub:"), filename)
            if isinstance(path, str):
                return Path(path)
    return None


def _file_names(spec: ModelSpec, option: WeightsOption) -> list[str]:
    if option.url.startswith("http"):
        return [Path(urllib.parse.urlparse(option.url).path).name]
    return [f"{spec.builder}.{option.name}.safetensors", f"{spec.builder}.{option.name}.pth"]


def is_online(url: str) -> bool:
    """Can the download host be reached within a few seconds? (A TCP connect, nothing sent.)"""
    host = urllib.parse.urlparse(url).hostname or "huggingface.co"
    try:
        with socket.create_connection((host, 443), timeout=PROBE_TIMEOUT_S):
            return True
    except OSError:
        return False


def _download(spec: ModelSpec, option: WeightsOption, allow: bool, progress: Progress | None) -> Path:
    url = option.url if option.url.startswith("http") else "https://huggingface.co"
    looked = ", ".join(str(p) for p in weights_search_path()) + (", the Hugging Face cache" if option.url.startswith("hf-hub:") else "")
    if not allow or not is_online(url):
        raise WeightsUnavailableError(
            f"{spec.name} {option.name} weights are not in the local cache (looked in: {looked}) and the download "
            f"host cannot be reached: you seem to be offline. Copy the file there, or load a checkpoint."
        )
    if option.url.startswith("hf-hub:"):
        from huggingface_hub import hf_hub_download

        return Path(hf_hub_download(option.url.removeprefix("hf-hub:"), "model.safetensors"))
    target = weights_search_path()[-1] / _file_names(spec, option)[0]
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(target.suffix + ".partial")
    with urllib.request.urlopen(option.url, timeout=30) as response, partial.open("wb") as out:
        total, done = int(response.headers.get("Content-Length", 0)), 0
        while chunk := response.read(1 << 20):
            out.write(chunk)
            done += len(chunk)
            if progress:
                progress(done, total)
    partial.replace(target)
    return target
