"""One adapter per source; `adapter_for` is the only place a source name is looked up."""

from __future__ import annotations

from models.zoo.adapters import local, timm_source, torchvision_source
from models.zoo.adapters.base import Adapter

ADAPTERS: dict[str, Adapter] = {a.SOURCE: a for a in (torchvision_source, timm_source, local)}


def adapter_for(source: str) -> Adapter:
    """The adapter of a source ('torchvision', 'timm', 'local')."""
    try:
        return ADAPTERS[source]
    except KeyError:
        raise ValueError(f"Unknown model source '{source}'; known: {', '.join(ADAPTERS)}.") from None
