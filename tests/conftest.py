"""Shared pytest setup. Tests run from the repository root so `lineage`, `models` and `ui`
import, and no test ever fetches weights from the internet: private empty caches and downloads
turned off (LINEAGE_OFFLINE). A test that needs the offline *probe* path unsets LINEAGE_OFFLINE and
fakes the probe itself; one that needs a download serves the file from 127.0.0.1 (`served_weights`)."""

import dataclasses
import functools
import hashlib
import http.server
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture(autouse=True)
def no_weight_downloads(tmp_path_factory, monkeypatch):
    caches = tmp_path_factory.mktemp("weight-caches")
    monkeypatch.setenv("TORCH_HOME", str(caches / "torch"))
    monkeypatch.setenv("HF_HUB_CACHE", str(caches / "huggingface"))
    monkeypatch.delenv("LINEAGE_WEIGHTS_DIR", raising=False)
    monkeypatch.setenv("LINEAGE_OFFLINE", "1")
    return caches


@pytest.fixture
def file_server(tmp_path):
    """A local HTTP server for tmp_path (no internet involved)."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    handler.log_message = lambda *args: None
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture
def served_weights(tmp_path, file_server, monkeypatch):
    """Downloads on, and SqueezeNet 1.1's default weights downloadable from the local server: a
    state dict this test makes, under torchvision's file name and with its sha256 prefix. Yields
    (spec, file size); the model built from them is dropped from the shared cache afterwards."""
    import torch
    import torchvision

    from models import runtime, weights
    from models.registry import get_spec
    from models.zoo.adapters import torchvision_source

    spec = get_spec("squeezenet1_1")
    option = weights.weights_options(spec)[0]
    name = option.file_name
    torch.manual_seed(0)
    torch.save(torchvision.models.squeezenet1_1().state_dict(), tmp_path / name)
    data = (tmp_path / name).read_bytes()
    served = dataclasses.replace(option, url=f"{file_server}/{name}", hash_prefix=hashlib.sha256(data).hexdigest()[:8])
    options = torchvision_source.weights_options
    monkeypatch.setattr(torchvision_source, "weights_options", lambda asked: (served,) if asked == spec else options(asked))
    monkeypatch.delenv("LINEAGE_OFFLINE")
    runtime._cache.clear()
    yield spec, len(data)
    runtime._cache.clear()
