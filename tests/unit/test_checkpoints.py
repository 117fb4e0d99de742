"""Checkpoints: state dicts in, code never run, misfits listed."""

import io
import os
import pickle

import pytest
import torch
import torchvision
from safetensors.torch import save

import models.prediction.checkpoints
from models.prediction.checkpoints import CheckpointError, LoadReport, check_compatible, load_into, read_state_dict


def small_model() -> torch.nn.Module:
    return torchvision.models.squeezenet1_1(num_classes=10)


def torch_bytes(obj, legacy: bool = False) -> bytes:
    buffer = io.BytesIO()
    torch.save(obj, buffer, _use_new_zipfile_serialization=not legacy)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def state() -> dict[str, torch.Tensor]:
    return small_model().state_dict()


def same(loaded: dict, state: dict) -> bool:
    return loaded.keys() == state.keys() and all(torch.equal(loaded[k], state[k]) for k in state)


@pytest.mark.parametrize("name", ["m.safetensors", "m.pth", "m.pt", "m.bin", "m.ckpt", "m.pth (legacy)",
                                  "safetensors.weights", "torch.weights", "safetensors-as.pth"])
def test_round_trip_in_every_format_and_extension(state, name):
    data = save(state) if "safetensors" in name else torch_bytes(state, legacy="legacy" in name)
    loaded = read_state_dict(data, name)
    assert same(loaded, state)
    model = small_model()
    assert load_into(model, loaded).ok and same(model.state_dict(), state)


def test_torch_load_is_always_called_with_weights_only(monkeypatch, state):
    calls = []
    real_load = torch.load
    monkeypatch.setattr(torch, "load", lambda *args, **kwargs: calls.append(kwargs) or real_load(*args, **kwargs))
    read_state_dict(torch_bytes(state), "m.pth")
    assert calls == [{"map_location": "cpu", "weights_only": True}]


@pytest.mark.parametrize("wrap", [
    lambda s: {"state_dict": s, "epoch": 3},
    lambda s: {"model": s, "optimizer": {"lr": 0.1}},
    lambda s: {"model_state_dict": s},
    lambda s: {"module": s},
    lambda s: {"epoch": 3, "model": {"state_dict": s}},
    lambda s: {f"module.{k}": v for k, v in s.items()},
    lambda s: {f"_orig_mod.{k}": v for k, v in s.items()},
    lambda s: {"state_dict": {f"module._orig_mod.{k}": v for k, v in s.items()}},
], ids=["state_dict", "model", "model_state_dict", "module", "two-levels", "DataParallel", "compile", "both"])
def test_nesting_and_wrapper_prefixes_are_undone(state, wrap):
    assert same(read_state_dict(torch_bytes(wrap(state)), "ckpt.pt"), state)


def test_a_prefix_only_some_keys_carry_is_left_alone():
    mixed = {"module.weight": torch.zeros(2), "bias": torch.zeros(2)}
    assert read_state_dict(torch_bytes(mixed), "x.pt").keys() == mixed.keys()


class Payload:
    """Unpickling this calls `action(*args)`: what an attacker's checkpoint would do."""

    def __init__(self, action, args):
        self.action, self.args = action, args

    def __reduce__(self):
        return self.action, self.args


def payloads(marker: str) -> dict[str, bytes]:
    shell = Payload(os.system, (f"touch {marker}",))
    opener = Payload(open, (marker, "w"))
    return {
        "torch.save": torch_bytes({"weight": opener}),
        "torch.save legacy": torch_bytes({"weight": opener}, legacy=True),
        "torch.save os.system": torch_bytes({"weight": shell}),
        "pickle protocol 2": pickle.dumps(opener, protocol=2),
        "pickle protocol 2 os.system": pickle.dumps(shell, protocol=2),
        "pickle default protocol": pickle.dumps(opener),
    }


@pytest.mark.parametrize("via", list(payloads("x")))
def test_the_payloads_really_run_when_unpickled_unsafely(tmp_path, via):
    marker = tmp_path / "created-by-payload"
    data = payloads(str(marker))[via]
    if via.startswith("pickle"):
        pickle.loads(data)
    else:
        torch.load(io.BytesIO(data), weights_only=False)
    assert marker.exists()  # so the refusal below is what keeps it from running


@pytest.mark.parametrize("via", list(payloads("x")))
@pytest.mark.filterwarnings("ignore:Detected pickle protocol")
def test_a_pickle_payload_is_refused_and_never_runs(tmp_path, via):
    marker = tmp_path / "created-by-payload"
    with pytest.raises(CheckpointError, match=r"^evil\.pth was refused"):
        read_state_dict(payloads(str(marker))[via], "evil.pth")
    assert not marker.exists()


def test_a_whole_pickled_model_is_refused_naming_its_class():
    with pytest.raises(CheckpointError, match=r"refused: it contains Python code or objects \(.*SqueezeNet\)"):
        read_state_dict(torch_bytes(small_model()), "model.pt")


@pytest.mark.filterwarnings("ignore:'torch.load' received a zip file that looks like a TorchScript archive")
@pytest.mark.filterwarnings("ignore:`torch.jit.*` is deprecated:FutureWarning")
def test_a_torchscript_program_is_refused():
    buffer = io.BytesIO()
    torch.jit.save(torch.jit.script(torch.nn.Linear(2, 2)), buffer)
    with pytest.raises(CheckpointError, match="refused: it is a TorchScript program"):
        read_state_dict(buffer.getvalue(), "scripted.pt")


def test_wrong_architecture_lists_missing_unexpected_and_shapes(state):
    resnet_state = torchvision.models.resnet18(num_classes=10).state_dict()
    report = check_compatible(small_model(), resnet_state)
    assert not report.ok and report.missing == tuple(state) and report.unexpected == tuple(resnet_state)
    wider = torchvision.models.squeezenet1_1(num_classes=1000).state_dict()
    mismatch = check_compatible(small_model(), wider)
    assert mismatch.mismatched == (("classifier.1.weight", (10, 512, 1, 1), (1000, 512, 1, 1)),
                                   ("classifier.1.bias", (10,), (1000,)))
    assert not mismatch.missing and not mismatch.unexpected


def test_a_checkpoint_that_does_not_fit_is_not_loaded(state):
    model = small_model()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    wider = torchvision.models.squeezenet1_1(num_classes=1000).state_dict()
    with pytest.raises(CheckpointError, match=r"does not fit SqueezeNet: 2 shape mismatch\(es\): classifier\.1\.weight"):
        load_into(model, wider)
    assert same(model.state_dict(), before)


def test_check_compatible_works_on_the_meta_device(state):
    with torch.device("meta"):
        model = small_model()
    assert check_compatible(model, state).ok
    assert check_compatible(model, {**state, "extra": torch.zeros(1)}).unexpected == ("extra",)


def test_describe_truncates_long_lists():
    report = LoadReport(missing=tuple(f"layer{i}.weight" for i in range(12)), unexpected=("head.bias",),
                        mismatched=(("fc.weight", (10, 512), (1000, 512)),))
    text = report.describe()
    assert text.startswith("12 missing key(s): layer0.weight, layer1.weight")
    assert "layer4.weight … and 7 more; 1 unexpected key(s): head.bias" in text
    assert text.endswith("1 shape mismatch(es): fc.weight (model [10, 512], file [1000, 512])")
    assert LoadReport((), (), ()).ok and LoadReport((), (), ()).describe() == "all keys and shapes match"


@pytest.mark.parametrize("data, name, message", [
    (b"", "x.pth", "is empty"),
    (b"\x00garbage" * 10, "x.pth", "is neither a safetensors file nor a PyTorch checkpoint"),
    (b"just some text, really", "notes.weights", "is neither a safetensors file nor a PyTorch checkpoint"),
    (b"{not safetensors", "x.safetensors", "is not a valid safetensors file"),
    (b"\x80\x02garbage" * 10, "x.pth", "was refused: its pickle data is not a plain dict of tensors"),
    (b"PK\x03\x04garbage" * 10, "x.pth", "is damaged or not a PyTorch checkpoint"),
])
def test_garbage_gets_a_clear_message(data, name, message):
    with pytest.raises(CheckpointError, match=f"^{name} {message}"):
        read_state_dict(data, name)


def test_truncated_files_are_refused(state):
    for data, name in ((save(state), "x.safetensors"), (torch_bytes(state), "x.pth"),
                       (torch_bytes(state, legacy=True), "x.pth")):
        with pytest.raises(CheckpointError):
            read_state_dict(data[: len(data) // 2], name)


@pytest.mark.parametrize("content, message", [
    ({"epoch": 3}, "does not hold a state dict: its entry 'epoch' is of type int, not a tensor"),
    ({"weight": torch.zeros(2), "step": 7}, "its entry 'step' is of type int"),
    ({}, "holds no tensors"),
    ([torch.zeros(2)], "holds a value of type list, not a state dict"),
    (torch.zeros(2), "holds a value of type Tensor, not a state dict"),
])
def test_anything_but_a_flat_mapping_of_tensors_is_refused(content, message):
    with pytest.raises(CheckpointError, match=message):
        read_state_dict(torch_bytes(content), "x.pt")


def test_oversized_files_are_refused_before_reading(monkeypatch, state):
    monkeypatch.setattr(models.prediction.checkpoints, "MAX_BYTES", 1000)
    monkeypatch.setattr(torch, "load", lambda *args, **kwargs: pytest.fail("read an oversized file"))
    with pytest.raises(CheckpointError, match=r"^big\.pth is .* GB; the limit is"):
        read_state_dict(torch_bytes(state), "big.pth")
