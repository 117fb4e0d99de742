"""Shared pytest setup. Tests run from the repository root so `lineage`, `models` and `ui`
import, and no test ever fetches weights: private empty caches and downloads turned off
(LINEAGE_OFFLINE). A test that needs the offline *probe* path unsets LINEAGE_OFFLINE and fakes
the probe itself."""

import sys
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
