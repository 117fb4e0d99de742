"""LeNet-5 (LeCun et al. 1998, Proc. IEEE, Sec. II.B): C1-S2-C3-S4-C5-F6-output on 32×32 input."""

from __future__ import annotations

from collections import OrderedDict

import torch
from torch import nn

INPUT_SIZE = 32
CAM_LAYER = "c3"
FIDELITY = ("As in the paper (trainable subsampling, C3's partial connection table, scaled tanh; 60,850 "
            "parameters), except the output layer: a linear layer trained with softmax cross-entropy "
            "instead of 10 Euclidean RBF units (840 fixed-code weights). C1 and C3 feed S2 and S4 without "
            "squashing: Sec. II.B names the squashing at S2, S4, C5 and F6.")
# Table I of the paper: which S2 maps each of C3's 16 maps reads.
C3_TABLE = (
    (0, 1, 2), (1, 2, 3), (2, 3, 4), (3, 4, 5), (0, 4, 5), (0, 1, 5),
    (0, 1, 2, 3), (1, 2, 3, 4), (2, 3, 4, 5), (0, 3, 4, 5), (0, 1, 4, 5), (0, 1, 2, 5),
    (0, 1, 3, 4), (1, 2, 4, 5), (0, 2, 3, 5),
    (0, 1, 2, 3, 4, 5),
)


class ScaledTanh(nn.Module):
    """The paper's squashing function f(a) = 1.7159 · tanh(2a/3) (Appendix A)."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return 1.7159 * torch.tanh(x * (2.0 / 3.0))


class Subsampling(nn.Module):
    """S2/S4: sum of each 2×2 block, times a trainable coefficient, plus a trainable bias, per map."""

    def __init__(self, channels: int) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.ones(channels))
        self.bias = nn.Parameter(torch.zeros(channels))
        self.pool = nn.AvgPool2d(2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.pool(x) * 4 * self.weight.view(1, -1, 1, 1) + self.bias.view(1, -1, 1, 1)


class PartialConv(nn.Module):
    """C3: each output map convolves only the input maps its row of the connection table names."""

    is_weight_layer = True  # one layer of the paper, though built from 16 convolutions (models.analysis)

    def __init__(self, table: tuple[tuple[int, ...], ...], kernel_size: int = 5) -> None:
        super().__init__()
        self.table = table
        self.convs = nn.ModuleList(nn.Conv2d(len(inputs), 1, kernel_size) for inputs in table)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.cat([conv(x[:, list(inputs)]) for conv, inputs in zip(self.convs, self.table)], dim=1)


def lenet5(num_classes: int = 10) -> nn.Module:
    """LeNet-5 for 1×32×32 input: 60,850 parameters with 10 classes (the paper: about 60,000)."""
    return nn.Sequential(
        OrderedDict(
            c1=nn.Conv2d(1, 6, 5), s2=Subsampling(6), act2=ScaledTanh(),
            c3=PartialConv(C3_TABLE), s4=Subsampling(16), act4=ScaledTanh(),
            c5=nn.Conv2d(16, 120, 5), act5=ScaledTanh(), flatten=nn.Flatten(),
            f6=nn.Linear(120, 84), act6=ScaledTanh(), output=nn.Linear(84, num_classes),
        )
    )

