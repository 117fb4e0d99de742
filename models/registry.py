"""The model registry: one ModelSpec per model id, each tied to a lineage node.

Shaped like timm's registry (names are keys, metadata is a frozen dataclass) and torchvision's
weights API. Weights options and input sizes are read from the libraries' own metadata (and the
local modules' constants), never retyped.
"""

from __future__ import annotations

import difflib
import sys
from dataclasses import dataclass
from functools import cached_property
from types import ModuleType
from typing import Any, Literal

import torch
import torchvision
from torch import nn

Source = Literal["torchvision", "timm", "local"]

TV_V15 = ("torchvision's ResNet-50/101/152 are 'v1.5': the stride-2 sits on the 3×3 convolution of the "
          "first bottleneck of a stage, not on the 1×1 as in the paper (a little more compute, +0.5% top-1).")
VIT_CAM = ("ViT has no feature map: the CAM layer's output is 1 class token + N patch tokens, reshaped to a "
           "√N×√N grid (class token dropped) before Grad-CAM.")
SWIN_CAM = "Swin's stages are channels-last (B, H, W, C): permuted to (B, C, H, W) before Grad-CAM."


class UnknownModelError(KeyError):
    """A model id that is not registered; the message suggests the closest ids."""

    def __init__(self, model_id: str, known: list[str]) -> None:
        close = difflib.get_close_matches(str(model_id).lower(), known, n=3)
        hint = f" Did you mean {', '.join(close)}?" if close else ""
        super().__init__(f"Unknown model '{model_id}'.{hint}")

    def __str__(self) -> str:
        return self.args[0]


@dataclass(frozen=True)
class Reference:
    """A model's numbers as its library publishes them (None where it publishes none)."""

    params: int
    macs: float | None
    source: str


@dataclass(frozen=True)
class ModelSpec:
    """Where a model comes from, what it takes, and how faithful it is to its paper.

    `input_size` and `weights` are read lazily from the library (or the local module), so that
    importing the registry does not import timm.
    """

    id: str
    node: str
    name: str
    source: Source
    builder: str
    cam_layer: str | None
    fidelity: str
    kind: Literal["image", "sequence"] = "image"
    num_classes: int = 1000
    in_channels: int = 3
    builder_kwargs: tuple[tuple[str, Any], ...] = ()
    aux_note: str = ""
    cam_note: str = ""

    @cached_property
    def input_size(self) -> int | None:
        """Side of the square input: the crop of the library's own transforms (None for token models)."""
        if self.kind != "image":
            return None
        if self.source == "torchvision":
            return int(torchvision.models.get_model_weights(self.builder).DEFAULT.transforms().crop_size[0])
        if self.source == "timm":
            import timm

            return int(timm.models.get_pretrained_cfg(self.builder).input_size[-1])
        return int(local_module(self.builder).INPUT_SIZE)

    @cached_property
    def weights(self) -> tuple[str, ...]:
        """Names of the pretrained weights on offer: torchvision enum members, timm tags, shipped files."""
        if self.source == "torchvision":
            return tuple(w.name for w in torchvision.models.get_model_weights(self.builder))
        if self.source == "timm":
            import timm

            return tuple(name.split(".", 1)[1] for name in timm.list_pretrained(f"{self.builder}.*"))
        from models.local import SHIPPED_WEIGHTS

        return tuple(SHIPPED_WEIGHTS.get(self.builder, ()))

    def build(self, device: str | torch.device = "cpu") -> nn.Module:
        """A fresh model with random initialization, in eval mode, allocated directly on `device`."""
        with torch.device(device):
            model = _construct(self)
        return model.eval()

    def example_inputs(self, size: int | None = None, device: str | torch.device = "cpu") -> tuple[torch.Tensor, ...]:
        """A batch of one: a zero image of side `size` (default: the model's), or the Transformer's tokens."""
        if self.kind == "sequence":
            return local_module(self.builder).example_inputs(device=device)
        side = size or self.input_size
        return (torch.zeros(1, self.in_channels, side, side, device=device),)

    def describe_inputs(self, size: int | None = None) -> str:
        """That batch in words, e.g. '1×3×224×224 image' or '1×128 source + 1×128 target tokens'."""
        if self.kind == "sequence":
            source, target = self.example_inputs(device="meta")
            return f"{'×'.join(map(str, source.shape))} source + {'×'.join(map(str, target.shape))} target tokens"
        return "×".join(map(str, self.example_inputs(size, "meta")[0].shape)) + " image"


def local_module(builder: str) -> ModuleType:
    """The module that defines a local builder (its INPUT_SIZE, example_inputs, source file)."""
    from models.local import BUILDERS

    return sys.modules[BUILDERS[builder].__module__]


def _construct(spec: ModelSpec) -> nn.Module:
    kwargs = dict(spec.builder_kwargs)
    if spec.source == "torchvision":
        return torchvision.models.get_model(spec.builder, weights=None, **kwargs)
    if spec.source == "timm":
        import timm

        return timm.create_model(spec.builder, pretrained=False, **kwargs)
    from models.local import BUILDERS

    return BUILDERS[spec.builder](**kwargs)


def library_reference(spec: ModelSpec) -> Reference | None:
    """What the library says: torchvision's default-weights metadata; timm's own model, counted."""
    if spec.source == "torchvision":
        weights = torchvision.models.get_model_weights(spec.builder).DEFAULT
        return Reference(weights.meta["num_params"], weights.meta["_ops"] * 1e9, f"torchvision {weights}")
    if spec.source == "timm":
        import timm

        with torch.device("meta"):
            model = timm.create_model(spec.builder)
        return Reference(sum(p.numel() for p in model.parameters()), None, f"timm.create_model('{spec.builder}')")
    return None


def _tv(model_id: str, node: str, name: str, cam_layer: str, fidelity: str, **extra: Any) -> ModelSpec:
    return ModelSpec(model_id, node, name, "torchvision", model_id, cam_layer, fidelity, **extra)


def _timm(model_id: str, node: str, name: str, builder: str, cam_layer: str, fidelity: str) -> ModelSpec:
    return ModelSpec(model_id, node, name, "timm", builder, cam_layer, fidelity)


def _local(model_id: str, node: str, name: str, builder: str, **extra: Any) -> ModelSpec:
    from models.local import CAM_LAYERS, FIDELITY

    return ModelSpec(model_id, node, name, "local", builder, CAM_LAYERS.get(builder), FIDELITY[builder], **extra)


def _specs() -> list[ModelSpec]:
    vgg_note = "Configurations A/B/D/E of the paper without batch norm; torchvision adds adaptive pooling before the classifier."
    densenet_note = "DenseNet-BC as in the paper (bottleneck layers, compression 0.5)."
    effnet_note = "As in the paper; torchvision's input size per variant comes from its weights' transforms."
    vit_note = "torchvision's classifier is one linear layer (the paper pre-trains with a hidden layer in the head)."
    swin_note = "Swin v1 as in the paper (torchvision's implementation)."
    convnext_note = "As in the paper (torchvision's implementation)."
    # CAM layers: the last feature map with spatial extent (for AlexNet/VGG the last convolution's ReLU).
    return [
        _local("lenet5", "lenet", "LeNet-5", "lenet5", num_classes=10, in_channels=1),
        _tv("alexnet", "alexnet", "AlexNet", "features.11",
            "torchvision's AlexNet is the one-GPU variant of Krizhevsky's 'One weird trick' paper (2014): "
            "64-192-384-256-256 filters, no local response normalization, no split across two GPUs."),
        _local("nin", "nin", "NiN (ImageNet)", "nin"),
        _tv("vgg16", "vgg", "VGG-16", "features.29", vgg_note),
        _tv("vgg11", "vgg", "VGG-11", "features.19", vgg_note),
        _tv("vgg13", "vgg", "VGG-13", "features.23", vgg_note),
        _tv("vgg19", "vgg", "VGG-19", "features.35", vgg_note),
        _tv("googlenet", "googlenet", "GoogLeNet", "inception5b",
            "torchvision's GoogLeNet uses 3×3 convolutions where the paper's inception branch has 5×5, and adds "
            "batch normalization.",
            builder_kwargs=(("aux_logits", False), ("init_weights", True)),
            aux_note="left out, as torchvision's default weights define the model (6.6 M parameters); "
                     "the paper's two auxiliary classifiers only help training."),
        _local("bn_inception", "bn-inception", "BN-Inception", "bn_inception"),
        _tv("inception_v3", "inception-v3", "Inception-v3", "Mixed_7c",
            "As in the paper (with batch-normalized auxiliary classifier).",
            builder_kwargs=(("init_weights", True),),
            aux_note="counted in the parameters, as torchvision's weights metadata does (27.2 M); the auxiliary "
                     "head does not run at inference, so it adds no compute."),
        _timm("inception_v4", "inception-v4", "Inception-v4", "inception_v4", "features",
              "timm's port of the TF-slim Inception-v4, as in the paper."),
        _timm("inception_resnet_v2", "inception-resnet", "Inception-ResNet-v2", "inception_resnet_v2", "conv2d_7b",
              "timm's port of the TF-slim Inception-ResNet-v2, as in the paper."),
        _timm("xception", "xception", "Xception", "legacy_xception", "act4",
              "timm's legacy_xception: the original Keras/TF Xception of the paper (timm's newer xception41/65/71 "
              "are the later 'aligned' variants)."),
        _local("highway_cifar", "highway", "Highway (conv, CIFAR)", "highway_cifar", num_classes=10),
        _tv("resnet50", "resnet", "ResNet-50", "layer4", TV_V15),
        _tv("resnet18", "resnet", "ResNet-18", "layer4", "As in the paper (projection shortcuts where shapes change)."),
        _tv("resnet34", "resnet", "ResNet-34", "layer4", "As in the paper (projection shortcuts where shapes change)."),
        _tv("resnet101", "resnet", "ResNet-101", "layer4", TV_V15),
        _tv("resnet152", "resnet", "ResNet-152", "layer4", TV_V15),
        _tv("resnext50_32x4d", "resnext", "ResNeXt-50 (32×4d)", "layer4", "Template (c) of the paper; " + TV_V15),
        _tv("resnext101_32x8d", "resnext", "ResNeXt-101 (32×8d)", "layer4", "Template (c) of the paper; " + TV_V15),
        _timm("seresnet50", "senet", "SE-ResNet-50", "legacy_seresnet50", "layer4",
              "timm's legacy_seresnet50: the SE paper's own SE-ResNet-50 (stride on the first 1×1, 3.87 GMACs)."),
        _timm("senet154", "senet", "SENet-154", "legacy_senet154", "layer4",
              "timm's legacy_senet154: the paper's ILSVRC 2017 winning model."),
        _tv("densenet121", "densenet", "DenseNet-121", "features.norm5", densenet_note),
        _tv("densenet169", "densenet", "DenseNet-169", "features.norm5", densenet_note),
        _tv("densenet201", "densenet", "DenseNet-201", "features.norm5", densenet_note),
        _tv("densenet161", "densenet", "DenseNet-161", "features.norm5", densenet_note),
        _tv("squeezenet1_0", "squeezenet", "SqueezeNet 1.0", "features", "SqueezeNet v1.0 of the paper, without bypass."),
        _tv("squeezenet1_1", "squeezenet", "SqueezeNet 1.1", "features",
            "SqueezeNet v1.1 from the authors' repository, not in the paper: 2.4× less compute than v1.0 "
            "for the same accuracy."),
        _local("shufflenet_v1_g3", "shufflenet", "ShuffleNet v1 (1×, g=3)", "shufflenet_v1_g3"),
        _tv("shufflenet_v2_x1_0", "shufflenet-v2", "ShuffleNet v2 1.0×", "conv5", "As in the paper."),
        _tv("shufflenet_v2_x0_5", "shufflenet-v2", "ShuffleNet v2 0.5×", "conv5", "As in the paper."),
        _tv("shufflenet_v2_x1_5", "shufflenet-v2", "ShuffleNet v2 1.5×", "conv5", "As in the paper."),
        _tv("shufflenet_v2_x2_0", "shufflenet-v2", "ShuffleNet v2 2.0×", "conv5", "As in the paper."),
        _timm("mobilenetv1_100", "mobilenet-v1", "MobileNet v1 (1.0, 224)", "mobilenetv1_100", "blocks",
              "timm's MobileNet v1 1.0×: the paper's layers with batch norm and ReLU."),
        _tv("mobilenet_v2", "mobilenet-v2", "MobileNet v2", "features", "As in the paper (1.0×, 224)."),
        _tv("mobilenet_v3_large", "mobilenet-v3", "MobileNet v3 Large", "features", "As in the paper."),
        _tv("mobilenet_v3_small", "mobilenet-v3", "MobileNet v3 Small", "features", "As in the paper."),
        *[_tv(f"efficientnet_b{i}", "efficientnet", f"EfficientNet-B{i}", "features", effnet_note) for i in range(8)],
        _local("transformer_base", "transformer", "Transformer (base)", "transformer_base", kind="sequence"),
        _tv("vit_b_16", "vit", "ViT-B/16", "encoder.layers.encoder_layer_11.ln_1", vit_note, cam_note=VIT_CAM),
        _tv("vit_b_32", "vit", "ViT-B/32", "encoder.layers.encoder_layer_11.ln_1", vit_note, cam_note=VIT_CAM),
        _tv("vit_l_16", "vit", "ViT-L/16", "encoder.layers.encoder_layer_23.ln_1", vit_note, cam_note=VIT_CAM),
        _tv("swin_t", "swin", "Swin-T", "features.7", swin_note, cam_note=SWIN_CAM),
        _tv("swin_s", "swin", "Swin-S", "features.7", swin_note, cam_note=SWIN_CAM),
        _tv("swin_b", "swin", "Swin-B", "features.7", swin_note, cam_note=SWIN_CAM),
        _tv("convnext_tiny", "convnext", "ConvNeXt-T", "features", convnext_note),
        _tv("convnext_small", "convnext", "ConvNeXt-S", "features", convnext_note),
        _tv("convnext_base", "convnext", "ConvNeXt-B", "features", convnext_note),
        _tv("convnext_large", "convnext", "ConvNeXt-L", "features", convnext_note),
        # Networks added with the knowledge review (issue 14)
        _local("zfnet", "zfnet", "ZFNet", "zfnet"),
        _local("resnet110_stochastic_depth", "stochastic-depth", "ResNet-110 with stochastic depth (CIFAR)",
               "resnet110_stochastic_depth", num_classes=10),
        _timm("preact_resnet50", "preact-resnet", "Pre-activation ResNet-50", "resnetv2_50", "norm",
              "timm's resnetv2_50: the full pre-activation unit of the Identity Mappings paper (BN and ReLU before "
              "each convolution, one BN-ReLU after the last block); the paper's ImageNet results are for 152 and "
              "200 layers."),
        _tv("wide_resnet50_2", "wide-resnet", "Wide ResNet-50-2", "layer4",
            "The paper's ImageNet WRN-50-2-bottleneck (the bottleneck's 3×3 twice as wide), built like torchvision's "
            "ResNet-50: stride 2 on the 3×3 of a stage's first block."),
        _tv("wide_resnet101_2", "wide-resnet", "Wide ResNet-101-2", "layer4",
            "Wide ResNet-50-2's widening applied to ResNet-101 (torchvision's model; the paper reports WRN-50-2)."),
        _timm("semnasnet_100", "mnasnet", "MnasNet-A1", "semnasnet_100", "bn2",
              "timm's semnasnet_100: the paper's MnasNet-A1, with squeeze-and-excitation in some MBConv blocks."),
        _tv("mnasnet1_0", "mnasnet", "MnasNet-B1 1.0", "layers",
            "torchvision's MNASNet 1.0 is the paper's MnasNet-B1: the searched network without squeeze-excitation."),
        _timm("nasnetalarge", "nasnet", "NASNet-A Large", "nasnetalarge", "act",
              "timm's port of the TF-slim NASNet-A Large (6@4032) at 331×331, as in the paper."),
        _timm("regnety_004", "regnet", "RegNetY-400MF", "regnety_004", "s4",
              "timm's regnety_004: the paper's RegNetY-400MF (RegNetX with squeeze-and-excitation); timm rather than "
              "torchvision, whose RegNet cannot be built on the meta device."),
        _timm("regnetx_004", "regnet", "RegNetX-400MF", "regnetx_004", "s4",
              "timm's regnetx_004: the paper's RegNetX-400MF (the pycls original; torchvision's is a variant)."),
        _tv("efficientnet_v2_s", "efficientnet-v2", "EfficientNetV2-S", "features",
            "As in the paper (Fused-MBConv in the early stages); evaluated at 384×384 like torchvision's weights."),
        _timm("deit_small", "deit", "DeiT-S", "deit_small_patch16_224", None,
              "timm's deit_small_patch16_224: the paper's DeiT-S trained on ImageNet-1k only, without the distillation "
              "token. No CAM: its token output needs ViT's reshape, which the CAM module keys by the ViT node."),
        _timm("deit_tiny", "deit", "DeiT-Ti", "deit_tiny_patch16_224", None,
              "timm's deit_tiny_patch16_224: the paper's DeiT-Ti, no distillation token. No CAM (see DeiT-S)."),
        _timm("resnet50d", "resnet-d", "ResNet-50-D", "resnet50d", "layer4",
              "timm's resnet50d: ResNet-50 with the paper's tweaks B (stride on the 3×3), C (three 3×3 stem "
              "convolutions) and D (average pooling before the shortcut's 1×1)."),
        _timm("mobilevit_s", "mobilevit", "MobileViT-S", "mobilevit_s", "final_conv",
              "timm's MobileViT-S, as in the paper (256×256 input)."),
    ]


def _index(specs: list[ModelSpec]) -> dict[str, ModelSpec]:
    """Key the specs by id, refusing a repeated id (a dict would silently keep the last)."""
    registry: dict[str, ModelSpec] = {}
    for spec in specs:
        if spec.id in registry:
            raise ValueError(f"model id '{spec.id}' is registered twice")
        registry[spec.id] = spec
    return registry


REGISTRY: dict[str, ModelSpec] = _index(_specs())


def get_spec(model_id: str) -> ModelSpec:
    """The spec of a registered model, or UnknownModelError with suggestions."""
    try:
        return REGISTRY[model_id]
    except KeyError:
        raise UnknownModelError(model_id, list(REGISTRY)) from None


def specs_for_node(node_id: str) -> list[ModelSpec]:
    """Every model of a lineage node, its default first."""
    return [spec for spec in REGISTRY.values() if spec.node == node_id]


def default_model_for_node(node_id: str) -> ModelSpec:
    """The model a click on a node opens (the first listed for it)."""
    specs = specs_for_node(node_id)
    if not specs:
        raise UnknownModelError(node_id, sorted({s.node for s in REGISTRY.values()}))
    return specs[0]
