"""Checkpoints: state dicts in, code never run, misfits listed."""

import io
import pickle

import pytest
import torch
import torchvision
from safetensors.torch import save

from models.checkpoints import CheckpointError, check_compatible, load_into, read_state_dict


def small_model():
    return torchvision.models.squeezenet1_1(num_classes=10)


def torch_bytes(obj) -> bytes:
    buffer = io.BytesIO()
    torch.save(obj, buffer)
    return buffer.getvalue()


def test_safetensors_and_pth_round_trip():
    state = small_model().state_dict()
    for data, name in ((save(state), "m.safetensors"), (torch_bytes(state), "m.pth")):
        loaded = read_state_dict(data, name)
        assert loaded.keys() == state.keys()
        assert all(torch.equal(loaded[k], state[k]) for k in state)


def test_nested_keys_and_dataparallel_prefix_are_unwrapped():
    state = small_model().state_dict()
    wrapped = {"epoch": 3, "model": {"state_dict": {f"module.{k}": v for k, v in state.items()}}}
    assert read_state_dict(torch_bytes(wrapped), "ckpt.pt").keys() == state.keys()


class Payload:
    marker = None

    def __reduce__(self):
        return (open, (self.marker, "w"))


@pytest.mark.parametrize("via", ["torch.save", "pickle"])
def test_pickle_payload_is_refused_and_never_runs(tmp_path, via):
    Payload.marker = str(tmp_path / "created-by-payload")
    data = torch_bytes({"weight": Payload()}) if via == "torch.save" else pickle.dumps(Payload())
    with pytest.raises(CheckpointError, match="refused"):
        read_state_dict(data, "evil.pth")
    assert not (tmp_path / "created-by-payload").exists()


def test_whole_pickled_model_is_refused():
    with pytest.raises(CheckpointError, match="refused"):
        read_state_dict(torch_bytes(small_model()), "model.pt")


def test_wrong_architecture_lists_missing_unexpected_and_shapes():
    resnet_state = torchvision.models.resnet18(num_classes=10).state_dict()
    report = check_compatible(small_model(), resnet_state)
    assert not report.ok and report.missing and report.unexpected
    wider = torchvision.models.squeezenet1_1(num_classes=1000).state_dict()
    mismatch = check_compatible(small_model(), wider)
    assert mismatch.mismatched[0][0].startswith("classifier") and not mismatch.missing
    with pytest.raises(CheckpointError, match="does not fit"):
        load_into(small_model(), resnet_state)


def test_garbage_empty_and_non_state_dict_files():
    for data, name in ((b"\x00garbage" * 10, "x.pth"), (b"", "x.safetensors"), (b"{not safetensors", "x.safetensors")):
        with pytest.raises(CheckpointError):
            read_state_dict(data, name)
    with pytest.raises(CheckpointError, match="does not hold a state dict"):
        read_state_dict(torch_bytes({"epoch": 3}), "x.pt")
