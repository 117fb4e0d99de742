"""Weights, honestly: options from the libraries' metadata, the local caches, the offline refusal,
downloads, user checkpoints in a private copy, and refusals of what does not fit or runs code."""

import functools
import hashlib
import http.server
import pickle
import socket
import threading
import time
from pathlib import Path

import pytest
import torch
import torchvision
from safetensors.torch import save, save_file

from models import runtime
from models.prediction.checkpoints import CheckpointError
from models.prediction.loading import load_for_prediction
from models.registry import get_spec
from models.runtime import build_model
from models.weights import (PRETRAINED, UNTRAINED, Checkpoint, Pretrained, UnknownWeightsError, hub,
                            WeightsUnavailableError, parse_choice, resolve, weights_options)


@pytest.fixture(scope="module")
def resnet18_state():
    torch.manual_seed(0)
    return torchvision.models.resnet18().state_dict()


@pytest.fixture
def probe_fails(monkeypatch):
    """Downloads allowed, but the download host is unreachable (the probe is faked: no network)."""
    monkeypatch.delenv("LINEAGE_OFFLINE")
    monkeypatch.setattr(hub, "is_online", lambda url: False)


@pytest.fixture
def no_network(monkeypatch):
    monkeypatch.setattr(hub, "is_online", lambda url: pytest.fail("the network must not be touched"))


def test_torchvision_options_are_its_own_metadata():
    options = weights_options(get_spec("resnet50"))
    assert [o.name for o in options] == ["IMAGENET1K_V2", "IMAGENET1K_V1"]  # the library's DEFAULT first
    for option in options:
        meta = torchvision.models.ResNet50_Weights[option.name].meta
        assert option.metrics == meta["_metrics"]["ImageNet-1K"] and option.dataset == "ImageNet-1K"
        assert option.file_size_mb == meta["_file_size"] and option.recipe == meta["recipe"]
        assert option.categories == tuple(meta["categories"]) and option.num_classes == 1000
    assert options[1].metrics["acc@1"] == 76.13 and options[0].metrics["acc@1"] == 80.858
    assert options[1].url.endswith("/resnet50-0676ba61.pth") and options[1].hash_prefix == "0676ba61"


def test_timm_options_invent_no_accuracy():
    import timm
    from timm.data import ImageNetInfo

    (option,) = weights_options(get_spec("mobilenetv1_100"))
    cfg = timm.models.get_pretrained_cfg("mobilenetv1_100")
    assert option.name == cfg.tag and option.hf_hub_id == cfg.hf_hub_id and option.license == cfg.license
    assert option.metrics == {} and option.file_size_mb is None and "not in timm's metadata" in option.recipe
    assert option.categories == tuple(ImageNetInfo("imagenet-1k").label_descriptions())


def test_the_shipped_digits_option_reads_its_training_record():
    (option,) = weights_options(get_spec("lenet5"))
    assert option.source == "shipped with the app" and option.categories == tuple("0123456789")
    assert option.metrics["held-out acc@1"] > 95


def test_options_that_would_not_fit_the_registry_model_are_not_offered():
    assert "IMAGENET1K_FEATURES" not in {o.name for o in weights_options(get_spec("vgg16"))}  # NaN head
    assert {o.name for o in weights_options(get_spec("vit_b_16"))} == {"IMAGENET1K_V1", "IMAGENET1K_SWAG_LINEAR_V1"}
    with pytest.raises(UnknownWeightsError, match="choose one of IMAGENET1K_V1"):
        resolve(get_spec("vgg16"), Pretrained("IMAGENET1K_FEATURES"))
    with pytest.raises(UnknownWeightsError, match="no pretrained weights"):
        resolve(get_spec("nin"), PRETRAINED)


def test_a_typed_choice_is_parsed_once_at_the_edge():
    assert parse_choice("untrained") == UNTRAINED and parse_choice("pretrained") == Pretrained(None)
    assert parse_choice("pretrained:IMAGENET1K_V1") == Pretrained("IMAGENET1K_V1")
    assert parse_choice("pretrained:") is None and parse_choice("weights.pth") is None  # a file name
    assert str(Pretrained("X")) == "pretrained:X" and str(UNTRAINED) == "untrained"


def test_untrained_is_random_initialization_with_the_heads_class_names():
    resolved = resolve(get_spec("lenet5"), UNTRAINED)
    assert resolved.state_dict is None and not resolved.trained
    assert resolved.label == "untrained: random initialization" and resolved.categories == tuple("0123456789")


def cached_name(model_id: str) -> str:
    return weights_options(get_spec(model_id))[0].file_name


def test_a_torch_hub_cache_hit_needs_no_network(no_weight_downloads, resnet18_state, no_network):
    hub = no_weight_downloads / "torch" / "hub" / "checkpoints"
    hub.mkdir(parents=True)
    torch.save(resnet18_state, hub / "resnet18-f37072fd.pth")
    resolved = resolve(get_spec("resnet18"), Pretrained("IMAGENET1K_V1"))
    assert resolved.label == "pretrained: torchvision IMAGENET1K_V1 (local cache)" and resolved.trained
    assert torch.equal(resolved.state_dict["fc.weight"], resnet18_state["fc.weight"])


@pytest.fixture(scope="module")
def mobilenetv1_state():
    import timm

    torch.manual_seed(1)
    return timm.create_model("mobilenetv1_100").state_dict()


def test_the_hugging_face_cache_serves_timm_weights(no_weight_downloads, mobilenetv1_state, no_network):
    repo = no_weight_downloads / "huggingface" / "models--timm--mobilenetv1_100.ra4_e3600_r224_in1k"
    (repo / "refs").mkdir(parents=True)
    (repo / "refs" / "main").write_text("0123abcd")
    (repo / "snapshots" / "0123abcd").mkdir(parents=True)
    save_file(mobilenetv1_state, repo / "snapshots" / "0123abcd" / "model.safetensors")
    resolved = resolve(get_spec("mobilenetv1_100"), PRETRAINED)
    assert resolved.label == "pretrained: timm ra4_e3600_r224_in1k (local cache)"
    resolved.load_into(get_spec("mobilenetv1_100").build())  # strict: the file fits the registry's model


def test_the_users_weights_folder_comes_first(tmp_path, monkeypatch, mobilenetv1_state, no_network):
    monkeypatch.setenv("LINEAGE_WEIGHTS_DIR", str(tmp_path))
    save_file(mobilenetv1_state, tmp_path / "mobilenetv1_100.ra4_e3600_r224_in1k.safetensors")
    assert resolve(get_spec("mobilenetv1_100"), PRETRAINED).label.endswith("(local cache)")


def test_offline_is_a_fast_clear_refusal_and_the_caller_decides(no_weight_downloads, probe_fails):
    started = time.perf_counter()
    with pytest.raises(WeightsUnavailableError, match="you seem to be offline") as error:
        resolve(get_spec("alexnet"), PRETRAINED)
    assert time.perf_counter() - started < 3
    expected = no_weight_downloads / "torch" / "hub" / "checkpoints" / cached_name("alexnet")
    assert f"looked in: {expected})" in str(error.value)
    built, warning = load_for_prediction(get_spec("alexnet"), "cpu", PRETRAINED)
    assert "offline" in warning and not built.trained and built.weights_label == "untrained: random initialization"


def test_offline_mode_and_a_forbidden_download_never_probe(monkeypatch, no_network):
    with pytest.raises(WeightsUnavailableError, match=r"runs offline \(LINEAGE_OFFLINE=1\)"):
        resolve(get_spec("resnet18"), PRETRAINED)
    monkeypatch.delenv("LINEAGE_OFFLINE")
    with pytest.raises(WeightsUnavailableError, match="downloading was not allowed"):
        resolve(get_spec("resnet18"), PRETRAINED, allow_download=False)


def test_the_real_probe_gives_up_within_its_time_limit(monkeypatch):
    released = threading.Event()

    def hanging_lookup(*args, **kwargs):  # a DNS that never answers (until the test ends)
        released.wait(30)
        raise OSError("no answer")

    monkeypatch.setattr(hub, "_probes", {})
    monkeypatch.setattr(socket, "create_connection", hanging_lookup)
    started = time.perf_counter()
    try:
        assert hub.is_online("https://download.pytorch.org/models/x.pth") is False
        assert time.perf_counter() - started < hub.PROBE_TIMEOUT_S + 1
    finally:
        released.set()


def test_a_download_reports_progress_checks_its_hash_and_lands_atomically(tmp_path, file_server):
    payload = bytes(range(256)) * 9000
    (tmp_path / "w.bin").write_bytes(payload)
    seen = []
    target = hub.download(f"{file_server}/w.bin", tmp_path / "cache" / "w-ab.bin", lambda d, t: seen.append((d, t)),
                              hashlib.sha256(payload).hexdigest()[:8])
    assert target.read_bytes() == payload and seen[-1] == (len(payload), len(payload))
    with pytest.raises(WeightsUnavailableError, match="corrupt"):
        hub.download(f"{file_server}/w.bin", tmp_path / "cache" / "bad.bin", None, "00000000")
    with pytest.raises(WeightsUnavailableError, match="failed"):
        hub.download(f"{file_server}/missing.bin", tmp_path / "cache" / "missing.bin")
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == ["w-ab.bin"]  # no partial files left


def test_a_download_is_torch_hubs_own_so_torch_hub_finds_it_in_its_cache(tmp_path, file_server,
                                                                          no_weight_downloads):
    served = tmp_path / "tiny-5e1f.pth"
    torch.save({"w": torch.arange(3.0)}, served)
    url = f"{file_server}/{served.name}"
    target = Path(torch.hub.get_dir()) / "checkpoints" / served.name
    hub.download(url, target, None, hashlib.sha256(served.read_bytes()).hexdigest()[:8])
    served.unlink()  # the host has it no more: only torch hub's cache can answer now
    assert torch.equal(torch.hub.load_state_dict_from_url(url, progress=False)["w"], torch.arange(3.0))


def test_a_download_reports_growing_progress_then_the_model_comes_from_the_cache(served_weights,
                                                                                no_weight_downloads):
    spec, size = served_weights
    seen = []
    built, warning = load_for_prediction(spec, "cpu", PRETRAINED, lambda done, total: seen.append((done, total)))
    assert warning is None and built.trained
    assert built.weights_label == "pretrained: torchvision IMAGENET1K_V1 (downloaded)"
    done = [d for d, _ in seen]
    assert len(seen) > 1 and done == sorted(set(done)) and seen[-1] == (size, size)  # 1 MiB chunks, growing
    assert (no_weight_downloads / "torch" / "hub" / "checkpoints" / cached_name(spec.id)).stat().st_size == size
    assert load_for_prediction(spec, "cpu", PRETRAINED, lambda *_: pytest.fail("downloaded twice"))[0] is built
    assert build_model(spec.id, "cpu", Pretrained("IMAGENET1K_V1")) is built  # the default, by its name
    runtime._cache.clear()  # a fresh process: the file is found in the cache, nothing is downloaded
    rebuilt, _ = load_for_prediction(spec, "cpu", PRETRAINED, lambda *_: pytest.fail("downloaded twice"))
    assert rebuilt.weights_label == "pretrained: torchvision IMAGENET1K_V1 (local cache)"
    assert all(torch.equal(a, b) for a, b in zip(built.model.state_dict().values(), rebuilt.model.state_dict().values()))


def test_torchvision_builders_quirks_are_kept(no_weight_downloads, no_network):
    hub = no_weight_downloads / "torch" / "hub" / "checkpoints"
    hub.mkdir(parents=True)
    googlenet = torchvision.models.googlenet(aux_logits=True, init_weights=False).state_dict()
    torch.save(googlenet, hub / cached_name("googlenet"))
    resolved = resolve(get_spec("googlenet"), PRETRAINED)
    model = get_spec("googlenet").build()
    resolved.load_into(model)  # the file's auxiliary heads are dropped, as torchvision's builder does
    assert model.transform_input is True  # the TF-ported weights expect it (torchvision sets it too)
    densenet = torchvision.models.densenet121().state_dict()
    old_file = {k.replace("norm1", "norm.1").replace("conv2", "conv.2"): v for k, v in densenet.items()
                if not k.endswith("num_batches_tracked")}  # as saved before PyTorch 0.4.1
    torch.save(old_file, hub / cached_name("densenet121"))
    resolve(get_spec("densenet121"), PRETRAINED).load_into(get_spec("densenet121").build())


def test_a_users_checkpoint_goes_into_a_fresh_copy(resnet18_state):
    shared = build_model("resnet18", "cpu")
    before = {k: v.clone() for k, v in shared.model.state_dict().items()}
    private = build_model("resnet18", "cpu", Checkpoint("mine.safetensors", save(resnet18_state)))
    assert private.model is not shared.model and private.weights_label == "checkpoint: mine.safetensors"
    assert all(torch.equal(before[k], v) for k, v in shared.model.state_dict().items())
    assert torch.equal(private.model.fc.weight, resnet18_state["fc.weight"]) and private.trained
    assert build_model("resnet18", "cpu") is shared


class Payload:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


@pytest.mark.filterwarnings("ignore:Detected pickle protocol")
def test_a_pickle_payload_is_refused_and_never_runs(tmp_path):
    marker = tmp_path / "pwned"
    with pytest.raises(CheckpointError, match="refused"):
        build_model("resnet18", "cpu", Checkpoint("evil.pth", pickle.dumps(Payload(marker))))
    assert not marker.exists()


def test_a_checkpoint_for_another_architecture_lists_the_mismatches():
    import io

    buffer = io.BytesIO()
    torch.save(torchvision.models.squeezenet1_1().state_dict(), buffer)
    with pytest.raises(CheckpointError, match="does not fit") as error:
        build_model("resnet18", "cpu", Checkpoint("squeeze.pth", buffer.getvalue()))
    assert "missing" in str(error.value) and "conv1.weight" in str(error.value) and "unexpected" in str(error.value)


class HubHandler(http.server.SimpleHTTPRequestHandler):
    """The Hugging Face hub's resolve endpoint, as hf_hub_download reads it: the file, its ETag and
    the commit it belongs to (headers a plain file server does not send)."""

    def end_headers(self) -> None:
        served = Path(self.translate_path(self.path))
        if served.is_file():
            self.send_header("ETag", f'"{hashlib.sha256(served.read_bytes()).hexdigest()}"')
            self.send_header("X-Repo-Commit", "0123456789abcdef0123456789abcdef01234567")
        super().end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def hub_server(tmp_path, monkeypatch):
    """A local stand-in for huggingface.co (HF_ENDPOINT), serving tmp_path/served; downloads on."""
    root = tmp_path / "served"
    root.mkdir()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(HubHandler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{server.server_address[1]}")
    monkeypatch.delenv("LINEAGE_OFFLINE")
    yield root
    server.shutdown()


def test_timm_weights_download_into_the_hugging_face_cache_where_timm_looks(hub_server, no_weight_downloads,
                                                                          mobilenetv1_state):
    from huggingface_hub import try_to_load_from_cache

    spec = get_spec("mobilenetv1_100")
    repo = weights_options(spec)[0].hf_hub_id
    (hub_server / repo / "resolve" / "main").mkdir(parents=True)
    save_file(mobilenetv1_state, hub_server / repo / "resolve" / "main" / "model.safetensors")
    size = (hub_server / repo / "resolve" / "main" / "model.safetensors").stat().st_size
    seen = []
    resolved = resolve(spec, PRETRAINED, progress=lambda done, total: seen.append((done, total)))
    assert resolved.label == "pretrained: timm ra4_e3600_r224_in1k (downloaded)" and seen[-1] == (size, size)
    cached = try_to_load_from_cache(repo, "model.safetensors", cache_dir=no_weight_downloads / "huggingface")
    assert isinstance(cached, str) and Path(cached).stat().st_size == size  # huggingface_hub's own layout
    resolved.load_into(spec.build())
    assert resolve(spec, PRETRAINED, progress=lambda *_: pytest.fail("downloaded twice")).label.endswith("(local cache)")
