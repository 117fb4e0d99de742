"""Measured experiment: how self-attention's cost grows with the image, global (ViT) against
shifted local windows (Swin), counted by FlopCounterMode and checked against the paper's formulas."""

from __future__ import annotations

import math

import torch
from torch import nn

from lineage.text import Text
from models.experiments.base import SEED, Experiment, Measurements, Paper, Setting, Variant, Verdict
from models.experiments.measure import count, ratio

PATCH = 4  # Swin's patch size: the token grid is (image / 4)²


class WindowAttention(nn.Module):
    """Single-head self-attention over (B, h·w, C) tokens, within M×M windows (M=None: globally).
    Heads split C but leave the multiply-adds unchanged, so one head counts the same as many."""

    def __init__(self, channels: int, side: int, window: int | None) -> None:
        super().__init__()
        self.side, self.window = side, window
        self.qkv, self.proj = nn.Linear(channels, 3 * channels, bias=False), nn.Linear(channels, channels, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        batch, tokens, channels = x.shape
        if self.window:  # (B, h, w, C) → (B·windows, M², C)
            m, n = self.window, self.side // self.window
            x = x.view(batch, n, m, n, m, channels).transpose(2, 3).reshape(-1, m * m, channels)
        q, k, v = self.qkv(x).chunk(3, dim=-1)
        attention = torch.softmax(q @ k.transpose(-2, -1) / math.sqrt(channels), dim=-1)
        return self.proj(attention @ v).reshape(batch, tokens, channels)


def formula_global(hw: int, c: int) -> int:
    """Ω(MSA) = 4hwC² + 2(hw)²C (Swin, Eq. 1)."""
    return 4 * hw * c * c + 2 * hw * hw * c


def formula_window(hw: int, c: int, m: int) -> int:
    """Ω(W-MSA) = 4hwC² + 2M²hwC (Swin, Eq. 2)."""
    return 4 * hw * c * c + 2 * m * m * hw * c


def _attention_cost(settings: dict, _report) -> Measurements:
    c, m, image = int(settings["channels"]), int(settings["window"]), int(settings["image"])
    sizes = [image // 2, image]
    figures: dict[str, float] = {"window": m}
    variants = []
    for name, window in ((Text("global self-attention (ViT)"), None), (Text("{m}×{m} windows (Swin)", m=m), m)):
        macs = []
        for size in sizes:
            side = size // PATCH
            if side % m:
                raise ValueError(f"the token grid ({side}×{side} at {size} px) must be a multiple of the window {m}")
            macs.append(count(WindowAttention(c, side, window), torch.zeros(1, side * side, c))[1])
        key = "window" if window else "global"
        formula = formula_window if window else formula_global
        figures[f"{key}_growth"] = ratio(macs[1], macs[0])
        figures[f"{key}_matches_formula"] = float(all(
            mac == (formula((s // PATCH) ** 2, c, m) if window else formula((s // PATCH) ** 2, c))
            for mac, s in zip(macs, sizes)))
        variants.append(Variant(name, window is not None, 4 * c * c, macs[1],
                                {f"macs_at_{s}px": mac for s, mac in zip(sizes, macs)}))
    figures["cost_ratio"] = ratio(variants[1].macs, variants[0].macs)
    return Measurements(variants, figures)


def _judge_attention(f: dict) -> Verdict:
    words = Text("doubling the image side (4× the tokens) multiplies global attention's MACs by {global_growth:.2f} and "
                 "windowed attention's by {window_growth:.2f}; at the larger size windows cost {cost_ratio:.1%} of global "
                 "attention. The counts {match} the paper's formulas.", global_growth=f["global_growth"],
                 window_growth=f["window_growth"], cost_ratio=f["cost_ratio"],
                 match=(Text("match") if f["global_matches_formula"] and f["window_matches_formula"]
                        else Text("do not match")))
    linear = abs(f["window_growth"] - 4) < 1e-6
    if linear and f["global_growth"] > f["window_growth"] and f["global_matches_formula"] and f["window_matches_formula"]:
        return Verdict(True, Text("Supported: {words}", words=words))
    return Verdict(False, Text("Not shown by this run: {words}", words=words))


EXPERIMENTS = (
    Experiment(
        ("vit", "swin"), "Attention cost against image size: global against windowed",
        "Global self-attention costs grow with the square of the number of patches; windowed attention grows linearly.",
        Paper("Ω(MSA) = 4hwC² + 2(hw)²C is quadratic in the patch number hw; Ω(W-MSA) = 4hwC² + 2M²hwC is linear "
              "when M is fixed (M = 7 by default)", "quadratic vs linear in hw", "Liu et al. 2021, Sec. 3.2, Eq. 1-2"),
        "measured", "MACs growth with image size", _attention_cost, _judge_attention,
        (SEED, Setting("channels", "Channels C", 96, 16, 384), Setting("window", "Window M", 7, 2, 14),
         Setting("image", "Image side (px)", 448, 56, 896, help="compared with half this side")),
        caveat="One attention layer, softmax not counted (the formulas leave it out too); the shifted windows of "
               "alternate layers cost the same as regular ones."),
)
