"""Analysis on the meta device: every model counts, and matches its library's or its paper's numbers."""

import threading

import pytest
from torch.nn.modules import module as nn_module

from models.analysis import core as analysis
from models.analysis import AnalysisError, analyse, cache_dir
import torch
import torchvision

from models.registry import REGISTRY, get_spec
from tests.unit.test_local_models import REFERENCES

LIBRARY = [s.id for s in REGISTRY.values() if s.source in ("torchvision", "timm")]
# The local models' published figures, with their citations, are test_local_models' REFERENCES.
PAPER = {spec.id: {"params": REFERENCES[spec.builder][1], "macs": REFERENCES[spec.builder][2]}
         for spec in REGISTRY.values() if spec.builder in REFERENCES}
PAPER["lenet5"] = {"params": 60_000}  # LeCun et al. 1998, Sec. II.B: "about 60,000 free parameters"


@pytest.fixture(autouse=True, scope="module")
def private_disk_cache(tmp_path_factory):
    """Never read analyses cached on disk by an earlier version of the code under test."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LINEAGE_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        analysis._memory_cache.clear()
        yield
    analysis._memory_cache.clear()


@pytest.mark.parametrize("model_id", list(REGISTRY))
def test_every_model_analyses_on_meta_and_adds_up(model_id):
    result = analyse(model_id)
    assert result.device_used == "meta" and result.macs > 0 and result.params > 0
    assert sum(row.macs for row in result.layers) == result.macs
    assert sum(row.params for row in result.layers) == result.params >= sum(s.params for s in result.stages)
    assert [s.name for s in result.stages] == [n for n, _ in get_spec(model_id).build("meta").named_children()]
    assert result.weight_layers > 0 and result.activation_bytes > 0 and result.input_desc
    assert "view" not in result.uncounted


def library_reference(spec) -> tuple[int, float | None]:
    """(params, MACs) as the library publishes them: torchvision's default-weights metadata; timm
    publishes no compute, so its own model's parameters, counted here."""
    if spec.source == "torchvision":
        meta = torchvision.models.get_model_weights(spec.builder).DEFAULT.meta
        return meta["num_params"], meta["_ops"] * 1e9
    import timm

    with torch.device("meta"):
        return sum(p.numel() for p in timm.create_model(spec.builder).parameters()), None


@pytest.mark.parametrize("model_id", LIBRARY)
def test_library_models_match_their_library(model_id):
    (params, macs), result = library_reference(get_spec(model_id)), analyse(model_id)
    assert result.params == params
    if macs is not None:  # torchvision's _ops: GMACs rounded to 3 decimals, so allow that too
        assert result.macs == pytest.approx(macs, rel=0.01, abs=0.0005e9)


def test_every_local_model_has_a_paper_check():
    """A hand-written network without published figures to check it against is not done."""
    assert {s.id for s in REGISTRY.values() if s.source == "local"} <= set(PAPER)


def test_se_resnet50_reproduces_the_se_paper():
    assert analyse("seresnet50").macs == pytest.approx(3.87e9, rel=0.02)  # Hu et al. 2017, Table 2


@pytest.mark.parametrize("model_id", PAPER)
def test_local_models_are_within_ten_percent_of_their_papers(model_id):
    result = analyse(model_id)
    for quantity, reference in PAPER[model_id].items():
        assert getattr(result, quantity) == pytest.approx(reference, rel=0.10), quantity


def test_layer_rows_and_uncounted_ops():
    result = analyse("resnet50")
    assert [s.name for s in result.stages if s.name.startswith("layer")] == ["layer1", "layer2", "layer3", "layer4"]
    conv1 = next(row for row in result.layers if row.name == "conv1")
    assert conv1.output_shape == (1, 64, 112, 112) and conv1.params == 64 * 3 * 7 * 7
    assert conv1.macs == 64 * 3 * 7 * 7 * 112 * 112 and conv1.share == pytest.approx(conv1.macs / result.macs)
    assert {"max_pool2d_with_indices", "native_batch_norm"} <= set(result.uncounted)
    assert result.weight_layers == 54  # 53 convolutions + fc


def test_lenet_counts_a_one_channel_image():
    result = analyse("lenet5")
    assert result.input_desc == "1×1×32×32 image"
    assert result.layers[0].output_shape == (1, 6, 28, 28)


def test_no_hooks_are_left_behind():
    analyse("resnet18", 160, use_cache=False)
    assert not nn_module._global_forward_hooks and not nn_module._global_forward_pre_hooks


def test_second_call_comes_from_the_memory_cache():
    first = analyse("alexnet")
    assert analyse("alexnet") is first
    assert analyse("alexnet", use_cache=False) is not first


def test_disk_cache_serves_a_new_process():
    fresh = analyse("squeezenet1_1", use_cache=False)
    assert list(cache_dir().rglob("squeezenet1_1-224-torch-*.json"))
    analysis._memory_cache.clear()
    assert analyse("squeezenet1_1") == fresh


def test_concurrent_calls_count_once(monkeypatch):
    calls = []
    original = analysis._analyse_uncached
    monkeypatch.setattr(analysis, "_analyse_uncached", lambda *a: calls.append(a) or original(*a))
    threads = [threading.Thread(target=analyse, args=("mobilenet_v3_small", 192)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1


@pytest.mark.parametrize(("model_id", "size"), [("vgg16", 16), ("vit_b_16", 256), ("resnet18", 0)])
def test_an_input_size_the_model_cannot_take_is_a_clear_error(model_id, size):
    with pytest.raises(AnalysisError, match=f"{model_id} cannot take {size}×{size} input: "):
        analyse(model_id, size)


def test_other_input_sizes_are_counted():
    assert analyse("resnet50", 448).macs == pytest.approx(4 * analyse("resnet50").macs, rel=0.01)


@pytest.mark.parametrize("model_id", ["alexnet", "resnet18", "vgg11", "mobilenet_v2"])
def test_fvcore_agrees_with_the_torch_counter(model_id):
    torch_count, fvcore_count = analyse(model_id), analyse(model_id, engine="fvcore")
    assert fvcore_count.macs == pytest.approx(torch_count.macs, rel=0.05)
    assert fvcore_count.params == torch_count.params and fvcore_count.device_used == "cpu"
    assert fvcore_count.operators["conv"] > 0.9 * fvcore_count.macs
    assert [s.name for s in fvcore_count.stages] == [s.name for s in torch_count.stages]


def test_the_transformer_is_counted_with_tokens():
    result = analyse("transformer_base", 512)  # an image size means nothing to it and is ignored
    assert result.input_size is None and result.input_desc == "1×128 source + 1×128 target tokens"


def test_to_dict_is_json_ready():
    import json

    data = json.loads(json.dumps(analyse("resnet18").to_dict()))
    assert data["flops"] == 2 * data["macs"] and data["layers"][0]["output_shape"] == [1, 64, 112, 112]


def test_an_unknown_engine_is_refused():
    with pytest.raises(AnalysisError, match="engine"):
        analyse("resnet18", engine="ptflops")


def test_counting_waits_for_a_forward_in_progress():
    from models import hook_guard

    with hook_guard.shared():
        counting = threading.Thread(target=analyse, args=("resnet18", 96), kwargs={"use_cache": False})
        counting.start()
        counting.join(timeout=0.5)
        assert counting.is_alive()  # FlopCounterMode's global hooks must not see this forward
    counting.join(timeout=60)
    assert not counting.is_alive()
