"""`python -m models list|summary`: JSON for scripts, tables for people, one-line errors."""

import json
import subprocess
import sys

import pytest

from models.__main__ import main
from models.registry import REGISTRY


@pytest.fixture(scope="module")
def run_cli(tmp_path_factory):
    """Run the CLI in a child process, with a private analysis cache."""
    import os

    env = {**os.environ, "LINEAGE_CACHE_DIR": str(tmp_path_factory.mktemp("cache"))}

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "models", *args], capture_output=True, text=True, timeout=300,
                              env=env)

    return run


def test_list_json(run_cli):
    listing = json.loads(run_cli("list", "--json").stdout)
    assert [row["id"] for row in listing] == list(REGISTRY)
    assert {"id", "node", "name", "source", "builder", "input_size", "weights", "fidelity"} <= set(listing[0])


def test_summary_of_one_model_is_one_object(run_cli):
    one = json.loads(run_cli("summary", "resnet18", "--json").stdout)
    assert one["id"] == "resnet18" and one["params"] == 11_689_512 and one["input_size"] == 224
    assert one["macs"] == pytest.approx(1.814e9, rel=0.01)
    assert {"name", "type", "output_shape", "params", "macs"} <= set(one["layers"][0])


def test_summary_of_several_models_is_a_list(run_cli):
    several = json.loads(run_cli("summary", "resnet18", "alexnet", "--json", "--input-size", "256").stdout)
    assert [r["id"] for r in several] == ["resnet18", "alexnet"] and several[0]["input_size"] == 256


def test_an_unknown_id_is_one_line_and_exit_2(run_cli):
    result = run_cli("summary", "resnet18", "nope")
    assert result.returncode == 2 and "Traceback" not in result.stderr and result.stdout == ""
    assert result.stderr.strip().splitlines() == ["error: Unknown model 'nope'."]


# In-process from here: the same entry point, without paying the library imports again.
def test_summary_table(capsys):
    assert main(["summary", "lenet5", "--layers"]) == 0
    output = capsys.readouterr().out
    assert "GMACs" in output and "c3.convs.15" in output and "not counted: " in output


@pytest.mark.parametrize("args", [("summary", "vgg16", "--input-size", "16"), ("summary",)])
def test_bad_requests_are_one_line_and_exit_2(capsys, args):
    assert main(list(args)) == 2
    error = capsys.readouterr().err
    assert error.startswith("error: ") and len(error.strip().splitlines()) == 1
