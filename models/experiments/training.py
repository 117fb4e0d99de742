"""Training small networks from scratch on scikit-learn's bundled digits (no download): the data,
the fully connected stacks the trained experiments compare, and one seeded training loop that
streams its curve."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import torch
from torch import nn
from torch.nn import functional as F

from models.experiments.base import Report, Variant
from models.experiments.measure import count

BATCH = 64
CURVE_POINTS = 20


@dataclass(frozen=True)
class Digits:
    """8×8 digits scaled to [0, 1], flattened; a fixed train/test split (the seed moves the rest)."""

    train_x: torch.Tensor
    train_y: torch.Tensor
    test_x: torch.Tensor
    test_y: torch.Tensor


@lru_cache(maxsize=4)
def digits(train_size: int = 1297) -> Digits:
    """The digits, shuffled once with a fixed generator; the first `train_size` train, the last 500 test."""
    from sklearn.datasets import load_digits

    data = load_digits()
    x = torch.tensor(data.data, dtype=torch.float32) / 16
    y = torch.tensor(data.target)
    order = torch.randperm(len(x), generator=torch.Generator().manual_seed(0))
    x, y = x[order], y[order]
    return Digits(x[:train_size], y[:train_size], x[-500:], y[-500:])


class Block(nn.Module):
    """Two linear layers (BN after each when asked); ReLU after the sum with the input if residual."""

    def __init__(self, width: int, batch_norm: bool, residual: bool) -> None:
        super().__init__()
        norm = (lambda: nn.BatchNorm1d(width)) if batch_norm else nn.Identity
        self.residual = residual
        self.body = nn.Sequential(nn.Linear(width, width), norm(), nn.ReLU(), nn.Linear(width, width), norm())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.relu(x + self.body(x) if self.residual else self.body(x))


def stack(depth: int, width: int = 64, batch_norm: bool = True, residual: bool = False) -> nn.Sequential:
    """A `depth`-weight-layer network for 64 inputs and 10 classes: a stem, (depth - 2) / 2 blocks, a head."""
    return nn.Sequential(nn.Linear(64, width), nn.ReLU(),
                         *(Block(width, batch_norm, residual) for _ in range((depth - 2) // 2)), nn.Linear(width, 10))


def mlp(hidden: int, layers: int, activation: Callable[[], nn.Module], dropout: float = 0.0,
        batch_norm: bool = False) -> nn.Sequential:
    """`layers` hidden layers of `hidden` units: Linear [→ BN] → activation [→ dropout], then a classifier."""
    modules: list[nn.Module] = []
    width = 64
    for _ in range(layers):
        modules += [nn.Linear(width, hidden), *([nn.BatchNorm1d(hidden)] if batch_norm else []), activation()]
        modules += [nn.Dropout(dropout)] if dropout else []
        width = hidden
    return nn.Sequential(*modules, nn.Linear(width, 10))


@dataclass(frozen=True)
class Run:
    """How one variant trains: its steps, learning rate, seed, data and loss."""

    steps: int
    lr: float
    seed: int
    data: Digits
    momentum: float = 0.9
    label_smoothing: float = 0.0


def evaluate(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> tuple[float, float, torch.Tensor]:
    """(mean cross-entropy, accuracy, softmax probabilities) in eval mode, no gradient."""
    model.eval()
    with torch.no_grad():
        logits = model(x)
    model.train()
    return float(F.cross_entropy(logits, y)), float((logits.argmax(1) == y).float().mean()), logits.softmax(1)


def train(name: str, with_innovation: bool, build: Callable[[], nn.Module], run: Run, report: Report) -> tuple[Variant, nn.Module]:
    """Train `build()` with SGD on seeded mini-batches; stream {variant, step, train_loss,
    train_accuracy, test_accuracy} CURVE_POINTS times (train_loss: the mean mini-batch loss since the
    last point, in training mode, as the papers' training curves; accuracies: whole sets, eval mode);
    return the variant and the trained model."""
    torch.manual_seed(run.seed)
    model = build()
    batches = torch.Generator().manual_seed(run.seed + 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=run.lr, momentum=run.momentum)
    every = max(1, run.steps // CURVE_POINTS)
    params, macs, _ = count(model, torch.zeros(1, 64))
    variant = Variant(name, with_innovation, params, macs)
    running, seen = 0.0, 0
    for step in range(1, run.steps + 1):
        index = torch.randint(0, len(run.data.train_x), (BATCH,), generator=batches)
        loss = F.cross_entropy(model(run.data.train_x[index]), run.data.train_y[index], label_smoothing=run.label_smoothing)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        running, seen = running + loss.item(), seen + 1
        if step % every == 0 or step == run.steps:
            point = _point(model, run.data, step, running / seen)
            running, seen = 0.0, 0
            variant.curve.append(point)
            report({"variant": name, **point})
    variant.final_train_loss = variant.curve[-1]["train_loss"]  # the last interval's mean mini-batch loss
    _, train_accuracy, _ = evaluate(model, run.data.train_x, run.data.train_y)
    _, variant.test_accuracy, _ = evaluate(model, run.data.test_x, run.data.test_y)
    variant.metrics["train_accuracy"] = train_accuracy
    return variant, model


def _point(model: nn.Module, data: Digits, step: int, batch_loss: float) -> dict[str, float]:
    _, train_accuracy, _ = evaluate(model, data.train_x, data.train_y)
    _, test_accuracy, _ = evaluate(model, data.test_x, data.test_y)
    return {"step": step, "train_loss": finite(batch_loss), "train_accuracy": round(train_accuracy, 6),
            "test_accuracy": round(test_accuracy, 6)}


def finite(value: float) -> float | None:
    """Rounded to 6 places, or None for a loss that diverged (inf/nan, which JSON cannot hold)."""
    return round(value, 6) if math.isfinite(value) else None


def first_step(curve: list[dict[str, float]], key: str, at_least: float) -> int | None:
    """The first curve step whose `key` reaches `at_least`, or None when it never does."""
    return next((int(p["step"]) for p in curve if p[key] >= at_least), None)


def calibration_error(probabilities: torch.Tensor, labels: torch.Tensor, bins: int = 15) -> float:
    """Expected calibration error: |accuracy − confidence| per confidence bin, weighted by the bin's share."""
    confidence, predicted = probabilities.max(1)
    correct = (predicted == labels).float()
    edges = torch.linspace(0, 1, bins + 1)
    total = 0.0
    for low, high in zip(edges[:-1], edges[1:]):
        inside = (confidence > low) & (confidence <= high)
        if inside.any():
            total += float(inside.float().mean()) * abs(float(correct[inside].mean() - confidence[inside].mean()))
    return total
