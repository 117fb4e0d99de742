"""`python -m models prefetch`: offline it lists what it would fetch and fails in one line; online
(a local server) it downloads once, then finds the file cached, and copies it into --to DIR."""

from models.__main__ import main
from models.prefetch import weights_state


def test_offline_lists_what_it_would_fetch_and_fails_in_one_line(capsys):
    assert main(["prefetch", "resnet18", "alexnet"]) == 1
    out, err = capsys.readouterr()
    assert out.count("would fetch") == 2 and "resnet18-f37072fd.pth" in out and "alexnet-owt-7be5be79.pth" in out
    assert err.strip().splitlines() == ["error: offline: 2 weights file(s) not fetched (listed above)"]


def test_shipped_weights_are_always_there_and_bad_arguments_are_refused(capsys):
    assert main(["prefetch", "lenet5"]) == 0
    assert capsys.readouterr().out.startswith("cached  lenet5:")
    assert main(["prefetch"]) == 2
    assert main(["prefetch", "resnet19"]) == 2
    assert "Did you mean" in capsys.readouterr().err


def test_downloads_once_with_progress_then_finds_it_cached_and_copies_it(served_weights, tmp_path, capsys):
    spec, size = served_weights
    assert [s.path for s in weights_state([spec.id])] == [None]
    assert main(["prefetch", spec.id]) == 0
    out, err = capsys.readouterr()
    assert out.startswith(f"fetched {spec.id}:") and f"{size / 2**20:.1f}/{size / 2**20:.1f} MB" in err
    (state,) = weights_state([spec.id])
    assert state.path is not None and state.path.stat().st_size == size
    carry = tmp_path / "carry"
    assert main(["prefetch", spec.id, "--to", str(carry)]) == 0
    assert capsys.readouterr().out.startswith(f"cached  {spec.id}:")
    assert (carry / state.option.file_name).read_bytes() == state.path.read_bytes()
