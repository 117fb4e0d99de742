"""Network in Network (Lin et al. 2013) for ImageNet: mlpconv blocks and global average pooling.

The paper details only its CIFAR/SVHN/MNIST networks; this follows the ImageNet NiN its authors
released (Caffe model zoo), as reproduced in Dive into Deep Learning, Sec. 8.3: mlpconv blocks of
11×11/4 (96), 5×5 (256), 3×3 (384) and 3×3 (num_classes) convolutions, each followed by two 1×1
convolutions, with 3×3/2 max pooling between them and dropout before the last block.
"""

from __future__ import annotations

from torch import nn

INPUT_SIZE = 224
CAM_LAYER = "block3"
FIDELITY = ("ImageNet NiN as released by the authors (the paper gives only CIFAR-scale networks); "
            "no local response normalization.")


def mlpconv(in_channels: int, out_channels: int, kernel_size: int, stride: int, padding: int) -> nn.Sequential:
    """A convolution followed by two 1×1 convolutions: a small MLP slid over the image."""
    return nn.Sequential(
        nn.Conv2d(in_channels, out_channels, kernel_size, stride, padding), nn.ReLU(inplace=True),
        nn.Conv2d(out_channels, out_channels, 1), nn.ReLU(inplace=True),
        nn.Conv2d(out_channels, out_channels, 1), nn.ReLU(inplace=True),
    )


class NiN(nn.Module):
    """Four mlpconv blocks; the last has one map per class, averaged into the logits."""

    def __init__(self, num_classes: int = 1000) -> None:
        super().__init__()
        self.block1 = mlpconv(3, 96, 11, 4, 0)
        self.pool1 = nn.MaxPool2d(3, 2)
        self.block2 = mlpconv(96, 256, 5, 1, 2)
        self.pool2 = nn.MaxPool2d(3, 2)
        self.block3 = mlpconv(256, 384, 3, 1, 1)
        self.pool3 = nn.MaxPool2d(3, 2)
        self.dropout = nn.Dropout(0.5)
        self.block4 = mlpconv(384, num_classes, 3, 1, 1)
        self.gap = nn.AdaptiveAvgPool2d(1)
        self.flatten = nn.Flatten()

    def forward(self, x):
        x = self.pool1(self.block1(x))
        x = self.pool2(self.block2(x))
        x = self.pool3(self.block3(x))
        return self.flatten(self.gap(self.block4(self.dropout(x))))


def nin(num_classes: int = 1000) -> nn.Module:
    """NiN for 3×224×224 input."""
    return NiN(num_classes)
