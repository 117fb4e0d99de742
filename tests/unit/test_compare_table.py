"""The comparison table's facts: accuracy as the libraries publish it (checked against numbers typed
from torchvision's documentation tables), counted figures, the selection of ids and the CSV."""

import csv
import io

import pytest

from models.compare.table import (MAX_MODELS, NONE_PUBLISHED, compare_row, published_accuracy, rows_csv,
                                  select_models)
from models.registry import get_spec
from models.weights import weights_options

# Typed from the "Classification" table of https://pytorch.org/vision/stable/models.html (Acc@1, Acc@5).
PUBLISHED = {
    ("resnet50", "IMAGENET1K_V1"): (76.13, 92.862),
    ("resnet50", "IMAGENET1K_V2"): (80.858, 95.434),
    ("vgg16", "IMAGENET1K_V1"): (71.592, 90.382),
    ("alexnet", "IMAGENET1K_V1"): (56.522, 79.066),
}


@pytest.mark.parametrize(("model_id", "weights"), list(PUBLISHED))
def test_weights_metadata_matches_the_published_table(model_id, weights):
    option = next(o for o in weights_options(get_spec(model_id)) if o.name == weights)
    assert option.dataset == "ImageNet-1K"
    assert (option.metrics["acc@1"], option.metrics["acc@5"]) == PUBLISHED[model_id, weights]


def test_the_table_shows_the_default_weights_accuracy():
    # torchvision's default for ResNet-50 is IMAGENET1K_V2 (the newer training recipe).
    assert published_accuracy("resnet50").weights == "IMAGENET1K_V2"
    assert (published_accuracy("resnet50").top1, published_accuracy("resnet50").top5) == PUBLISHED["resnet50", "IMAGENET1K_V2"]
    assert published_accuracy("alexnet").top1 == 56.522


@pytest.mark.parametrize("model_id", ["seresnet50", "lenet5", "bn_inception"])
def test_no_imagenet_accuracy_published(model_id):
    # timm's configs publish no accuracy; LeNet-5's shipped weights are digits; BN-Inception has none.
    assert published_accuracy(model_id) is None


def test_counted_figures_and_flops():
    row = compare_row("resnet50")
    assert row.params == 25_557_032  # torchvision's published num_params
    assert abs(row.macs / 1e9 - 4.089) < 0.01  # torchvision's published _ops (GMACs)
    assert row.flops == 2 * row.macs
    assert row.input_size == 224
    assert row.weight_layers == 54  # 53 convolutions (49 + 4 projection shortcuts) and the classifier


def test_selection_names_unknown_ids_with_close_matches_and_drops_extras():
    chosen = select_models(["resnet5", "vgg16", "vgg16", " alexnet", "lenet5", "resnet18", "vit_b_16", ""])
    assert chosen.ids == ("vgg16", "alexnet", "lenet5", "resnet18")
    assert len(chosen.ids) == MAX_MODELS
    assert chosen.dropped == ("vit_b_16",)
    assert len(chosen.unknown) == 1 and "resnet5'" in chosen.unknown[0] and "resnet50" in chosen.unknown[0]


def test_csv_has_both_units_and_says_none_published():
    rows = [compare_row("alexnet"), compare_row("lenet5")]
    parsed = list(csv.DictReader(io.StringIO(rows_csv(rows, {"alexnet": 12.5}))))
    assert [r["id"] for r in parsed] == ["alexnet", "lenet5"]
    assert int(parsed[0]["flops"]) == 2 * int(parsed[0]["macs"])
    assert parsed[0]["top1"] == "56.522" and parsed[0]["latency_ms"] == "12.5"
    assert parsed[1]["top1"] == NONE_PUBLISHED and parsed[1]["latency_ms"] == "not measured"
