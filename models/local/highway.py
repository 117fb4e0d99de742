"""A convolutional Highway network for CIFAR-10 (Srivastava et al. 2015, "Highway Networks" and
"Training Very Deep Networks", Sec. 3.2): y = H(x)·T(x) + x·(1 − T(x)) with a sigmoid transform gate
whose bias starts negative, so every layer first learns to carry its input.

Configuration (the papers describe their CIFAR nets only in outline): a 3×3 stem with 32 maps,
three stages of 3 highway layers with 32, 64 and 128 maps separated by a 1×1 widening
convolution and 2×2 max pooling, global average pooling and a linear classifier: 32×32 input.
"""

from __future__ import annotations

import torch
from torch import nn

INPUT_SIZE = 32
CAM_LAYER = "stage3"
GATE_BIAS = -1.0  # the papers initialize transform-gate biases to -1 to -3 for deep networks
FIDELITY = ("A convolutional highway network in the papers' spirit (stages and widths are ours: "
            "the papers describe their CIFAR networks only in outline); batch norm added in H.")


class HighwayConv(nn.Module):
    """One highway layer: a 3×3 transform H and a 3×3 sigmoid gate T of the same width."""

    def __init__(self, channels: int) -> None:
        super().__init__()
        self.transform = nn.Sequential(
            nn.Conv2d(channels, channels, 3, padding=1), nn.BatchNorm2d(channels), nn.ReLU(inplace=True))
        self.gate = nn.Conv2d(channels, channels, 3, padding=1)
        nn.init.constant_(self.gate.bias, GATE_BIAS)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        gate = torch.sigmoid(self.gate(x))
        return self.transform(x) * gate + x * (1 - gate)


def highway_stage(in_channels: int, channels: int, depth: int) -> nn.Sequential:
    """Widen with a 1×1 convolution, then `depth` highway layers."""
    widen = [nn.Conv2d(in_channels, channels, 1), nn.ReLU(inplace=True)] if in_channels != channels else []
    return nn.Sequential(*widen, *(HighwayConv(channels) for _ in range(depth)))


class HighwayNet(nn.Module):
    """stem → stage1 (32) → pool → stage2 (64) → pool → stage3 (128) → pooled linear classifier."""

    def __init__(self, num_classes: int = 10, depth: int = 3) -> None:
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(inplace=True))
        self.stage1 = highway_stage(32, 32, depth)
        self.pool1 = nn.MaxPool2d(2)
        self.stage2 = highway_stage(32, 64, depth)
        self.pool2 = nn.MaxPool2d(2)
        self.stage3 = highway_stage(64, 128, depth)
        self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(128, num_classes))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.pool1(self.stage1(self.stem(x)))
        return self.head(self.stage3(self.pool2(self.stage2(x))))


def highway_cifar(num_classes: int = 10) -> nn.Module:
    """The highway network above for 3×32×32 input."""
    return HighwayNet(num_classes)
