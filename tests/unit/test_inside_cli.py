"""`python -m models activations`: the layer list, the PNG, and one-line refusals with exit 2."""

import pytest
from PIL import Image

from models.__main__ import main
from models.inside.render import CELL, LABEL
from models.prediction.samples import sample_digit


@pytest.fixture
def seven(tmp_path):
    path = tmp_path / "seven.png"
    sample_digit(7).save(path)
    return path


def test_list_layers_starts_with_the_stages(capsys):
    assert main(["activations", "lenet5", "--list-layers"]) == 0
    lines = capsys.readouterr().out.split()
    assert lines[:5] == ["c1", "s2", "c3", "s4", "c5"] and "c3.convs.0" in lines


def test_the_grid_of_the_first_stage_is_written(seven, tmp_path, capsys):
    out = tmp_path / "grid.png"
    assert main(["activations", "lenet5", str(seven), "--out", str(out)]) == 0
    assert "c1: output 6×28×28" in capsys.readouterr().out
    with Image.open(out) as grid:  # LeNet-5's C1 has 6 channels: two rows of four cells
        assert grid.format == "PNG" and grid.size == (4 * CELL, 2 * (CELL + LABEL))


def test_untrained_weights_are_named_on_stderr(seven, tmp_path, capsys):
    assert main(["activations", "lenet5", str(seven), "--weights", "untrained", "--layer", "c3",
                 "--out", str(tmp_path / "g.png")]) == 0
    assert "UNTRAINED" in capsys.readouterr().err


@pytest.mark.parametrize(("argv", "message"), [
    (["activations", "lenet5", "x.png", "--layer", "c9"], "Unknown layer 'c9'"),
    (["activations", "lenet6", "--list-layers"], "Unknown model 'lenet6'"),
    (["activations", "lenet5"], "name an IMAGE"),
    (["activations", "lenet5", "/nonexistent.png"], "cannot read /nonexistent.png"),
])
def test_bad_input_is_one_line_and_exit_2(argv, message, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
