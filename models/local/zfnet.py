"""ZFNet (Zeiler & Fergus 2013, "Visualizing and Understanding Convolutional Networks"), Fig. 3.

AlexNet's layout with the first two layers changed after the paper's visualizations (Sec. 4.1):
96 filters of 7×7 with stride 2 (AlexNet: 11×11, stride 4), then 256 of 5×5 with stride 2; 3×3/2 max
pooling and contrast normalization after both; 384, 384 and 256 filters of 3×3; two fully connected
layers of 4096 and a 1000-way classifier. Feature maps 110 → 55 → 26 → 13 → 13 → 13 → 6, as drawn in
Fig. 3 (pooled sizes are rounded up, as in the authors' Caffe-era code, to get 55 and 13). On one GPU,
unlike AlexNet's two-way split (Sec. 3).
"""

from __future__ import annotations

import torch
from torch import nn

INPUT_SIZE = 224
CAM_LAYER = "features.13"  # the ReLU after conv5: the last map with spatial extent (13×13)
FIDELITY = ("Fig. 3 of the paper, the single network 'as per Fig. 3' (Table 2); local response normalization "
            "(AlexNet's, size 5) stands in for the paper's contrast normalization across feature maps, "
            "and He initialization for the paper's 10⁻² Gaussian.")


class ZFNet(nn.Module):
    """Five convolutional and three fully connected layers, 224×224 input."""

    def __init__(self, num_classes: int = 1000) -> None:
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 96, 7, stride=2, padding=1), nn.ReLU(inplace=True),
            nn.MaxPool2d(3, 2, ceil_mode=True), nn.LocalResponseNorm(5),
            nn.Conv2d(96, 256, 5, stride=2), nn.ReLU(inplace=True),
            nn.MaxPool2d(3, 2, ceil_mode=True), nn.LocalResponseNorm(5),
            nn.Conv2d(256, 384, 3, padding=1), nn.ReLU(inplace=True),
            nn.Conv2d(384, 384, 3, padding=1), nn.ReLU(inplace=True),
            nn.Conv2d(384, 256, 3, padding=1), nn.ReLU(inplace=True),
            nn.MaxPool2d(3, 2, ceil_mode=True),
        )
        self.classifier = nn.Sequential(
            nn.Flatten(), nn.Dropout(0.5), nn.Linear(256 * 6 * 6, 4096), nn.ReLU(inplace=True),
            nn.Dropout(0.5), nn.Linear(4096, 4096), nn.ReLU(inplace=True), nn.Linear(4096, num_classes),
        )
        for module in self.modules():
            if isinstance(module, (nn.Conv2d, nn.Linear)):
                nn.init.kaiming_normal_(module.weight, nonlinearity="relu")
                nn.init.zeros_(module.bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.classifier(self.features(x))


def zfnet(num_classes: int = 1000) -> nn.Module:
    """ZFNet for 3×224×224 input, He-initialized."""
    return ZFNet(num_classes)
