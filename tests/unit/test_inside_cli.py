"""`python -m models activations`: the layer list, the PNG, a folder ranked by a channel, and
one-line refusals with exit 2."""

import pytest
import torch
from PIL import Image

from models.__main__ import main
from models.inside.adapter import get_spec, load
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
    (["activations", "lenet5", "--images", "/nonexistent"], "--images needs --channel N"),
    (["activations", "lenet5", "--images", "/nonexistent", "--channel", "0"], "/nonexistent is not a folder"),
])
def test_bad_input_is_one_line_and_exit_2(argv, message, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_a_folder_is_ranked_by_a_channel_and_its_bad_files_are_named(tmp_path, capsys):
    folder = tmp_path / "set"
    folder.mkdir()
    for digit in (0, 1, 7):
        sample_digit(digit).save(folder / f"{digit}.png")
    (folder / "notes.txt").write_text("not a picture")
    assert main(["activations", "lenet5", "--images", str(folder), "--layer", "c3", "--channel", "5"]) == 0
    out, err = capsys.readouterr()
    header, *rows = out.splitlines()
    assert header.startswith("LeNet-5 c3 #5: the 3 of 3 images in") and len(rows) == 3
    assert "skipped: notes.txt is not an image" in err
    built = load(get_spec("lenet5"), None)[0]  # the channel's mean, from the network cut after C3
    up_to_c3 = built.model[:list(built.model._modules).index("c3") + 1]
    with torch.inference_mode():
        expected = {f"{d}.png": float(up_to_c3(built.preprocess(sample_digit(d)).unsqueeze(0))[0, 5].mean())
                    for d in (0, 1, 7)}
    ranked = sorted(expected, key=expected.get, reverse=True)
    assert [row.split()[-1] for row in rows] == ranked
    assert [float(row.split()[1]) for row in rows] == pytest.approx([expected[name] for name in ranked], rel=1e-3)


def test_with_an_image_the_folder_is_ranked_by_its_most_active_channel(seven, tmp_path, capsys):
    folder = tmp_path / "set"
    folder.mkdir()
    (folder / "empty.png").write_bytes(b"")
    assert main(["activations", "lenet5", str(seven), "--images", str(folder), "--out", str(tmp_path / "g.png")]) == 2
    out, err = capsys.readouterr()
    assert "c1: output 6×28×28" in out and "skipped: empty.png is empty" in err
    assert err.splitlines()[-1] == f"error: no image in {folder} could be read"
