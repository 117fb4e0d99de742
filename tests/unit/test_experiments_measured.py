"""Measured experiments: deterministic default runs, and figures that match hand arithmetic and the
papers' own formulas."""

import math

import pytest
import torch

from models.experiments import EXPERIMENTS, run_experiment
from models.experiments.attention import formula_global, formula_window
from models.experiments.blocks import GroupedPair, input_reach
from models.experiments.factorization import conv_stack, resnext_width, separable
from models.experiments.measure import count, receptive_field

MEASURED = [edge for edge, e in EXPERIMENTS.items() if e.kind == "measured"]


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("LINEAGE_CACHE_DIR", str(tmp_path))


def _deterministic_part(result):
    data = result.to_dict()
    return {k: data[k] for k in ("variants", "figures", "verdict", "supports_claim", "settings")}


@pytest.mark.parametrize("edge", MEASURED, ids=lambda e: "-".join(e))
def test_default_run_is_deterministic(edge):
    first, second = (run_experiment(*edge, use_cache=False) for _ in range(2))
    assert _deterministic_part(first) == _deterministic_part(second)


@pytest.mark.parametrize("layers, field", [(1, 3), (2, 5), (3, 7)])
def test_receptive_field_of_stacked_3x3(layers, field):
    assert receptive_field(conv_stack(4, 3, layers), 4) == field


def test_stacked_3x3_weights_are_18_and_27_c_squared():
    c = 16
    params = {(k, n): sum(p.numel() for p in conv_stack(c, k, n).parameters()) for k, n in ((3, 2), (5, 1), (3, 3), (7, 1))}
    assert params == {(3, 2): 18 * c * c, (5, 1): 25 * c * c, (3, 3): 27 * c * c, (7, 1): 49 * c * c}
    assert receptive_field(conv_stack(c, 5, 1), c) == 5 and receptive_field(conv_stack(c, 7, 1), c) == 7


def test_depthwise_separable_macs_ratio_is_one_over_n_plus_one_over_k_squared():
    n, k, side = 64, 3, 10
    x = torch.zeros(1, n, side, side)
    _, standard, _ = count(torch.nn.Conv2d(n, n, k, padding=1, bias=False), x)
    _, split, _ = count(separable(n, k), x)
    assert standard == k * k * n * n * side * side  # D_K·D_K·M·N·D_F·D_F (MobileNet Sec. 3.1)
    assert split == k * k * n * side * side + n * n * side * side
    assert math.isclose(split / standard, 1 / n + 1 / k ** 2)


def test_resnext_widths_follow_the_papers_table_2():
    assert {c: resnext_width(c) for c in (1, 2, 4, 8, 32)} == {1: 64, 2: 40, 4: 24, 8: 14, 32: 4}


def test_without_shuffle_each_output_sees_one_group():
    assert input_reach(GroupedPair(12, 3, shuffle=False), 12) == pytest.approx(1 / 3)
    assert input_reach(GroupedPair(12, 3, shuffle=True), 12) == 1.0


def test_swin_attention_counts_match_equations_1_and_2():
    result = run_experiment("vit", "swin", {"image": 224, "channels": 96, "window": 7})
    hw, c = 56 * 56, 96  # Swin-T's first stage at 224 px: 56×56 tokens of 96 channels
    assert result.variants[0].macs == 4 * hw * c * c + 2 * hw * hw * c == formula_global(hw, c)
    assert result.variants[1].macs == 4 * hw * c * c + 2 * 49 * hw * c == formula_window(hw, c, 7)
    assert result.figures["window_growth"] == 4.0


def test_nin_head_parameters_by_hand():
    result = run_experiment("alexnet", "nin")
    fc, gap = (v.params for v in result.variants)
    assert fc == (9216 * 4096 + 4096) + (4096 * 4096 + 4096) + (4096 * 1000 + 1000)
    assert gap == (256 * 256 + 256) + (256 * 1000 + 1000)


def test_se_costs_about_the_papers_2_5_million_parameters():
    result = run_experiment("resnet", "senet")
    assert 2.4e6 < result.figures["extra_params"] < 2.6e6  # Hu et al., Sec. 4: ~2.5 M
    assert 2.4e6 < result.figures["registry_extra_params"] < 2.6e6


def test_bad_settings_are_one_clear_error():
    with pytest.raises(ValueError, match="groups must divide"):
        run_experiment("resnext", "shufflenet", {"groups": 7})
    with pytest.raises(ValueError, match="between"):
        run_experiment("alexnet", "vgg", {"channels": 100_000})
