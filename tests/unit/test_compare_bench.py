"""The benchmark runner and `python -m models bench`: LeNet-5 with tiny batches and short timings
(no assertion on speed, only on what is reported and how)."""

import json

import pytest
import torch

from models.__main__ import main
from models.compare.bench import BenchSettings, example_batch, measured, prepare, run_benchmark, submit_benchmark
from models.runtime import build_model
from models.weights import UNTRAINED_LABEL

QUICK = dict(min_run_time_s=0.05)


def test_result_is_consistent_and_honest_about_weights():
    updates = []
    result = run_benchmark("lenet5", BenchSettings(batch=2, threads=1, **QUICK), lambda *u: updates.append(u))
    assert (result.id, result.device, result.batch, result.threads) == ("lenet5", "cpu", 2, 1)
    assert result.latency_p90_ms >= result.latency_ms > 0
    assert result.images_per_s == pytest.approx(2 / (result.latency_ms / 1000))
    assert result.runs >= 1 and result.weights == UNTRAINED_LABEL
    assert updates[0][0] == 0.0 and updates[-1] == (1.0, "done")
    assert all(a[0] <= b[0] for a, b in zip(updates, updates[1:]))


def test_example_batch_is_seeded_and_batched():
    first, second = example_batch("lenet5", 3, "cpu"), example_batch("lenet5", 3, "cpu")
    assert first[0].shape == (3, 1, 32, 32) and torch.equal(first[0], second[0])


def test_amp_on_cpu_runs_in_bfloat16():
    forward, _ = prepare("lenet5", BenchSettings(amp=True))
    assert forward().dtype == torch.bfloat16


def test_channels_last_leaves_the_shared_model_alone():
    forward, _ = prepare("lenet5", BenchSettings(channels_last=True))
    forward()
    shared = build_model("lenet5", "cpu").model
    assert all(p.is_contiguous() for p in shared.parameters())


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has CUDA")
def test_a_missing_device_is_refused():
    with pytest.raises(ValueError, match="cuda"):
        run_benchmark("lenet5", BenchSettings(device="cuda", **QUICK))


def test_bad_numbers_are_refused():
    with pytest.raises(ValueError, match="batch"):
        BenchSettings(batch=0)


def test_identical_requests_share_one_run():
    settings = BenchSettings(batch=1, threads=1, min_run_time_s=0.03)
    job = submit_benchmark("lenet5", settings)
    assert submit_benchmark("lenet5", settings) is job
    result = job.wait(timeout=120)
    assert measured(["lenet5", "alexnet"], settings) == {"lenet5": result}


def test_cli_json(capsys):
    assert main(["bench", "lenet5", "--batch", "2", "--threads", "1", "--min-time", "0.05", "--json"]) == 0
    out = capsys.readouterr()
    [record] = json.loads(out.out)
    assert {"id", "device", "batch", "latency_ms", "latency_p90_ms", "images_per_s", "threads", "channels_last",
            "amp", "compile"} <= set(record)
    assert record["id"] == "lenet5" and record["batch"] == 2 and record["device"] == "cpu"
    assert "lenet5" in out.err  # the progress bar


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has CUDA")
def test_cli_missing_device_is_one_line_and_status_2(capsys):
    assert main(["bench", "lenet5", "--device", "cuda"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "cuda" in err


def test_cli_unknown_id(capsys):
    assert main(["bench", "lenet55"]) == 2
    assert "Did you mean lenet5" in capsys.readouterr().err
