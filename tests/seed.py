"""Read the user's own lineage drawing (the mermaid block of seed 000_*.txt) for tests."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
_NODE = r"(\w+)(?:\[\"?([^\]\"]+)\"?\])?"
_EDGE = re.compile(rf"^\s*{_NODE}\s*-->\|(\"?)(.+?)\3\|\s*{_NODE}\s*$")
_DECLARATION = re.compile(rf"^\s*{_NODE}\s*$")


def parse_mermaid(text: str) -> set[tuple[str, str, str]]:
    """(source name, label, target name) for every labelled edge of a mermaid flowchart."""
    names: dict[str, str] = {}
    raw_edges = []
    for line in text.splitlines():
        if match := _EDGE.match(line):
            src, src_name, _, label, dst, dst_name = match.groups()
            names.update({k: v for k, v in ((src, src_name), (dst, dst_name)) if v})
            raw_edges.append((src, label, dst))
        elif (match := _DECLARATION.match(line)) and match.group(2):
            names[match.group(1)] = match.group(2)
    return {(names.get(s, s), label.replace("#quot;", '"'), names.get(d, d)) for s, label, d in raw_edges}


def seed_mermaid_block() -> str:
    """The ```mermaid block of the seed file 000_*.txt; skips the test where shared/ is absent."""
    files = sorted(SEEDS.glob("000_*.txt"))
    if not files:
        pytest.skip(f"seed notes not found under {SEEDS}")
    text = files[0].read_text(encoding="utf-8")
    return re.search(r"```mermaid\n(.*?)```", text, re.S).group(1)
