"""Building for real: device choice, the shared LRU of built models, memory checks, latency."""

import threading
import time

import pytest
import torch

from models import runtime
from models.registry import UnknownModelError
from models.weights import UNTRAINED, Pretrained, UnknownWeightsError


@pytest.fixture
def fresh_cache(monkeypatch):
    monkeypatch.setattr(runtime, "_cache", runtime.new_model_cache())


@pytest.mark.parametrize(("cuda", "mps", "auto"), [(True, True, "cuda"), (False, True, "mps"), (False, False, "cpu")])
def test_auto_prefers_cuda_then_mps_then_cpu(monkeypatch, cuda, mps, auto):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: cuda)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: mps)
    assert runtime.pick_device() == runtime.pick_device("auto") == auto
    assert runtime.pick_device("cpu") == "cpu"
    if not cuda:
        with pytest.raises(ValueError, match="Device 'cuda' is not available here; choose one of "):
            runtime.pick_device("cuda")


def test_a_built_model_is_in_eval_mode_and_reports_itself(fresh_cache):
    built = runtime.build_model("lenet5", "cpu")
    assert not built.model.training and built.weights_label == "untrained: random initialization" and not built.trained
    assert built.param_bytes == built.memory_bytes == 4 * sum(p.numel() for p in built.model.parameters())
    assert built.dtype == torch.float32 and built.build_seconds > 0
    assert runtime.build_model("lenet5", "cpu") is built


def test_bad_requests_are_clear_errors(fresh_cache):
    with pytest.raises(UnknownWeightsError, match="LeNet-5 offers no weights named 'imagenet'; choose one of digits"):
        runtime.build_model("lenet5", "cpu", Pretrained("imagenet"))
    with pytest.raises(UnknownModelError):
        runtime.build_model("lenet6", "cpu")


def test_least_recently_used_model_is_evicted_when_the_bytes_run_out(monkeypatch):
    lenet = 4 * sum(p.numel() for p in runtime.get_spec("lenet5").build().parameters())
    highway = 4 * sum(p.numel() for p in runtime.get_spec("highway_cifar").build().parameters())
    monkeypatch.setenv(runtime.MODEL_CACHE_ENV, str((lenet + highway + 1) / 2**20))  # room for these two only
    monkeypatch.setattr(runtime, "_cache", runtime.new_model_cache())
    first = runtime.build_model("lenet5", "cpu")
    runtime.build_model("highway_cifar", "cpu")
    assert runtime._cache.used_bytes == lenet + highway  # LeNet-5 has no buffers: its weights are its bytes
    assert runtime.build_model("lenet5", "cpu") is first  # used last, so the next one pushes out Highway
    runtime.build_model("lenet5", "cpu", Pretrained())  # same size as the untrained LeNet-5
    # the default option is cached under its own name (LeNet-5's shipped "digits"), named or not
    assert list(runtime._cache.items) == [("lenet5", "cpu", UNTRAINED), ("lenet5", "cpu", Pretrained("digits"))]
    big = runtime.build_model("resnet18", "cpu")
    assert big.memory_bytes > lenet + highway  # alone larger than the budget: kept alone
    assert list(runtime._cache.items) == [("resnet18", "cpu", UNTRAINED)]


def test_a_bad_cache_budget_is_one_clear_error(monkeypatch):
    monkeypatch.setenv(runtime.MODEL_CACHE_ENV, "lots")
    with pytest.raises(ValueError, match="LINEAGE_MODEL_CACHE_MB must be a number of MB, not 'lots'"):
        runtime.new_model_cache()


def test_sessions_asking_at_once_build_once(fresh_cache, monkeypatch):
    builds = []
    original = runtime._build

    def slow_build(*args):
        builds.append(args)
        time.sleep(0.2)
        return original(*args)

    monkeypatch.setattr(runtime, "_build", slow_build)
    results = []
    threads = [threading.Thread(target=lambda: results.append(runtime.build_model("lenet5", "cpu"))) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(builds) == 1 and len({id(r) for r in results}) == 1


def test_a_model_larger_than_free_memory_is_refused(fresh_cache, monkeypatch):
    monkeypatch.setattr(runtime, "available_ram", lambda: 100 * 2**20)
    with pytest.raises(runtime.ModelTooLargeError, match="VGG-16 needs about"):
        runtime.build_model("vgg16", "cpu")


def test_latency_is_a_median_of_real_forwards(fresh_cache):
    assert 0 < runtime.measure_latency(runtime.build_model("lenet5", "cpu"), repeats=3) < 1
