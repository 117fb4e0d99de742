"""Natural stages, derived from the module tree, against the architectures' own structure; and
registry-wide: every image model lists its stages and yields maps for the first one."""

import pytest
import torch
import torchvision
from torch import nn

from models.inside.capture import capture
from models.inside.stages import UnknownLayerError, layers_of
from models.registry import REGISTRY
from models.runtime import BuiltModel
from models.weights import UNTRAINED_LABEL

IMAGE_MODELS = [model_id for model_id, spec in REGISTRY.items() if spec.kind == "image"]


def test_alexnet_stages_are_its_five_convolutions():
    features = torchvision.models.alexnet().features
    convs = [f"features.{name}" for name, m in features.named_children() if isinstance(m, nn.Conv2d)]
    assert layers_of("alexnet").stages == tuple(convs) and len(convs) == 5


def test_resnet_vit_and_lenet_stages():
    assert layers_of("resnet50").stages == ("conv1", "layer1", "layer2", "layer3", "layer4")
    vit = layers_of("vit_b_16")
    assert vit.stages == ("conv_proj", *(f"encoder.layers.encoder_layer_{i}" for i in range(12)))  # ViT-B: 12 blocks
    assert vit.shapes["encoder.layers.encoder_layer_0"] == (197, 768)  # 1 + (224/16)² tokens, width 768
    assert layers_of("lenet5").stages == ("c1", "s2", "c3", "s4", "c5")  # the paper's layer names
    assert layers_of("lenet5").shapes["c1"] == (6, 28, 28)  # C1: 6 feature maps of 28×28 (the paper)


def test_an_unknown_layer_names_the_stages():
    with pytest.raises(UnknownLayerError, match="features.0, features.3"):
        layers_of("alexnet").check("features.99")


def test_a_sequence_model_has_no_maps():
    with pytest.raises(ValueError, match="not an image model"):
        layers_of("transformer_base")


@pytest.mark.parametrize("model_id", IMAGE_MODELS)
def test_every_image_model_lists_its_stages(model_id):
    offered = layers_of(model_id)
    assert offered.stages, model_id
    assert set(offered.stages) <= set(offered.shapes)
    assert offered.offered[: len(offered.stages)] == offered.stages


def first_stage_initialised(spec, stage: str) -> BuiltModel:
    """An untrained model whose first stage alone is initialised (each of its layers' own default
    initialisation; a model-wide init of 100 M weights takes seconds): allocated from the meta
    device. The capture stops after that stage, so the rest is never read — were it read, the
    maps would not be finite and the test would fail."""
    model = spec.build("meta").to_empty(device="cpu")
    for tensor in model.get_submodule(stage).parameters():
        tensor.data.normal_(0, 0.02)
    for module in model.get_submodule(stage).modules():
        if hasattr(module, "reset_parameters"):
            module.reset_parameters()
    return BuiltModel(spec, model.requires_grad_(False), "cpu", torch.float32, UNTRAINED_LABEL, False, 0, 0, 0.0)


@pytest.mark.parametrize("model_id", IMAGE_MODELS)
def test_every_image_model_yields_maps_for_its_first_stage(model_id):
    torch.manual_seed(0)
    spec, stage = REGISTRY[model_id], layers_of(model_id).stages[0]
    built = first_stage_initialised(spec, stage)
    batch = spec.example_inputs()[0].normal_()
    maps = capture(built, batch, [stage], max_side=8)[stage]
    expected = layers_of(model_id).shapes[stage]
    assert maps.shape == expected
    assert maps.maps.ndim == 3 and max(maps.maps.shape[1:]) <= 8 and len(maps.means) == maps.maps.shape[0]
    assert torch.isfinite(torch.as_tensor(maps.means)).all()
