"""Trained experiments at tiny settings: same seed, same numbers; curves stream; the disk cache
returns the same result; the CLI's contract."""

import json

import pytest

from models.__main__ import main
from models.experiments import EXPERIMENTS, run_experiment
from models.experiments.runner import ExperimentResult

TINY = {("lenet", "alexnet"): {"steps": 20}, ("googlenet", "bn-inception"): {"steps": 20},
        ("vgg", "resnet"): {"steps": 20, "depth": 10, "shallow": 4}, ("bn-inception", "inception-v3"): {"steps": 20}}


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("LINEAGE_CACHE_DIR", str(tmp_path))


def test_every_trained_experiment_has_a_tiny_setting():
    assert set(TINY) == {edge for edge, e in EXPERIMENTS.items() if e.kind == "trained"}


@pytest.mark.parametrize("edge", list(TINY), ids=lambda e: "-".join(e))
def test_same_seed_same_numbers_and_the_curve_streams(edge):
    streamed = []
    first = run_experiment(*edge, TINY[edge], report=streamed.append, use_cache=False)
    second = run_experiment(*edge, TINY[edge], use_cache=False)
    assert [v.curve for v in first.variants] == [v.curve for v in second.variants]
    assert first.figures == second.figures and first.verdict == second.verdict
    assert len(streamed) == sum(len(v.curve) for v in first.variants) > 0
    assert all(v.final_train_loss == v.curve[-1]["train_loss"] for v in first.variants)
    other_seed = run_experiment(*edge, {**TINY[edge], "seed": 1}, use_cache=False)
    assert [v.curve for v in other_seed.variants] != [v.curve for v in first.variants]


def test_cache_returns_the_same_result_and_replays_the_curve():
    settings = TINY["vgg", "resnet"]
    fresh = run_experiment("vgg", "resnet", settings)
    replayed = []
    hit = run_experiment("vgg", "resnet", settings, report=replayed.append)
    assert hit.cached and not fresh.cached
    assert hit.to_dict() == {**fresh.to_dict(), "cached": True}
    assert len(replayed) == sum(len(v.curve) for v in fresh.variants)


def test_cli_json_has_the_documented_fields(capsys):
    assert main(["experiment", "vgg", "resnet", "--seed", "3", "--set", "steps=20", "--set", "depth=10", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["edge"] == ["vgg", "resnet"] and data["kind"] == "trained" and data["settings"]["seed"] == 3
    assert {"claim", "paper", "variants", "verdict", "supports_claim", "seconds"} <= set(data)
    variant = data["variants"][0]
    assert {"name", "with_innovation", "params", "macs", "final_train_loss", "test_accuracy", "curve"} <= set(variant)
    assert set(variant["curve"][0]) >= {"step", "train_loss", "test_accuracy"}
    assert ExperimentResult.from_dict(data).verdict == data["verdict"]


def test_cli_lists_every_edge_with_an_experiment(capsys):
    assert main(["experiment", "--list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [tuple(line.split()[:2]) for line in lines] == list(EXPERIMENTS)


@pytest.mark.parametrize("argv, message", [
    (["experiment", "vgg", "nowhere"], "Unknown network 'nowhere'"),
    (["experiment", "lenet", "vgg"], "The tree has no edge lenet → vgg."),
    (["experiment", "vgg", "resnet", "--set", "steps=1"], "steps must be between"),
    (["experiment"], "name an edge"),
])
def test_cli_bad_input_is_one_line_and_exit_2(capsys, argv, message):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
