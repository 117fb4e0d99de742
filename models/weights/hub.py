"""Where pretrained weights files are found or fetched: the local caches first ($LINEAGE_WEIGHTS_DIR,
torch hub's checkpoints/, the Hugging Face cache), then a download when online, and a fast, clear
refusal when offline (LINEAGE_OFFLINE=1, or the host cannot be reached)."""

from __future__ import annotations

import functools
import os
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from unittest import mock

import torch

from lineage.text import Text
from models.zoo.adapters.timm_source import HF_ENDPOINT
from models.zoo.options import SHIPPED, WeightsOption

WEIGHTS_DIR_ENV = "LINEAGE_WEIGHTS_DIR"
OFFLINE_ENV = "LINEAGE_OFFLINE"  # "1": never download (tests, air-gapped machines); caches still work
PROBE_TIMEOUT_S = 2.0  # DNS + TCP connect to the download host; offline answers within this
PROBE_MEMORY_S = 30.0  # reuse a probe's answer this long, so every page rerun is not another wait
DOWNLOAD_TIMEOUT_S = 30.0
Progress = Callable[[int, int], None]  # (bytes done, bytes in all or 0 when unknown)


class WeightsUnavailableError(RuntimeError):
    """Pretrained weights are neither in a local cache nor downloadable right now."""


def fetch(option: WeightsOption, what: str, allow_download: bool = True,
          progress: Progress | None = None) -> tuple[Path, str]:
    """The local file of an option and where it came from ('local cache', 'downloaded' or SHIPPED);
    `what` names the weights in messages. `progress(done, total)` hears about a download."""
    if option.source == SHIPPED:
        return Path(option.url), SHIPPED
    cached = _find_cached(option)
    if cached is not None:
        return cached, "local cache"
    return _download(option, what, allow_download, progress), "downloaded"


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


def _hf_files(option: WeightsOption) -> tuple[str, str, list[str]]:
    repo, _, revision = option.hf_hub_id.partition("@")
    return repo, revision or "main", ["model.safetensors", "pytorch_model.bin"]


def _find_cached(option: WeightsOption) -> Path | None:
    for folder in weights_dirs():
        if (folder / option.file_name).is_file():
            return folder / option.file_name
    if option.hf_hub_id:
        from huggingface_hub import try_to_load_from_cache

        repo, revision, names = _hf_files(option)
        for name in names:
            found = try_to_load_from_cache(repo, name, cache_dir=hf_cache_dir(), revision=revision)
            if isinstance(found, str):
                return Path(found)
    return None


def _looked_in(option: WeightsOption) -> str:
    places = [str(folder / option.file_name) for folder in weights_dirs()]
    if option.hf_hub_id:
        places.append(f"the Hugging Face cache {hf_cache_dir()} for {option.hf_hub_id}")
    return "; ".join(places)


# --- the download -----------------------------------------------------------------------------

def _download(option: WeightsOption, what: str, allow: bool, progress: Progress | None) -> Path:
    url = option.url
    if option.hf_hub_id:
        repo, revision, names = _hf_files(option)
        url = f"{os.environ.get('HF_ENDPOINT', HF_ENDPOINT)}/{repo}/resolve/{revision}/{names[0]}"
    missing = Text("{what} weights are not in the local cache (looked in: {places})", what=what,
                   places=_looked_in(option))
    if os.environ.get(OFFLINE_ENV) == "1":
        raise WeightsUnavailableError(Text("{missing} and the app runs offline ({env}=1): nothing is downloaded. "
                                           "Copy the file there, or use a checkpoint.", missing=missing, env=OFFLINE_ENV))
    if not allow:
        raise WeightsUnavailableError(Text("{missing} and downloading was not allowed. Copy the file there, or use a "
                                           "checkpoint.", missing=missing))
    if not is_online(url):
        raise WeightsUnavailableError(Text("{missing} and the download host {host} cannot be reached: you seem to be "
                                           "offline. Copy the file there, or use a checkpoint.", missing=missing,
                                           host=urllib.parse.urlparse(url).hostname))
    if option.hf_hub_id:
        return _hf_download(option, progress)
    return download(url, weights_dirs()[-1] / option.file_name, progress, option.hash_prefix)


def _hf_download(option: WeightsOption, progress: Progress | None) -> Path:
    """timm's weights through `huggingface_hub.hf_hub_download`, into the standard Hugging Face
    cache where timm itself looks (model.safetensors, else pytorch_model.bin, as timm tries them)."""
    from huggingface_hub import hf_hub_download
    from huggingface_hub.errors import EntryNotFoundError, HfHubHTTPError

    repo, revision, names = _hf_files(option)
    for name in names:
        try:
            return Path(hf_hub_download(repo, name, revision=revision, cache_dir=hf_cache_dir(),
                                        endpoint=os.environ.get("HF_ENDPOINT", HF_ENDPOINT),
                                        etag_timeout=DOWNLOAD_TIMEOUT_S, tqdm_class=_relay(progress)))
        except EntryNotFoundError:
            continue
        except (HfHubHTTPError, OSError, ValueError) as error:
            raise WeightsUnavailableError(f"Downloading {name} of {repo} failed: {_first_line(error)}.") from error
    raise WeightsUnavailableError(f"{repo} has none of {', '.join(names)} on the Hugging Face hub.")


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def _relay(progress: Progress | None) -> type:
    """A silent tqdm whose updates go to `progress(done, total)`: the library's progress hook."""
    from tqdm import tqdm

    class Relay(tqdm):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **{**kwargs, "disable": True})
            self.done, self.expected = kwargs.get("initial") or 0, kwargs.get("total") or 0

        def update(self, n: float | None = 1) -> bool | None:
            self.done += n or 0
            if progress:
                progress(int(self.done), int(self.expected))
            return super().update(n)

    return Relay


def download(url: str, target: Path, progress: Progress | None = None, hash_prefix: str | None = None) -> Path:
    """Fetch `url` to `target` with torch.hub's own download (a temporary file moved into place at
    the end, the sha256 prefix checked), its progress bar relayed to `progress` and its connection
    bounded by DOWNLOAD_TIMEOUT_S; failures are WeightsUnavailableError."""
    target.parent.mkdir(parents=True, exist_ok=True)
    bounded = functools.partial(urllib.request.urlopen, timeout=DOWNLOAD_TIMEOUT_S)
    try:
        with _HUB_PATCH, mock.patch.multiple(torch.hub, tqdm=_relay(progress), urlopen=bounded):
            torch.hub.download_url_to_file(url, str(target), hash_prefix=hash_prefix, progress=True)
    except RuntimeError as error:
        if "invalid hash value" not in str(error):
            raise
        raise WeightsUnavailableError(f"The download of {url} is corrupt (its sha256 does not start with "
                                      f"{hash_prefix}); try again.") from error
    except (urllib.error.URLError, OSError) as error:
        raise WeightsUnavailableError(f"Downloading {url} failed: {error}.") from error
    return target


# torch.hub reads its progress bar and its urlopen from module globals: patched for one download at a time.
_HUB_PATCH = threading.Lock()


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
