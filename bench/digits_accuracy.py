"""LeNet-5 (the shipped digits checkpoint) on digit images made here, not from the training set:
printed in DejaVu fonts (dark on white, light on dark), mouse-drawn strokes, photos of print and of
drawings. Prints accuracy per group and overall, and the held-out accuracy on scikit-learn's digits.

Run: .venv/bin/python bench/digits_accuracy.py [--seeds 1]   (seed 1 is the unit test's set;
development used 7 11 13 17)
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from models.prediction.digits import preprocess_digit  # noqa: E402
from models.runtime import build_model  # noqa: E402
from models.train_lenet import accuracy, digits_split  # noqa: E402
from models.weights import PRETRAINED, SHIPPED_DIR  # noqa: E402
from tests.digit_samples import digit_set  # noqa: E402


def self_made_scores(model: torch.nn.Module, seeds: list[int]) -> tuple[Counter, Counter]:
    """(correct, total) per group over the self-made digit sets of `seeds`."""
    correct, total = Counter(), Counter()
    with torch.no_grad():
        for seed in seeds:
            for group, label, image in digit_set(seed):
                correct[group] += int(model(preprocess_digit(image)).argmax()) == label
                total[group] += 1
    return correct, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1])
    args = parser.parse_args()
    model = build_model("lenet5", "cpu", PRETRAINED).model
    correct, total = self_made_scores(model, args.seeds)
    print(f"self-made digits, seeds {' '.join(map(str, args.seeds))}")
    for group in total:
        print(f"  {group:24} {correct[group]:4}/{total[group]:<4} {correct[group] / total[group]:6.1%}")
    all_correct, all_total = sum(correct.values()), sum(total.values())
    print(f"  {'all':24} {all_correct:4}/{all_total:<4} {all_correct / all_total:6.1%}  (unit test: ≥ 90% on seed 1)")
    seed = json.loads((SHIPPED_DIR / "lenet5_digits.json").read_text())["seed"]
    _, _, x_test, y_test = digits_split(seed)
    print(f"scikit-learn digits, held-out 20% ({len(y_test)}): {accuracy(model, x_test, y_test):.1%}")


if __name__ == "__main__":
    main()
