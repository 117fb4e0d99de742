"""Network in Network (Lin et al. 2013) for ImageNet: mlpconv blocks and global average pooling.

The paper details only its CIFAR/SVHN/MNIST networks; this follows the ImageNet NiN its authors
released in the Caffe Model Zoo ("NIN-Imagenet", also the model behind Dive into Deep Learning,
Sec. 8.3): mlpconv blocks of 11×11/4 (96), 5×5 (256), 3×3 (384) and 3×3 (1024) convolutions, each
followed by two 1×1 convolutions (the last one mapping 1024 → one map per class), 3×3/2 max pooling
between blocks (Caffe rounds pooled sizes up), dropout before the last block, then global average
pooling of the class maps. 224×224 input; about 7.6 M parameters and 1.1 GMACs.
"""

from __future__ import annotations

import torch
from torch import nn

INPUT_SIZE = 224
CAM_LAYER = "block4"  # the class-confidence maps that global average pooling turns into logits
FIDELITY = ("The ImageNet NiN the authors released in the Caffe Model Zoo (the paper gives only "
            "CIFAR-scale networks); He initialization instead of Caffe's Gaussian fillers.")


def mlpconv(in_channels: int, width: int, out_channels: int, kernel_size: int, stride: int,
            padding: int) -> nn.Sequential:
    """A convolution followed by two 1×1 convolutions, each with ReLU: a small MLP slid over the image."""
    return nn.Sequential(
        nn.Conv2d(in_channels, width, kernel_size, stride, padding), nn.ReLU(inplace=True),
        nn.Conv2d(width, width, 1), nn.ReLU(inplace=True),
        nn.Conv2d(width, out_channels, 1), nn.ReLU(inplace=True),
    )


class NiN(nn.Module):
    """Four mlpconv blocks; the last has one map per class, averaged into the logits."""

    def __init__(self, num_classes: int = 1000) -> None:
        super().__init__()
        self.block1 = mlpconv(3, 96, 96, 11, 4, 0)
        self.pool1 = nn.MaxPool2d(3, 2, ceil_mode=True)
        self.block2 = mlpconv(96, 256, 256, 5, 1, 2)
        self.pool2 = nn.MaxPool2d(3, 2, ceil_mode=True)
        self.block3 = mlpconv(256, 384, 384, 3, 1, 1)
        self.pool3 = nn.MaxPool2d(3, 2, ceil_mode=True)
        self.dropout = nn.Dropout(0.5)
        self.block4 = mlpconv(384, 1024, num_classes, 3, 1, 1)
        self.gap = nn.AdaptiveAvgPool2d(1)
        for module in self.modules():
            if isinstance(module, nn.Conv2d):
                nn.init.kaiming_normal_(module.weight, nonlinearity="relu")
                nn.init.zeros_(module.bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.pool1(self.block1(x))
        x = self.pool2(self.block2(x))
        x = self.pool3(self.block3(x))
        return torch.flatten(self.gap(self.block4(self.dropout(x))), 1)


def nin(num_classes: int = 1000) -> nn.Module:
    """NiN for 3×224×224 input, He-initialized (the paper does not state its initialization)."""
    return NiN(num_classes)
