"""Train LeNet-5 on scikit-learn's bundled handwritten digits and ship the checkpoint.

    python -m models.train_lenet [--epochs 40] [--seed 0] [--out models/weights]

Reproducible: seeded, single-threaded, deterministic algorithms; about a minute on a laptop CPU.
Writes lenet5_digits.safetensors (the state dict) and lenet5_digits.json (how it was made and its
held-out accuracy on a stratified 20% split the training never sees).
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
import sys
import time
from pathlib import Path

import numpy as np
import torch
from safetensors.torch import save_file
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from torch.nn import functional as F
from torchvision.transforms import v2

from models.digits import BACKGROUND, tensor_from_8x8
from models.local.lenet5 import lenet5

# Small geometric jitter so the network tolerates how users centre, size and slant their digits.
AUGMENT = v2.RandomAffine(degrees=12, translate=(0.08, 0.08), scale=(0.85, 1.1), shear=8, fill=BACKGROUND)


def digits_split(seed: int = 0) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """(train x, train y, test x, test y) as LeNet-5 inputs: a stratified 80/20 split of load_digits."""
    digits = load_digits()
    x = torch.stack([tensor_from_8x8(image) for image in digits.images])
    y = torch.as_tensor(digits.target)
    train_idx, test_idx = train_test_split(np.arange(len(y)), test_size=0.2, stratify=y.numpy(), random_state=seed)
    return x[train_idx], y[train_idx], x[test_idx], y[test_idx]


def accuracy(model: torch.nn.Module, x: torch.Tensor, y: torch.Tensor) -> float:
    """Top-1 accuracy in [0, 1]."""
    with torch.no_grad():
        return (model.eval()(x).argmax(1) == y).float().mean().item()


def train(epochs: int, seed: int) -> tuple[torch.nn.Module, dict]:
    """Train from scratch; returns the model and the record written beside the checkpoint."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    x_train, y_train, x_test, y_test = digits_split(seed)
    model = lenet5()
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, epochs)
    started = time.perf_counter()
    for _ in range(epochs):
        model.train()
        for batch in torch.randperm(len(y_train)).split(64):
            inputs = torch.stack([AUGMENT(image) for image in x_train[batch]])
            loss = F.cross_entropy(model(inputs), y_train[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        schedule.step()
    record = {
        "dataset": "scikit-learn load_digits (UCI optdigits test set, 8×8)",
        "classes": [str(d) for d in range(10)],
        "seed": seed, "epochs": epochs, "split": "stratified 80/20, sklearn train_test_split(random_state=seed)",
        "n_train": len(y_train), "n_test": len(y_test),
        "test_accuracy": round(accuracy(model, x_test, y_test), 4),
        "train_seconds": round(time.perf_counter() - started, 1),
        "torch": torch.__version__, "date": datetime.date.today().isoformat(),
        "command": "python -m models.train_lenet " + " ".join(sys.argv[1:]),
    }
    return model.eval(), record


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "weights")
    args = parser.parse_args()
    model, record = train(args.epochs, args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    save_file({k: v.contiguous() for k, v in model.state_dict().items()}, args.out / "lenet5_digits.safetensors")
    (args.out / "lenet5_digits.json").write_text(json.dumps(record, indent=2) + "\n")
    print(json.dumps(record, indent=2))


if __name__ == "__main__":
    main()
