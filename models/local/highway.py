"""A convolutional Highway network for CIFAR-10 (Srivastava et al. 2015, "Highway Networks" and
"Training Very Deep Networks", Sec. 2 and 3.2): each highway layer computes
y = H(x)·T(x) + x·(1 − T(x)), with H a 3×3 convolution + ReLU and T a 3×3 convolution + sigmoid
whose bias starts negative, so that every layer first learns to carry its input.

Configuration: the papers give the depth and size of their CIFAR-10 networks (Table 1, "Highway C":
32 layers, about 1.25 M parameters) but not the layer widths, so these are ours: a plain 3×3 stem
(32 maps), then three stages at 32×32, 16×16 and 8×8 with 32, 48 and 64 maps, separated by 2×2 max
pooling; stage 1 is 10 highway layers, stages 2 and 3 each a plain 3×3 convolution that widens (a
highway layer keeps its width) followed by 9 highway layers; global average pooling and a linear
classifier. 1 + 10 + 10 + 10 + 1 = 32 layers, 1.27 M parameters, 333 M MACs on 3×32×32 input.
"""

from __future__ import annotations

import torch
from torch import nn

INPUT_SIZE = 32
# CIFAR-10's classes in the dataset's own label order (batches.meta of the CIFAR-10 python release).
CATEGORIES = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")
CAM_LAYER = "stage3"
WIDTHS = (32, 48, 64)
HIGHWAY_LAYERS = (10, 9, 9)
GATE_BIAS = -2.0  # Sec. 2.2: a negative transform-gate bias, "e.g. -1, -3"
FIDELITY = ("The depth and parameter budget of the papers' 32-layer CIFAR-10 network (Highway C); its "
            "layer widths are not published, so these are ours. Transform-gate bias starts at -2.")


def conv_relu(in_channels: int, out_channels: int) -> nn.Sequential:
    """A plain 3×3 convolution with ReLU, for the stem and wherever the width changes."""
    return nn.Sequential(nn.Conv2d(in_channels, out_channels, 3, padding=1), nn.ReLU(inplace=True))


class HighwayConv(nn.Module):
    """One highway layer: a 3×3 transform H and a 3×3 sigmoid transform gate T of the same width."""

    def __init__(self, channels: int) -> None:
        super().__init__()
        self.transform = conv_relu(channels, channels)
        self.gate = nn.Conv2d(channels, channels, 3, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        gate = torch.sigmoid(self.gate(x))
        return self.transform(x) * gate + x * (1 - gate)


class HighwayNet(nn.Module):
    """stem → stage1 → pool → stage2 → pool → stage3 → global average pooling → linear classifier."""

    def __init__(self, num_classes: int = 10) -> None:
        super().__init__()
        self.stem = conv_relu(3, WIDTHS[0])
        self.stage1 = nn.Sequential(*(HighwayConv(WIDTHS[0]) for _ in range(HIGHWAY_LAYERS[0])))
        self.pool1 = nn.MaxPool2d(2)
        self.stage2 = nn.Sequential(conv_relu(WIDTHS[0], WIDTHS[1]),
                                    *(HighwayConv(WIDTHS[1]) for _ in range(HIGHWAY_LAYERS[1])))
        self.pool2 = nn.MaxPool2d(2)
        self.stage3 = nn.Sequential(conv_relu(WIDTHS[1], WIDTHS[2]),
                                    *(HighwayConv(WIDTHS[2]) for _ in range(HIGHWAY_LAYERS[2])))
        self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(WIDTHS[2], num_classes))
        for module in self.modules():
            if isinstance(module, nn.Conv2d):
                nn.init.kaiming_normal_(module.weight, nonlinearity="relu")
                nn.init.zeros_(module.bias)
        for module in self.modules():
            if isinstance(module, HighwayConv):
                nn.init.constant_(module.gate.bias, GATE_BIAS)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.pool1(self.stage1(self.stem(x)))
        return self.head(self.stage3(self.pool2(self.stage2(x))))


def highway_cifar(num_classes: int = 10) -> nn.Module:
    """The 32-layer highway network above for 3×32×32 input, He-initialized with negative gate biases."""
    return HighwayNet(num_classes)
