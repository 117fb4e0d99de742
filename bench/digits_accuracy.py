"""LeNet-5 (shipped digits checkpoint) on digit images made here, not from the training set:
printed in six DejaVu fonts, light-on-dark, mouse-drawn strokes, photos of print. Prints accuracy
per group and overall, and the held-out accuracy on scikit-learn's digits.

Run: .venv/bin/python bench/digits_accuracy.py [--seed 1]
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from models.digits import preprocess_digit  # noqa: E402
from models.runtime import build_model  # noqa: E402
from models.train_lenet import accuracy, digits_split  # noqa: E402
from tests.digit_samples import digit_set  # noqa: E402


def self_made_accuracy(seed: int) -> dict[str, tuple[int, int]]:
    """(correct, total) per group of self-made digits."""
    model = build_model("lenet5", "cpu", "pretrained:digits").model
    scores: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for group, label, image in digit_set(seed):
        predicted = int(model(preprocess_digit(image)).argmax())
        scores[group][0] += predicted == label
        scores[group][1] += 1
    return {group: (c, t) for group, (c, t) in scores.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    scores = self_made_accuracy(args.seed)
    for group, (correct, total) in scores.items():
        print(f"{group:24} {correct:3}/{total:3}  {correct / total:6.1%}")
    correct, total = sum(c for c, _ in scores.values()), sum(t for _, t in scores.values())
    print(f"{'all self-made digits':24} {correct:3}/{total:3}  {correct / total:6.1%}  (target ≥ 90%)")
    _, _, x_test, y_test = digits_split()
    model = build_model("lenet5", "cpu", "pretrained:digits").model
    print(f"{'sklearn held-out 20%':24} {len(y_test):7}  {accuracy(model, x_test, y_test):6.1%}")


if __name__ == "__main__":
    main()
