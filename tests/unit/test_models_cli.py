"""`python -m models list|summary`: JSON for scripts, tables for people, one-line errors."""

import json
import subprocess
import sys

import pytest

from models.__main__ import main
from models.registry import REGISTRY, get_spec
from models.weights import Pretrained, option_for


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("LINEAGE_CACHE_DIR", str(tmp_path))


def run(capsys, *args: str) -> tuple[int, str, str]:
    """The CLI in this process: (exit status, stdout, stderr)."""
    status = main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_an_unknown_id_from_a_shell_is_one_line_and_exit_2():
    """The one child-process test: the real `python -m models` entry point."""
    result = subprocess.run([sys.executable, "-m", "models", "summary", "resnet18", "nope"], capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 2 and "Traceback" not in result.stderr and result.stdout == ""
    assert result.stderr.strip().splitlines() == ["error: Unknown model 'nope'."]


def test_list_json(capsys):
    status, out, _ = run(capsys, "list", "--json")
    listing = json.loads(out)
    assert status == 0 and [row["id"] for row in listing] == list(REGISTRY)
    assert {"id", "node", "name", "source", "builder", "default", "input_size", "weights", "fidelity"} <= set(listing[0])


def test_list_offers_exactly_the_weights_predict_accepts(capsys):
    """vgg16's IMAGENET1K_FEATURES and ViT's SWAG_E2E_V1 were listed once and then refused."""
    listing = {row["id"]: row["weights"] for row in json.loads(run(capsys, "list", "--json")[1])}
    assert listing["vgg16"] == ["IMAGENET1K_V1"] and "IMAGENET1K_SWAG_E2E_V1" not in listing["vit_l_16"]
    for model_id, names in listing.items():
        for name in names:
            assert option_for(get_spec(model_id), Pretrained(name)).name == name


def test_summary_of_one_model_is_one_object(capsys):
    one = json.loads(run(capsys, "summary", "resnet18", "--json")[1])
    assert one["id"] == "resnet18" and one["params"] == 11_689_512 and one["input_size"] == 224  # torchvision's meta
    assert one["macs"] == pytest.approx(1.814e9, rel=0.01)
    assert {"name", "type", "output_shape", "params", "macs"} <= set(one["layers"][0])


def test_summary_of_several_models_is_a_list(capsys):
    several = json.loads(run(capsys, "summary", "resnet18", "alexnet", "--json", "--input-size", "256")[1])
    assert [r["id"] for r in several] == ["resnet18", "alexnet"] and several[0]["input_size"] == 256


def test_summary_table(capsys):
    assert main(["summary", "lenet5", "--layers"]) == 0
    output = capsys.readouterr().out
    assert "GMACs" in output and "c3.convs.15" in output and "not counted: " in output


@pytest.mark.parametrize("args", [("summary", "vgg16", "--input-size", "16"), ("summary",)])
def test_bad_requests_are_one_line_and_exit_2(capsys, args):
    assert main(list(args)) == 2
    error = capsys.readouterr().err
    assert error.startswith("error: ") and len(error.strip().splitlines()) == 1
