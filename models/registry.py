"""The model registry: one keyword-only ModelSpec per model id, each tied to a lineage node.

Shaped like timm's registry (names are keys, metadata is a frozen dataclass). Input sizes and
weights options are read from the libraries' own metadata by the source's adapter, never retyped.
Adding a library model is one entry below (see the README, "Adding a network").
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from lineage.text import Text
from models.prediction.preprocessing import digit_preprocess
from models.zoo.adapters import local as local_adapter
from models.zoo.adapters.torchvision_source import (TF_PORT_ATTRIBUTES, channels_last, drop_googlenet_aux_heads,
                                                    rename_densenet_keys, token_grid)
from models.zoo.spec import ModelSpec, UnknownModelError

__all__ = ["REGISTRY", "ModelSpec", "UnknownModelError", "default_model_for_node", "digit_model", "get_spec",
           "specs_for_node"]

TV_V15 = ("torchvision's ResNet-50/101/152 are 'v1.5': the stride-2 sits on the 3×3 convolution of the "
          "first bottleneck of a stage, not on the 1×1 as in the paper (a little more compute, +0.5% top-1).")
VIT_CAM = ("ViT has no feature map: the CAM layer's output is 1 class token + N patch tokens, reshaped to a "
           "√N×√N grid (class token dropped) before Grad-CAM.")
SWIN_CAM = "Swin's stages are channels-last (B, H, W, C): permuted to (B, C, H, W) before Grad-CAM."
VGG = "Configurations A/B/D/E of the paper without batch norm; torchvision adds adaptive pooling before the classifier."
DENSENET = "DenseNet-BC as in the paper (bottleneck layers, compression 0.5)."
EFFNET = "As in the paper; torchvision's input size per variant comes from its weights' transforms."
VIT = "torchvision's classifier is one linear layer (the paper pre-trains with a hidden layer in the head)."
SWIN = "Swin v1 as in the paper (torchvision's implementation)."
CONVNEXT = "As in the paper (torchvision's implementation)."
RESNET = "As in the paper (projection shortcuts where shapes change)."


def tv(model_id: str, **facts: Any) -> ModelSpec:
    """A torchvision model; its builder is its id unless `builder=` says otherwise."""
    return ModelSpec(id=model_id, source="torchvision", builder=facts.pop("builder", model_id), **facts)


def timm_model(model_id: str, **facts: Any) -> ModelSpec:
    """A timm model (`builder=` is timm's architecture name)."""
    return ModelSpec(id=model_id, source="timm", **facts)


def local(model_id: str, **facts: Any) -> ModelSpec:
    """A network implemented in models/local/; its CAM layer and fidelity come from its module."""
    module = local_adapter.module_of(facts.setdefault("builder", model_id))
    facts.setdefault("cam_layer", module.CAM_LAYER)
    facts.setdefault("class_names", getattr(module, "CATEGORIES", ()))
    return ModelSpec(id=model_id, source="local", fidelity=module.FIDELITY, **facts)


# CAM layers: the last feature map with spatial extent (for AlexNet/VGG the last convolution's ReLU).
ENTRIES: list[ModelSpec] = [
    local("lenet5", node="lenet", name="LeNet-5", num_classes=10, in_channels=1, preprocess=digit_preprocess,
          digits=True),
    tv("alexnet", node="alexnet", name="AlexNet", cam_layer="features.11",
       fidelity="torchvision's AlexNet is the one-GPU variant of Krizhevsky's 'One weird trick' paper (2014): "
                "64-192-384-256-256 filters, no local response normalization, no split across two GPUs."),
    local("nin", node="nin", name="NiN (ImageNet)"),
    tv("vgg16", node="vgg", name="VGG-16", cam_layer="features.29", fidelity=VGG, default=True),
    tv("vgg11", node="vgg", name="VGG-11", cam_layer="features.19", fidelity=VGG),
    tv("vgg13", node="vgg", name="VGG-13", cam_layer="features.23", fidelity=VGG),
    tv("vgg19", node="vgg", name="VGG-19", cam_layer="features.35", fidelity=VGG),
    tv("googlenet", node="googlenet", name="GoogLeNet", cam_layer="inception5b",
       fidelity="torchvision's GoogLeNet uses 3×3 convolutions where the paper's inception branch has 5×5, and "
                "adds batch normalization.",
       builder_kwargs=(("aux_logits", False), ("init_weights", True)),
       state_fixes=(drop_googlenet_aux_heads,), pretrained_attributes=TF_PORT_ATTRIBUTES,
       aux_note="left out, as torchvision's default weights define the model (6.6 M parameters); "
                "the paper's two auxiliary classifiers only help training."),
    local("bn_inception", node="bn-inception", name="BN-Inception"),
    tv("inception_v3", node="inception-v3", name="Inception-v3", cam_layer="Mixed_7c",
       fidelity="As in the paper (with batch-normalized auxiliary classifier).",
       builder_kwargs=(("init_weights", True),), pretrained_attributes=TF_PORT_ATTRIBUTES,
       aux_note="counted in the parameters, as torchvision's weights metadata does (27.2 M); the auxiliary "
                "head does not run at inference, so it adds no compute."),
    timm_model("inception_v4", node="inception-v4", name="Inception-v4", builder="inception_v4", cam_layer="features",
               fidelity="timm's port of the TF-slim Inception-v4, as in the paper."),
    timm_model("inception_resnet_v2", node="inception-resnet", name="Inception-ResNet-v2",
               builder="inception_resnet_v2", cam_layer="conv2d_7b",
               fidelity="timm's port of the TF-slim Inception-ResNet-v2, as in the paper."),
    timm_model("xception", node="xception", name="Xception", builder="legacy_xception", cam_layer="act4",
               fidelity="timm's legacy_xception: the original Keras/TF Xception of the paper (timm's newer "
                        "xception41/65/71 are the later 'aligned' variants)."),
    local("highway_cifar", node="highway", name="Highway (conv, CIFAR)", num_classes=10),
    tv("resnet50", node="resnet", name="ResNet-50", cam_layer="layer4", fidelity=TV_V15, default=True),
    tv("resnet18", node="resnet", name="ResNet-18", cam_layer="layer4", fidelity=RESNET),
    tv("resnet34", node="resnet", name="ResNet-34", cam_layer="layer4", fidelity=RESNET),
    tv("resnet101", node="resnet", name="ResNet-101", cam_layer="layer4", fidelity=TV_V15),
    tv("resnet152", node="resnet", name="ResNet-152", cam_layer="layer4", fidelity=TV_V15),
    tv("resnext50_32x4d", node="resnext", name="ResNeXt-50 (32×4d)", cam_layer="layer4",
       fidelity=Text("Template (c) of the paper; {v15}", v15=Text(TV_V15)), default=True),
    tv("resnext101_32x8d", node="resnext", name="ResNeXt-101 (32×8d)", cam_layer="layer4",
       fidelity=Text("Template (c) of the paper; {v15}", v15=Text(TV_V15))),
    timm_model("seresnet50", node="senet", name="SE-ResNet-50", builder="legacy_seresnet50", cam_layer="layer4",
               fidelity="timm's legacy_seresnet50: the SE paper's own SE-ResNet-50 (stride on the first 1×1, "
                        "3.87 GMACs).", default=True),
    timm_model("senet154", node="senet", name="SENet-154", builder="legacy_senet154", cam_layer="layer4",
               fidelity="timm's legacy_senet154: the paper's ILSVRC 2017 winning model."),
    *[tv(f"densenet{depth}", node="densenet", name=f"DenseNet-{depth}", cam_layer="features.norm5",
         fidelity=DENSENET, state_fixes=(rename_densenet_keys,), default=depth == 121)
      for depth in (121, 169, 201, 161)],
    tv("squeezenet1_0", node="squeezenet", name="SqueezeNet 1.0", cam_layer="features",
       fidelity="SqueezeNet v1.0 of the paper, without bypass.", default=True),
    tv("squeezenet1_1", node="squeezenet", name="SqueezeNet 1.1", cam_layer="features",
       fidelity="SqueezeNet v1.1 from the authors' repository, not in the paper: 2.4× less compute than v1.0 "
                "for the same accuracy."),
    local("shufflenet_v1_g3", node="shufflenet", name="ShuffleNet v1 (1×, g=3)"),
    *[tv(f"shufflenet_v2_{width}", node="shufflenet-v2", name=f"ShuffleNet v2 {width[1:].replace('_', '.')}×",
         cam_layer="conv5", fidelity="As in the paper.", default=width == "x1_0")
      for width in ("x1_0", "x0_5", "x1_5", "x2_0")],
    timm_model("mobilenetv1_100", node="mobilenet-v1", name="MobileNet v1 (1.0, 224)", builder="mobilenetv1_100",
               cam_layer="blocks", fidelity="timm's MobileNet v1 1.0×: the paper's layers with batch norm and ReLU."),
    tv("mobilenet_v2", node="mobilenet-v2", name="MobileNet v2", cam_layer="features",
       fidelity="As in the paper (1.0×, 224)."),
    tv("mobilenet_v3_large", node="mobilenet-v3", name="MobileNet v3 Large", cam_layer="features",
       fidelity="As in the paper.", default=True),
    tv("mobilenet_v3_small", node="mobilenet-v3", name="MobileNet v3 Small", cam_layer="features",
       fidelity="As in the paper."),
    *[tv(f"efficientnet_b{i}", node="efficientnet", name=f"EfficientNet-B{i}", cam_layer="features",
         fidelity=EFFNET, default=i == 0) for i in range(8)],
    local("transformer_base", node="transformer", name="Transformer (base)", kind="sequence"),
    tv("vit_b_16", node="vit", name="ViT-B/16", cam_layer="encoder.layers.encoder_layer_11.ln_1", fidelity=VIT,
       cam_reshape=token_grid, cam_note=VIT_CAM, default=True),
    tv("vit_b_32", node="vit", name="ViT-B/32", cam_layer="encoder.layers.encoder_layer_11.ln_1", fidelity=VIT,
       cam_reshape=token_grid, cam_note=VIT_CAM),
    tv("vit_l_16", node="vit", name="ViT-L/16", cam_layer="encoder.layers.encoder_layer_23.ln_1", fidelity=VIT,
       cam_reshape=token_grid, cam_note=VIT_CAM),
    *[tv(f"swin_{size}", node="swin", name=f"Swin-{size.upper()}", cam_layer="features.7", fidelity=SWIN,
         cam_reshape=channels_last, cam_note=SWIN_CAM, default=size == "t") for size in "tsb"],
    *[tv(f"convnext_{size}", node="convnext", name=f"ConvNeXt-{size[0].upper()}", cam_layer="features",
         fidelity=CONVNEXT, default=size == "tiny") for size in ("tiny", "small", "base", "large")],
    # Networks added with the knowledge review (issue 14)
    local("zfnet", node="zfnet", name="ZFNet"),
    local("resnet110_stochastic_depth", node="stochastic-depth", name="ResNet-110 with stochastic depth (CIFAR)",
          num_classes=10),
    timm_model("preact_resnet50", node="preact-resnet", name="Pre-activation ResNet-50", builder="resnetv2_50",
               cam_layer="norm",
               fidelity="timm's resnetv2_50: the full pre-activation unit of the Identity Mappings paper (BN and "
                        "ReLU before each convolution, one BN-ReLU after the last block); the paper's ImageNet "
                        "results are for 152 and 200 layers."),
    tv("wide_resnet50_2", node="wide-resnet", name="Wide ResNet-50-2", cam_layer="layer4", default=True,
       fidelity="The paper's ImageNet WRN-50-2-bottleneck (the bottleneck's 3×3 twice as wide), built like "
                "torchvision's ResNet-50: stride 2 on the 3×3 of a stage's first block."),
    tv("wide_resnet101_2", node="wide-resnet", name="Wide ResNet-101-2", cam_layer="layer4",
       fidelity="Wide ResNet-50-2's widening applied to ResNet-101 (torchvision's model; the paper reports "
                "WRN-50-2)."),
    timm_model("semnasnet_100", node="mnasnet", name="MnasNet-A1", builder="semnasnet_100", cam_layer="bn2",
               default=True,
               fidelity="timm's semnasnet_100: the paper's MnasNet-A1, with squeeze-and-excitation in some MBConv "
                        "blocks."),
    tv("mnasnet1_0", node="mnasnet", name="MnasNet-B1 1.0", cam_layer="layers",
       fidelity="torchvision's MNASNet 1.0 is the paper's MnasNet-B1: the searched network without "
                "squeeze-excitation."),
    timm_model("nasnetalarge", node="nasnet", name="NASNet-A Large", builder="nasnetalarge", cam_layer="act",
               fidelity="timm's port of the TF-slim NASNet-A Large (6@4032) at 331×331, as in the paper."),
    timm_model("regnety_004", node="regnet", name="RegNetY-400MF", builder="regnety_004", cam_layer="s4",
               default=True,
               fidelity="timm's regnety_004: the paper's RegNetY-400MF (RegNetX with squeeze-and-excitation)."),
    timm_model("regnetx_004", node="regnet", name="RegNetX-400MF", builder="regnetx_004", cam_layer="s4",
               fidelity="timm's regnetx_004: the paper's RegNetX-400MF (the pycls original)."),
    tv("efficientnet_v2_s", node="efficientnet-v2", name="EfficientNetV2-S", cam_layer="features",
       fidelity="As in the paper (Fused-MBConv in the early stages); evaluated at 384×384 like torchvision's "
                "weights."),
    *[timm_model(f"deit_{size}", node="deit", name=f"DeiT-{label}", builder=f"deit_{size}_patch16_224",
                 cam_layer="blocks.11.norm1", cam_reshape=token_grid, cam_note=VIT_CAM, default=size == "small",
                 fidelity=Text("timm's deit_{size}_patch16_224: the paper's DeiT-{label} trained on ImageNet-1k only, "
                               "without the distillation token.", size=size, label=label))
      for size, label in (("small", "S"), ("tiny", "Ti"))],
    timm_model("resnet50d", node="resnet-d", name="ResNet-50-D", builder="resnet50d", cam_layer="layer4",
               fidelity="timm's resnet50d: ResNet-50 with the paper's tweaks B (stride on the 3×3), C (three 3×3 "
                        "stem convolutions) and D (average pooling before the shortcut's 1×1)."),
    timm_model("mobilevit_s", node="mobilevit", name="MobileViT-S", builder="mobilevit_s", cam_layer="final_conv",
               fidelity="timm's MobileViT-S, as in the paper (256×256 input)."),
]


def _index(specs: list[ModelSpec]) -> dict[str, ModelSpec]:
    """Key the specs by id, refusing a repeated id (a dict would silently keep the last) and a node
    with several models but not exactly one marked `default=True`."""
    registry: dict[str, ModelSpec] = {}
    for spec in specs:
        if spec.id in registry:
            raise ValueError(f"model id '{spec.id}' is registered twice")
        registry[spec.id] = spec
    models, defaults = Counter(s.node for s in specs), Counter(s.node for s in specs if s.default)
    for node, count in models.items():
        if defaults[node] > 1 or (count > 1 and defaults[node] != 1):
            raise ValueError(f"node '{node}' has {count} models and {defaults[node]} marked default=True; "
                             "mark exactly one")
    return registry


REGISTRY: dict[str, ModelSpec] = _index(ENTRIES)


def get_spec(model_id: str) -> ModelSpec:
    """The spec of a registered model, or UnknownModelError with suggestions."""
    try:
        return REGISTRY[model_id]
    except KeyError:
        raise UnknownModelError(model_id, list(REGISTRY)) from None


def specs_for_node(node_id: str) -> list[ModelSpec]:
    """Every model of a lineage node, its default first."""
    return sorted((s for s in REGISTRY.values() if s.node == node_id), key=lambda s: not s.default)


def default_model_for_node(node_id: str) -> ModelSpec:
    """The model a click on a node opens: the one marked default, or the node's only model."""
    specs = specs_for_node(node_id)
    if not specs:
        raise UnknownModelError(node_id, sorted({s.node for s in REGISTRY.values()}))
    return specs[0]


def digit_model() -> ModelSpec:
    """The model that reads handwritten digits (the Predict page's digit pad)."""
    return next(spec for spec in REGISTRY.values() if spec.digits)
