"""`python -m models predict`: JSON per image in order, a table for people, loud untrained
warnings, and one-line errors (exit 2, no traceback) for every kind of bad input."""

import json
import pickle
import subprocess
import sys

import pytest
import torch
import torchvision

from models.__main__ import main
from models.prediction.samples import sample_digit
from models.weights import hub


@pytest.fixture(scope="module")
def digits(tmp_path_factory):
    folder = tmp_path_factory.mktemp("digits")
    for digit in (7, 2):
        sample_digit(digit).save(folder / f"{digit}.png")
    return folder


def test_json_is_one_object_per_image_in_order(capsys, digits):
    paths = [str(digits / "7.png"), str(digits / "2.png")]
    assert main(["predict", "lenet5", *paths, "--json", "--topk", "3"]) == 0
    captured = capsys.readouterr()
    payload = json.loads(captured.out)
    assert [p["image"] for p in payload] == paths and [p["top"][0]["label"] for p in payload] == ["7", "2"]
    for prediction in payload:
        assert set(prediction) == {"image", "top", "weights", "trained", "device", "latency_ms"}
        assert len(prediction["top"]) == 3 and set(prediction["top"][0]) == {"index", "label", "prob"}
        assert all(0 <= t["prob"] <= 1 for t in prediction["top"]) and prediction["latency_ms"] > 0
        assert prediction["weights"] == "pretrained: digits (shipped with the app)" and prediction["trained"] is True
    assert captured.err == ""


def test_a_table_for_people(capsys, digits):
    assert main(["predict", "lenet5", str(digits / "7.png"), "--topk", "2", "--device", "cpu"]) == 0
    output = capsys.readouterr().out
    assert "LeNet-5 on cpu — weights: pretrained: digits (shipped with the app)" in output
    assert "7.png" in output and "ms per image" in output


def test_offline_pretrained_falls_back_loudly(capsys, monkeypatch, tmp_path):
    monkeypatch.delenv("LINEAGE_OFFLINE")
    monkeypatch.setattr(hub, "is_online", lambda url: False)
    torchvision.transforms.functional.to_pil_image(torch.rand(3, 64, 64)).save(tmp_path / "noise.png")
    assert main(["predict", "squeezenet1_1", str(tmp_path / "noise.png"), "--json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)[0]["trained"] is False
    assert "you seem to be offline" in captured.err
    assert "warning: using an UNTRAINED model" in captured.err and "predictions are meaningless" in captured.err


class Payload:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


def bad_inputs(tmp_path, digits):
    text = tmp_path / "notes.png"
    text.write_text("not a picture")
    evil = tmp_path / "evil.pth"
    evil.write_bytes(pickle.dumps(Payload(tmp_path / "pwned")))
    squeeze = tmp_path / "squeeze.pth"
    torch.save(torchvision.models.squeezenet1_1().state_dict(), squeeze)
    seven = str(digits / "7.png")
    return {
        "not an image": (["lenet5", str(text)], "notes.png is not an image"),
        "missing image": (["lenet5", str(tmp_path / "nope.png")], "cannot read"),
        "unknown id": (["nope", seven], "Unknown model 'nope'"),
        "pickle payload": (["resnet18", seven, "--weights", str(evil)], "refused"),
        "wrong architecture": (["resnet18", seven, "--weights", str(squeeze)], "does not fit"),
        "missing checkpoint": (["resnet18", seven, "--weights", str(tmp_path / "none.pt")], "cannot read"),
        "unknown weights": (["resnet18", seven, "--weights", "pretrained:NOPE"], "no weights named 'NOPE'"),
        "no weights at all": (["nin", seven, "--weights", "pretrained"], "no pretrained weights"),
        "not an image model": (["transformer_base", seven, "--weights", "untrained"], "not an image model"),
    }


def test_a_pickle_payload_from_a_shell_is_one_line_without_traceback(tmp_path, digits):
    """The one child-process test: the real entry point, warnings included, stays one line."""
    args, message = bad_inputs(tmp_path, digits)["pickle payload"]
    result = subprocess.run([sys.executable, "-m", "models", "predict", *args], capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 2 and result.stdout == "" and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [result.stderr.strip()] and message in result.stderr
    assert not (tmp_path / "pwned").exists()


@pytest.mark.parametrize("case", ["not an image", "missing image", "unknown id", "pickle payload",
                                  "wrong architecture", "missing checkpoint", "unknown weights",
                                  "no weights at all", "not an image model"])
def test_bad_input_is_one_line_and_exit_2(capsys, tmp_path, digits, case):
    args, message = bad_inputs(tmp_path, digits)[case]
    assert main(["predict", *args]) == 2
    error = capsys.readouterr().err.strip().splitlines()
    assert len(error) == 1 and error[0].startswith("error: ") and message in error[0]
    assert not (tmp_path / "pwned").exists()
