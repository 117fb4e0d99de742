"""Number formatting for the pages: compute always labelled MACs or FLOPs (= 2 × MACs)."""

from __future__ import annotations

COMPUTE_UNITS = ("GMACs", "GFLOPs")


def compute(macs: float, unit: str) -> float:
    """Multiply-accumulates converted to the chosen unit, in billions."""
    return macs * (2 if unit == "GFLOPs" else 1) / 1e9


def compute_text(macs: float, unit: str) -> str:
    """'4.11 GMACs' or '8.22 GFLOPs'; small models get more decimals."""
    value = compute(macs, unit)
    return f"{value:.2f} {unit}" if value >= 0.1 else f"{value * 1000:.1f} M{unit[1:]}"


def compute_metric(macs: float, unit: str) -> tuple[str, str]:
    """(unit label, value) for a headline figure: GMACs, or MMACs for a model under 0.1 G, so
    LeNet-5 reads '0.327 MMACs' rather than '0.000327 GMACs'."""
    value = compute(macs, unit)
    return (unit, f"{value:.3g}") if value >= 0.1 else (f"M{unit[1:]}", f"{value * 1000:.3g}")


def count_text(count: float) -> str:
    """Parameters in words a reader scans: 25.6 M, 61.7 k."""
    for scale, suffix in ((1e9, " B"), (1e6, " M"), (1e3, " k")):
        if abs(count) >= scale:
            return f"{count / scale:.1f}{suffix}"
    return str(int(count))


def bytes_text(size: float) -> str:
    """Memory sizes in KiB/MiB/GiB (never '0.0 MiB' for a small model)."""
    if size >= 2**30:
        return f"{size / 2**30:.2f} GiB"
    return f"{size / 2**20:.1f} MiB" if size >= 2**20 else f"{size / 2**10:.1f} KiB"
