"""ResNet-110 for CIFAR with stochastic depth (Huang et al. 2016, "Deep Networks with Stochastic Depth").

The paper's CIFAR network is He et al.'s 110-layer ResNet (Sec. 4): a 3×3 convolution with 16 filters,
three stages of 18 basic blocks with 16, 32 and 64 filters (stride 2 at the start of stages 2 and 3),
global average pooling and a 10-way classifier; shortcuts are identities, down-sampled and zero-padded
where the shape changes (He et al.'s option A). Training drops each block's residual branch for the
whole mini-batch with probability 1 − p_l, where the survival probability falls linearly from 1 at the
input to p_L = 0.5 at the last block (Eq. 4); at test time every branch runs, scaled by p_l (Eq. 5).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

INPUT_SIZE = 32
CAM_LAYER = "stage3"
FIDELITY = ("As in the paper: He et al.'s 110-layer CIFAR ResNet (identity, zero-padded shortcuts) with the "
            "linear decay rule p_L = 0.5; untrained here (no CIFAR weights ship).")
BLOCKS_PER_STAGE = 18
LAST_SURVIVAL = 0.5


class StochasticBlock(nn.Module):
    """A basic residual block whose residual branch survives training with probability `survival`."""

    def __init__(self, in_channels: int, out_channels: int, stride: int, survival: float) -> None:
        super().__init__()
        self.survival, self.stride, self.pad = survival, stride, out_channels - in_channels
        self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(out_channels)
        self.conv2 = nn.Conv2d(out_channels, out_channels, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        shortcut = x[:, :, ::self.stride, ::self.stride] if self.stride > 1 else x
        if self.pad:
            shortcut = F.pad(shortcut, (0, 0, 0, 0, self.pad // 2, self.pad - self.pad // 2))
        if self.training and torch.rand(()) >= self.survival:
            return F.relu(shortcut)  # the whole branch is dropped for this mini-batch
        residual = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        return F.relu(shortcut + (residual if self.training else self.survival * residual))


class StochasticDepthResNet(nn.Module):
    """The 110-layer CIFAR ResNet whose blocks' survival probabilities decay linearly with depth."""

    def __init__(self, num_classes: int = 10) -> None:
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU(inplace=True))
        total = 3 * BLOCKS_PER_STAGE
        survival = [1 - (index / total) * (1 - LAST_SURVIVAL) for index in range(1, total + 1)]
        stages, in_channels = [], 16
        for stage, width in enumerate((16, 32, 64)):
            blocks = []
            for index in range(BLOCKS_PER_STAGE):
                stride = 2 if stage > 0 and index == 0 else 1
                blocks.append(StochasticBlock(in_channels, width, stride, survival[stage * BLOCKS_PER_STAGE + index]))
                in_channels = width
            stages.append(nn.Sequential(*blocks))
        self.stage1, self.stage2, self.stage3 = stages
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(64, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.stage3(self.stage2(self.stage1(self.stem(x))))
        return self.fc(torch.flatten(self.pool(x), 1))


def resnet110_stochastic_depth(num_classes: int = 10) -> nn.Module:
    """ResNet-110 with stochastic depth for 3×32×32 CIFAR images."""
    return StochasticDepthResNet(num_classes)
