"""ShuffleNet v1, 1×, g = 3 (Zhang et al. 2017, Table 1 and Figure 2): pointwise group
convolutions, channel shuffle and depthwise 3×3; about 140 M multiply-adds and 1.9 M parameters
at 224×224 (Table 2 reports 140 MFLOPs, counting multiply-adds).
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F

INPUT_SIZE = 224
CAM_LAYER = "stage4"
FIDELITY = ("As in the paper (Table 1 and Figure 2, 1×, g = 3: shuffle after the first pointwise group "
            "convolution, ReLU after the add or concat); He initialization (the paper does not state one).")
GROUPS = 3
STAGE_CHANNELS = (240, 480, 960)
STAGE_REPEATS = (4, 8, 4)


def channel_shuffle(x: torch.Tensor, groups: int) -> torch.Tensor:
    """Interleave channels across groups: reshape (g, c/g) → transpose → flatten (Sec. 3.1)."""
    batch, channels, height, width = x.shape
    x = x.view(batch, groups, channels // groups, height, width).transpose(1, 2)
    return x.reshape(batch, channels, height, width)


class ShuffleUnit(nn.Module):
    """Figure 2(b) (stride 1, add) and 2(c) (stride 2, average-pool shortcut, concat)."""

    def __init__(self, in_channels: int, out_channels: int, stride: int, group_first: bool) -> None:
        super().__init__()
        self.stride = stride
        branch_out = out_channels - in_channels if stride == 2 else out_channels
        mid = out_channels // 4
        self.first_groups = GROUPS if group_first else 1
        self.compress = nn.Sequential(
            nn.Conv2d(in_channels, mid, 1, groups=self.first_groups, bias=False), nn.BatchNorm2d(mid),
            nn.ReLU(inplace=True))
        self.depthwise = nn.Sequential(
            nn.Conv2d(mid, mid, 3, stride, 1, groups=mid, bias=False), nn.BatchNorm2d(mid))
        self.expand = nn.Sequential(nn.Conv2d(mid, branch_out, 1, groups=GROUPS, bias=False),
                                    nn.BatchNorm2d(branch_out))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.compress(x)
        if self.first_groups > 1:
            out = channel_shuffle(out, self.first_groups)
        out = self.expand(self.depthwise(out))
        if self.stride == 2:
            return F.relu(torch.cat([F.avg_pool2d(x, 3, 2, 1), out], dim=1))
        return F.relu(x + out)


class ShuffleNetV1(nn.Module):
    """conv1 (24, 3×3/2) → max pool → stages 2-4 → global pool → classifier."""

    def __init__(self, num_classes: int = 1000) -> None:
        super().__init__()
        self.conv1 = nn.Sequential(nn.Conv2d(3, 24, 3, 2, 1, bias=False), nn.BatchNorm2d(24), nn.ReLU(inplace=True))
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        in_channels = 24
        for index, (channels, repeats) in enumerate(zip(STAGE_CHANNELS, STAGE_REPEATS), start=2):
            units = [ShuffleUnit(in_channels, channels, 2, group_first=index > 2)]
            units += [ShuffleUnit(channels, channels, 1, group_first=True) for _ in range(repeats - 1)]
            self.add_module(f"stage{index}", nn.Sequential(*units))
            in_channels = channels
        self.fc = nn.Linear(in_channels, num_classes)
        for module in self.modules():
            if isinstance(module, nn.Conv2d):
                nn.init.kaiming_normal_(module.weight, mode="fan_out", nonlinearity="relu")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.maxpool(self.conv1(x))
        x = self.stage4(self.stage3(self.stage2(x)))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


def shufflenet_v1_g3(num_classes: int = 1000) -> nn.Module:
    """ShuffleNet v1 1× with 3 groups, for 3×224×224 input."""
    return ShuffleNetV1(num_classes)
