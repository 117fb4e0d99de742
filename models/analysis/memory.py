"""Whether a real forward pass (fvcore's engine) fits in this machine's memory, from the
meta-device count, so a size that would exhaust the machine is refused before it runs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lineage.text import Text

if TYPE_CHECKING:
    from models.analysis.core import Analysis
    from models.registry import ModelSpec


def forward_bytes(counted: Analysis) -> int:
    """Bytes a real forward pass may hold at most: float32 weights plus every layer's output (the
    meta-device count's activation_bytes; tracing keeps them alive), an upper bound measured
    against EfficientNet-B7 at 1111 px (estimate 11.3 GiB, peak 7.9 GB)."""
    return 4 * counted.params + counted.activation_bytes


def memory_shortfall(spec: ModelSpec, size: int | None, counted: Analysis) -> str | None:
    """Why a real forward pass of `spec` at `size` should not run here, or None when it fits."""
    from models.runtime import available_ram

    needed, free = forward_bytes(counted), available_ram()
    if needed <= free:
        return None
    where = f"{size}×{size}" if size else Text("this input")
    return Text("fvcore runs a real forward pass on the CPU: {name} at {where} may need up to {needed:.1f} GiB and this "
                "machine has {free:.1f} GiB free. Use the torch engine (no memory) or a smaller input.", name=spec.name,
                where=where, needed=needed / 2**30, free=free / 2**30)
