"""BN-Inception: the network of the Batch Normalization paper (Ioffe & Szegedy 2015, Sec. 4.2 and
Figure 5): Inception v1 with every 5×5 replaced by two 3×3, batch norm after every convolution,
and the module widths of Figure 5. 224×224 input, about 2.0 GMACs and 11.3 M parameters.
"""

from __future__ import annotations

import torch
from torch import nn

INPUT_SIZE = 224
CAM_LAYER = "inception_5b"
FIDELITY = ("Figure 5 of the paper, without the auxiliary classifiers used only in training; no dropout "
            "(Sec. 4.2.1 removes it); He initialization (the paper does not state one).")

# name: (#1x1, #3x3 reduce, #3x3, double #3x3 reduce, double #3x3, pool, pool proj, stride)
MODULES = (
    ("3a", 64, 64, 64, 64, 96, "avg", 32, 1),
    ("3b", 64, 64, 96, 64, 96, "avg", 64, 1),
    ("3c", 0, 128, 160, 64, 96, "max", 0, 2),
    ("4a", 224, 64, 96, 96, 128, "avg", 128, 1),
    ("4b", 192, 96, 128, 96, 128, "avg", 128, 1),
    ("4c", 160, 128, 160, 128, 160, "avg", 128, 1),
    ("4d", 96, 128, 192, 160, 192, "avg", 128, 1),
    ("4e", 0, 128, 192, 192, 256, "max", 0, 2),
    ("5a", 352, 192, 320, 160, 224, "avg", 128, 1),
    ("5b", 352, 192, 320, 192, 224, "max", 128, 1),
)


def conv_bn(in_channels: int, out_channels: int, kernel_size: int, stride: int = 1) -> nn.Sequential:
    """Convolution, batch norm, ReLU: the unit every layer of BN-Inception is made of."""
    return nn.Sequential(
        nn.Conv2d(in_channels, out_channels, kernel_size, stride, kernel_size // 2, bias=False),
        nn.BatchNorm2d(out_channels), nn.ReLU(inplace=True),
    )


class InceptionBN(nn.Module):
    """One module of Figure 5; stride-2 modules drop the 1×1 branch and pass pooling through."""

    def __init__(self, in_channels: int, n1x1: int, n3x3red: int, n3x3: int, nd3x3red: int, nd3x3: int,
                 pool: str, pool_proj: int, stride: int) -> None:
        super().__init__()
        self.branch1x1 = conv_bn(in_channels, n1x1, 1) if n1x1 else None
        self.branch3x3 = nn.Sequential(conv_bn(in_channels, n3x3red, 1), conv_bn(n3x3red, n3x3, 3, stride))
        self.branch_double3x3 = nn.Sequential(
            conv_bn(in_channels, nd3x3red, 1), conv_bn(nd3x3red, nd3x3, 3), conv_bn(nd3x3, nd3x3, 3, stride))
        pooling = nn.AvgPool2d if pool == "avg" else nn.MaxPool2d
        layers = [pooling(3, stride, 1)] + ([conv_bn(in_channels, pool_proj, 1)] if pool_proj else [])
        self.branch_pool = nn.Sequential(*layers)
        self.out_channels = n1x1 + n3x3 + nd3x3 + (pool_proj or in_channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        branches = [self.branch3x3(x), self.branch_double3x3(x), self.branch_pool(x)]
        if self.branch1x1 is not None:
            branches.insert(0, self.branch1x1(x))
        return torch.cat(branches, dim=1)


class BNInception(nn.Module):
    """Stem (7×7/2, 1×1, 3×3), ten Inception-BN modules, global average pooling, classifier."""

    def __init__(self, num_classes: int = 1000) -> None:
        super().__init__()
        self.stem = nn.Sequential(
            conv_bn(3, 64, 7, 2), nn.MaxPool2d(3, 2, 1), conv_bn(64, 64, 1), conv_bn(64, 192, 3),
            nn.MaxPool2d(3, 2, 1),
        )
        channels = 192
        for name, *config in MODULES:
            module = InceptionBN(channels, *config)
            self.add_module(f"inception_{name}", module)
            channels = module.out_channels
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(channels, num_classes)
        for module in self.modules():
            if isinstance(module, nn.Conv2d):
                nn.init.kaiming_normal_(module.weight, mode="fan_out", nonlinearity="relu")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.stem(x)
        for name, *_ in MODULES:
            x = getattr(self, f"inception_{name}")(x)
        return self.fc(torch.flatten(self.pool(x), 1))


def bn_inception(num_classes: int = 1000) -> nn.Module:
    """BN-Inception for 3×224×224 input."""
    return BNInception(num_classes)
