"""Registry-wide checks: every model analyses on the meta device and matches its reference."""

import json
import subprocess
import sys

import pytest
import timm
import torch
import torchvision

from lineage import load_lineage
from models.analysis import AnalysisError, analyse
from models.registry import REGISTRY, UnknownModelError, default_model_for_node, get_spec

TORCHVISION = [s.id for s in REGISTRY.values() if s.source == "torchvision"]
TIMM = [s.id for s in REGISTRY.values() if s.source == "timm"]
# Published figures for the local implementations (MACs; the papers' "FLOPs" count multiply-adds).
PAPER = {
    "lenet5": {"params": 60_000},  # LeCun et al. 1998, Sec. II.B: "about 60,000 free parameters"
    "bn_inception": {"macs": 2.03e9},  # Hu et al. 2017 (SENet), Table 2: BN-Inception 2.03 GFLOPs
    "shufflenet_v1_g3": {"macs": 140e6},  # Zhang et al. 2017, Table 2: ShuffleNet 1x (g = 3) 140 MFLOPs
    "transformer_base": {"params": 65e6},  # Vaswani et al. 2017, Table 3: base model 65 × 10^6
}


def test_every_lineage_node_has_a_model_and_back():
    graph = load_lineage()
    assert {s.node for s in REGISTRY.values()} == set(graph.nodes)
    assert default_model_for_node("resnet").id == "resnet50"


@pytest.mark.parametrize("model_id", TORCHVISION)
def test_torchvision_models_match_torchvision_metadata(model_id):
    spec = get_spec(model_id)
    meta = torchvision.models.get_model_weights(spec.builder).DEFAULT.meta
    result = analyse(model_id)
    assert result.params == meta["num_params"]
    # _ops is rounded to 3 decimals (GMACs): allow that rounding as well as 1%.
    assert result.macs == pytest.approx(meta["_ops"] * 1e9, rel=0.01, abs=0.0005e9)
    assert result.device_used == "meta"


@pytest.mark.parametrize("model_id", TIMM)
def test_timm_models_match_timm(model_id):
    spec = get_spec(model_id)
    with torch.device("meta"):
        reference = timm.create_model(spec.builder)
    assert analyse(model_id).params == sum(p.numel() for p in reference.parameters())
    assert analyse(model_id).input_size == reference.pretrained_cfg["input_size"][-1]


def test_se_resnet50_reproduces_the_se_paper():
    assert analyse("seresnet50").macs == pytest.approx(3.87e9, rel=0.02)  # Hu et al. 2017, Table 2


@pytest.mark.parametrize("model_id", PAPER)
def test_local_models_are_within_ten_percent_of_their_papers(model_id):
    result = analyse(model_id)
    for quantity, reference in PAPER[model_id].items():
        assert getattr(result, quantity) == pytest.approx(reference, rel=0.10), quantity


@pytest.mark.parametrize("model_id", [s.id for s in REGISTRY.values() if s.source == "local"])
def test_local_models_run_a_real_forward_pass(model_id):
    from models.analysis import example_inputs

    spec = get_spec(model_id)
    model = spec.build("cpu")
    with torch.no_grad():
        output = model(*example_inputs(spec, spec.input_size, "cpu"))
    expected_classes = 37_000 if spec.kind == "sequence" else spec.num_classes
    assert output.shape[-1] == expected_classes and torch.isfinite(output).all()


def test_layers_and_stages_add_up():
    result = analyse("resnet50")
    assert sum(row.macs for row in result.layers) == result.macs
    assert sum(row.params for row in result.layers) == result.params
    assert [s.name for s in result.stages if s.name.startswith("layer")] == ["layer1", "layer2", "layer3", "layer4"]
    conv1 = next(row for row in result.layers if row.name == "conv1")
    assert conv1.output_shape == (1, 64, 112, 112) and conv1.params == 64 * 3 * 7 * 7
    assert "max_pool2d_with_indices" in result.uncounted


def test_second_call_comes_from_the_cache():
    first = analyse("alexnet")
    assert analyse("alexnet") is first


def test_disk_cache_survives_a_new_process(tmp_path, monkeypatch):
    monkeypatch.setenv("LINEAGE_CACHE_DIR", str(tmp_path))
    fresh = analyse("squeezenet1_1", use_cache=False)
    assert list(tmp_path.rglob("squeezenet1_1-224-torch.json"))
    from models import analysis

    analysis._memory_cache.clear()
    assert analyse("squeezenet1_1") == fresh


@pytest.mark.parametrize("model_id", ["alexnet", "resnet18", "vgg11", "mobilenet_v2"])
def test_fvcore_agrees_with_the_torch_counter(model_id):
    torch_count, fvcore_count = analyse(model_id), analyse(model_id, engine="fvcore")
    assert fvcore_count.macs == pytest.approx(torch_count.macs, rel=0.05)
    assert fvcore_count.params == torch_count.params and fvcore_count.operators


def test_an_input_size_the_model_cannot_take_is_a_clear_error():
    with pytest.raises(AnalysisError, match="vgg16 cannot take 16×16 input"):
        analyse("vgg16", 16)


def test_the_transformer_is_counted_with_tokens():
    result = analyse("transformer_base")
    assert result.input_size is None and "tokens" in result.input_desc


def test_unknown_model_suggests_close_ids():
    with pytest.raises(UnknownModelError, match="resnet50"):
        get_spec("resnet5O")


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "models", *args], capture_output=True, text=True, timeout=300)


def test_cli_list_and_summary():
    listing = json.loads(run_cli("list", "--json").stdout)
    assert {"id", "node", "source", "builder", "input_size"} <= set(listing[0])
    assert len(listing) == len(REGISTRY)
    one = json.loads(run_cli("summary", "resnet18", "--json").stdout)
    assert one["id"] == "resnet18" and one["params"] == 11_689_512
    assert {"name", "type", "output_shape", "params", "macs"} <= set(one["layers"][0])
    several = json.loads(run_cli("summary", "resnet18", "alexnet", "--json", "--input-size", "256").stdout)
    assert [r["id"] for r in several] == ["resnet18", "alexnet"] and several[0]["input_size"] == 256
    assert "GMACs" in run_cli("summary", "lenet5").stdout


def test_cli_bad_input_is_one_line_without_traceback():
    for args in (("summary", "nope"), ("summary", "vgg16", "--input-size", "16")):
        result = run_cli(*args)
        assert result.returncode == 2 and "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
