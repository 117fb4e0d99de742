"""The registry: unique ids, one model per lineage node at least, sane fields, meta builds."""

import pytest
import timm
import torchvision

from lineage import load_lineage
from models.registry import (REGISTRY, ModelSpec, UnknownModelError, _index, default_model_for_node,
                             get_spec, specs_for_node)


def test_ids_are_unique_and_are_the_keys():
    assert all(key == spec.id for key, spec in REGISTRY.items())
    with pytest.raises(ValueError, match="registered twice"):
        _index([REGISTRY["resnet50"], REGISTRY["resnet50"]])


def test_every_lineage_node_has_a_model_and_back():
    assert {s.node for s in REGISTRY.values()} == set(load_lineage().nodes)


def test_node_queries():
    assert default_model_for_node("resnet").id == "resnet50"
    assert [s.id for s in specs_for_node("vgg")][:1] == ["vgg16"]
    assert {s.id for s in specs_for_node("efficientnet")} == {f"efficientnet_b{i}" for i in range(8)}
    with pytest.raises(UnknownModelError):
        default_model_for_node("no-such-node")


def test_unknown_model_is_a_key_error_that_suggests_close_ids():
    with pytest.raises(KeyError, match="resnet50"):
        get_spec("resnet5O")


@pytest.mark.parametrize("model_id", list(REGISTRY))
def test_every_spec_builds_on_meta_with_sane_fields(model_id):
    spec = get_spec(model_id)
    model = spec.build("meta")
    assert not model.training and all(p.is_meta for p in model.parameters())
    assert spec.source in ("torchvision", "timm", "local") and spec.name and spec.fidelity
    assert all(isinstance(name, str) and name for name in spec.weights)
    if spec.cam_layer:
        model.get_submodule(spec.cam_layer)  # raises if the path is wrong
    if spec.kind == "image":
        assert isinstance(spec.input_size, int) and spec.input_size >= 32
        assert spec.example_inputs(device="meta")[0].shape == (1, spec.in_channels, spec.input_size, spec.input_size)
    else:
        assert spec.input_size is None and spec.cam_layer is None


def test_input_sizes_come_from_the_libraries():
    sizes = {i: get_spec(i).input_size for i in ("lenet5", "highway_cifar", "inception_v3", "xception",
                                                 "inception_v4", "efficientnet_b1", "efficientnet_b7", "vit_b_16")}
    assert sizes == {"lenet5": 32, "highway_cifar": 32, "inception_v3": 299, "xception": 299,
                     "inception_v4": 299, "efficientnet_b1": 240, "efficientnet_b7": 600, "vit_b_16": 224}
    assert get_spec("transformer_base").input_size is None


def test_weights_options_come_from_the_libraries():
    assert get_spec("resnet50").weights == ("IMAGENET1K_V1", "IMAGENET1K_V2")
    assert get_spec("resnet50").weights == tuple(w.name for w in torchvision.models.ResNet50_Weights)
    assert get_spec("seresnet50").weights == tuple(n.split(".", 1)[1] for n in timm.list_pretrained("legacy_seresnet50.*"))
    assert get_spec("lenet5").weights == ("digits",)
    assert get_spec("nin").weights == ()


def test_auxiliary_classifiers_follow_torchvisions_metadata():
    assert get_spec("googlenet").build("meta").aux1 is None
    assert get_spec("inception_v3").build("meta").AuxLogits is not None
    assert get_spec("googlenet").aux_note and get_spec("inception_v3").aux_note


def test_specs_are_frozen():
    with pytest.raises(AttributeError):
        get_spec("resnet50").node = "vgg"  # type: ignore[misc]
    assert isinstance(get_spec("resnet50"), ModelSpec)
