"""Every experiment's verdict is computed: made-up measurements that support the claim and ones
that do not give the two answers, with the numbers in the words."""

import pytest

from lineage import load_lineage
from models.experiments import EXPERIMENTS
from models.experiments.registry import missing_edges

CASES = {
    ("alexnet", "vgg"): ({"field_5x1": 5, "field_3x2": 5, "field_7x1": 7, "field_3x3": 7, "weights_5x1": 25,
                          "weights_3x2": 18, "weights_7x1": 49, "weights_3x3": 27}, {"field_3x2": 3}),
    ("alexnet", "nin"): ({"params_fc": 1000, "params_gap": 10, "params_ratio": 0.01}, {"params_gap": 500, "params_ratio": 0.5}),
    ("resnet", "resnext"): ({"macs_ratio": 1.01, "width_ratio": 2, "cardinality": 32}, {"macs_ratio": 1.5}),
    ("inception-v3", "xception"): ({"macs_ratio": 0.1125, "formula": 0.1125, "channels": 728, "kernel": 3},
                                   {"macs_ratio": 0.5}),
    ("xception", "mobilenet-v1"): ({"macs_ratio": 0.1131, "formula": 0.1131, "channels": 512, "kernel": 3},
                                   {"macs_ratio": 1.2, "formula": 1.2}),
    ("resnext", "shufflenet"): ({"reach_plain": 1 / 3, "reach_shuffled": 1.0, "groups": 3, "macs_ratio": 1},
                                {"reach_shuffled": 1 / 3}),
    ("resnet", "senet"): ({"extra_params": 2.5e6, "params_increase": 0.1, "macs_increase": 0.001,
                           "registry_extra_params": 2.5e6}, {"macs_increase": 0.2}),
    ("mobilenet-v1", "mobilenet-v2"): ({"memory_ratio": 0.2, "macs_ratio": 0.5, "expansion": 6}, {"memory_ratio": 1.5}),
    ("highway", "resnet"): ({"shortcut_params_highway": 100, "shortcut_params_residual": 0, "carried_highway": 0.8,
                             "params_ratio": 0.5}, {"shortcut_params_highway": 0}),
    ("vit", "swin"): ({"global_growth": 15.3, "window_growth": 4.0, "cost_ratio": 0.02, "global_matches_formula": 1.0,
                       "window_matches_formula": 1.0, "window": 7}, {"window_growth": 16.0, "global_growth": 16.0}),
    ("lenet", "alexnet"): ({"steps_tanh": 600, "steps_relu": 100, "steps": 800, "gap_relu": 0.2, "gap_dropout": 0.05},
                           {"steps_tanh": 120}),
    ("googlenet", "bn-inception"): ({"target": 0.9, "steps_plain": 300, "steps_bn": 30, "acc_plain_high": 0.1,
                                     "acc_bn_high": 0.95, "boost": 5}, {"steps_bn": 300}),
    ("vgg", "resnet"): ({"loss_shallow": 0.09, "loss_deep_plain": 1.1, "loss_deep_residual": 0.07, "shallow": 8,
                         "deep": 32}, {"loss_deep_plain": 0.05}),
    ("bn-inception", "inception-v3"): ({"ece_plain": 0.05, "ece_smoothed": 0.1, "over_plain": 0.03, "over_smoothed": -0.05,
                                        "acc_plain": 0.95, "acc_smoothed": 0.96}, {"over_smoothed": 0.04}),
}


def test_every_experiment_is_an_edge_of_the_tree_and_has_cases():
    assert missing_edges(load_lineage()) == []
    assert len(EXPERIMENTS) >= 12 and set(CASES) == set(EXPERIMENTS)


@pytest.mark.parametrize("edge", list(CASES), ids=lambda e: "-".join(e))
def test_verdict_both_ways(edge):
    supported, change = CASES[edge]
    judge = EXPERIMENTS[edge].judge
    yes, no = judge(supported), judge({**supported, **change})
    assert yes.supports and yes.words.startswith("Supported")
    assert not no.supports and no.words.startswith("Not shown by this run")


def test_degradation_verdict_names_what_was_missing():
    judge = EXPERIMENTS["vgg", "resnet"].judge
    partial = judge({"loss_shallow": 0.05, "loss_deep_plain": 1.0, "loss_deep_residual": 0.2, "shallow": 8, "deep": 32})
    assert not partial.supports and "residual one did not reach" in partial.words and "0.2000" in partial.words


def test_settings_defaults_lie_within_their_bounds():
    for experiment in EXPERIMENTS.values():
        assert experiment.resolve() == {s.name: s.default for s in experiment.settings}
        with pytest.raises(ValueError, match="unknown setting"):
            experiment.resolve({"nonsense": 1})
