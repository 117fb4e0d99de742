"""The registry: unique ids, every lineage node covered, one explicit default per node, specs that
build on the meta device (or say why not and still work), and weights options that resolve their
metadata, transforms and labels offline for every model."""

import dataclasses

import pytest
import torch
import torchvision
from PIL import Image, ImageDraw

from lineage import load_lineage
from models import registry
from models.registry import (REGISTRY, ModelSpec, UnknownModelError, _index, default_model_for_node, digit_model,
                             get_spec, specs_for_node)
from models.weights import Pretrained, default_preprocess, option_for, weights_options

IMAGE = Image.new("RGB", (320, 240), "white")
ImageDraw.Draw(IMAGE).line([(160, 40), (160, 200)], fill="black", width=12)  # a photo, or a digit one


def test_ids_are_unique_and_are_the_keys():
    assert all(key == spec.id for key, spec in REGISTRY.items())
    with pytest.raises(ValueError, match="registered twice"):
        _index([REGISTRY["resnet50"], REGISTRY["resnet50"]])


def test_a_node_with_several_models_names_exactly_one_default():
    vgg16, vgg11 = REGISTRY["vgg16"], REGISTRY["vgg11"]
    assert _index([vgg16, vgg11])  # vgg16 is marked default
    with pytest.raises(ValueError, match="node 'vgg' has 2 models and 0 marked default"):
        _index([dataclasses.replace(vgg16, default=False), vgg11])
    with pytest.raises(ValueError, match="node 'vgg' has 2 models and 2 marked default"):
        _index([vgg16, dataclasses.replace(vgg11, default=True)])


def test_specs_are_keyword_only_and_frozen():
    with pytest.raises(TypeError):
        ModelSpec("x", "resnet", "X", "torchvision", "resnet18", "as in the paper")  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        get_spec("resnet50").node = "vgg"  # type: ignore[misc]


def test_every_lineage_node_has_a_model_and_back():
    assert {s.node for s in REGISTRY.values()} == set(load_lineage().nodes)


def test_node_queries():
    assert default_model_for_node("resnet").id == "resnet50"
    assert [s.id for s in specs_for_node("vgg")] == ["vgg16", "vgg11", "vgg13", "vgg19"]
    assert default_model_for_node("alexnet").id == "alexnet"  # a node's only model needs no mark
    assert {s.id for s in specs_for_node("efficientnet")} == {f"efficientnet_b{i}" for i in range(8)}
    assert digit_model().id == "lenet5"
    with pytest.raises(UnknownModelError):
        default_model_for_node("no-such-node")


def test_unknown_model_is_a_key_error_that_suggests_close_ids():
    with pytest.raises(KeyError, match="Did you mean resnet50"):
        get_spec("resnet5O")


@pytest.mark.parametrize("model_id", list(REGISTRY))
def test_every_spec_builds_on_meta_and_its_cam_layer_exists(model_id):
    spec = get_spec(model_id)
    model = spec.build("meta")
    assert not model.training and all(p.is_meta for p in model.parameters())
    assert spec.name and spec.fidelity
    if spec.kind == "image":
        assert spec.example_inputs(device="meta")[0].shape == (1, spec.in_channels, spec.input_size, spec.input_size)
        model.get_submodule(spec.cam_layer)  # raises if the path is wrong
    else:
        assert spec.input_size is None and spec.cam_layer is None and weights_options(spec) == []


@pytest.mark.parametrize("model_id", [i for i, s in REGISTRY.items() if s.kind == "image"])
def test_every_advertised_option_resolves_offline_and_fits_the_model(model_id):
    """What is offered is exactly what loads: each option's labels fill the model's head, its
    transforms make the model's input, and predict's lookup finds it by name."""
    spec = get_spec(model_id)
    with torch.device("meta"):
        outputs = spec.build("meta")(*spec.example_inputs(device="meta")).shape[-1]
    expected = (spec.in_channels, spec.input_size, spec.input_size)
    assert outputs == spec.num_classes and tuple(default_preprocess(spec)(IMAGE).shape) == expected
    for option in weights_options(spec):
        assert option_for(spec, Pretrained(option.name)) is option
        assert option.num_classes == outputs and all(option.categories)
        assert tuple(option.preprocess(IMAGE).shape) == expected and option.preprocess.description
        assert option.url and option.file_name and option.license and option.dataset and option.summary()


def test_options_offered_are_the_librarys_minus_those_that_cannot_load():
    # VGG-16's IMAGENET1K_FEATURES has no categories (a feature extractor with a NaN head); ViT's
    # SWAG end-to-end weights are for 384 px (torchvision builds another ViT for them).
    assert [o.name for o in weights_options(get_spec("vgg16"))] == ["IMAGENET1K_V1"]
    assert [o.name for o in weights_options(get_spec("vit_b_16"))] == ["IMAGENET1K_V1", "IMAGENET1K_SWAG_LINEAR_V1"]
    assert [o.name for o in weights_options(get_spec("resnet50"))] == ["IMAGENET1K_V2", "IMAGENET1K_V1"]  # DEFAULT first
    assert [o.name for o in weights_options(get_spec("lenet5"))] == ["digits"]
    assert weights_options(get_spec("nin")) == []


def test_input_sizes_come_from_the_libraries():
    sizes = {i: get_spec(i).input_size for i in ("lenet5", "highway_cifar", "inception_v3", "xception",
                                                 "inception_v4", "efficientnet_b1", "efficientnet_b7", "vit_b_16")}
    assert sizes == {"lenet5": 32, "highway_cifar": 32, "inception_v3": 299, "xception": 299,
                     "inception_v4": 299, "efficientnet_b1": 240, "efficientnet_b7": 600, "vit_b_16": 224}
    assert get_spec("transformer_base").input_size is None


def test_auxiliary_classifiers_follow_torchvisions_metadata():
    assert get_spec("googlenet").build("meta").aux1 is None
    assert get_spec("inception_v3").build("meta").AuxLogits is not None
    assert get_spec("googlenet").aux_note and get_spec("inception_v3").aux_note


@pytest.fixture
def regnet(monkeypatch):
    """A network added as one registry entry whose construction cannot run on the meta device."""
    spec = registry.tv("regnet_y_400mf", node="resnet", name="RegNetY-400MF", cam_layer="trunk_output",
                       fidelity="As in the paper.")
    with pytest.raises(NotImplementedError):
        spec.build("meta")  # RegNet's initialization reads tensor values
    monkeypatch.setitem(REGISTRY, spec.id, spec)
    return spec


def test_a_model_that_cannot_build_on_meta_still_analyses_builds_and_predicts(regnet, tmp_path, monkeypatch):
    from models.analysis import analyse
    from models.prediction.inference import predict
    from models.runtime import build_model, param_count

    monkeypatch.setenv("LINEAGE_CACHE_DIR", str(tmp_path))
    published = torchvision.models.RegNet_Y_400MF_Weights.DEFAULT.meta["num_params"]
    assert param_count(regnet) == published
    result = analyse(regnet.id)
    assert result.params == published and result.device_used.startswith("cpu (meta failed")
    built = build_model(regnet.id, "cpu")
    assert not built.trained and len(predict(built, [("photo", IMAGE)], topk=3)[0].top) == 3
