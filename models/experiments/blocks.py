"""Measured experiments on building blocks: channel shuffle (ShuffleNet), squeeze-and-excitation
(SENet), the inverted residual (MobileNetV2) and the identity against the gated shortcut (ResNet)."""

from __future__ import annotations

import copy

import torch
from torch import nn
from torchvision.models.mobilenetv2 import InvertedResidual
from torchvision.ops import SqueezeExcitation

from models.analysis import Analysis, analyse
from lineage.text import Text
from models.experiments.base import SEED, Experiment, Measurements, Paper, Setting, Variant, Verdict
from models.experiments.measure import count, ratio, variant
from models.local.highway import GATE_BIAS, HighwayConv
from models.local.shufflenet_v1 import channel_shuffle


class GroupedPair(nn.Module):
    """Two grouped 1×1 convolutions, with or without a channel shuffle between them."""

    def __init__(self, channels: int, groups: int, shuffle: bool) -> None:
        super().__init__()
        self.groups, self.shuffle = groups, shuffle
        self.first = nn.Conv2d(channels, channels, 1, groups=groups, bias=False)
        self.second = nn.Conv2d(channels, channels, 1, groups=groups, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.first(x)
        return self.second(channel_shuffle(x, self.groups) if self.shuffle else x)


def input_reach(block: nn.Module, channels: int) -> float:
    """The mean share of input channels each output channel depends on: with every weight set to 1 the
    1×1 block is a linear map, so feeding it the identity (one channel on per sample) reads off which
    inputs reach which outputs."""
    probe = copy.deepcopy(block)
    with torch.no_grad():
        for parameter in probe.parameters():
            parameter.fill_(1.0)
        columns = probe(torch.eye(channels).view(channels, channels, 1, 1))[:, :, 0, 0]
    return ratio(int((columns != 0).sum()), channels * channels)


def _shuffle(settings: dict, _report) -> Measurements:
    channels, groups = int(settings["channels"]), int(settings["groups"])
    if channels % groups:
        raise ValueError(f"groups must divide the channels: {channels} is not a multiple of {groups}")
    x = torch.zeros(1, channels, 28, 28)
    variants = [variant(Text("two grouped 1×1 (g={groups}), no shuffle", groups=groups), False,
                        GroupedPair(channels, groups, False), x),
                variant(Text("two grouped 1×1 (g={groups}), channel shuffle between", groups=groups), True,
                        GroupedPair(channels, groups, True), x)]
    for v, shuffle in zip(variants, (False, True)):
        v.metrics["input_reach"] = input_reach(GroupedPair(channels, groups, shuffle), channels)
    return Measurements(variants, {"reach_plain": variants[0].metrics["input_reach"],
                                   "reach_shuffled": variants[1].metrics["input_reach"], "groups": groups,
                                   "macs_ratio": ratio(variants[1].macs, variants[0].macs)})


def _judge_shuffle(f: dict) -> Verdict:
    words = Text("after two grouped 1×1 convolutions (g={groups:g}) each output channel sees {reach_shuffled:.0%} of the "
                 "input channels with the shuffle and {reach_plain:.0%} without, at {macs_ratio:.0%} of the MACs.",
                 groups=f["groups"], reach_shuffled=f["reach_shuffled"], reach_plain=f["reach_plain"],
                 macs_ratio=f["macs_ratio"])
    if f["reach_shuffled"] > f["reach_plain"] and f["macs_ratio"] == 1:
        return Verdict(True, Text("Supported: {words}", words=words))
    return Verdict(False, Text("Not shown by this run: {words}", words=words))


RESNET50_STAGES = ((256, 56, 3), (512, 28, 4), (1024, 14, 6), (2048, 7, 3))  # output channels, side, blocks


def _squeeze_excite(settings: dict, _report) -> Measurements:
    reduction = int(settings["reduction"])
    base, registry_se = analyse("resnet50"), analyse("seresnet50")
    se_params = se_macs = 0
    for channels, side, blocks in RESNET50_STAGES:
        params, macs, _ = count(SqueezeExcitation(channels, channels // reduction), torch.zeros(1, channels, side, side))
        se_params, se_macs = se_params + blocks * params, se_macs + blocks * macs
    variants = [variant_from(base, "ResNet-50", False),
                variant_from(base, Text("ResNet-50 + squeeze-and-excitation (r={r})", r=reduction), True, se_params,
                             se_macs)]
    return Measurements(variants, {
        "extra_params": se_params, "params_increase": ratio(se_params, base.params),
        "macs_increase": ratio(se_macs, base.macs), "registry_extra_params": registry_se.params - base.params})


def variant_from(analysis: Analysis, name: str, with_innovation: bool, extra_params: int = 0,
                 extra_macs: int = 0) -> Variant:
    """A variant from a registry model's analysis, plus the parameters and MACs of added blocks."""
    return Variant(name, with_innovation, analysis.params + extra_params, analysis.macs + extra_macs)


def _judge_se(f: dict) -> Verdict:
    words = Text("squeeze-and-excitation adds {extra:.2f} M parameters ({params_increase:.1%}) and {macs_increase:.2%} "
                 "MACs to ResNet-50 (the registry's SE-ResNet-50 has {registry_extra:.2f} M more parameters than its "
                 "ResNet-50).", extra=f["extra_params"] / 1e6, params_increase=f["params_increase"],
                 macs_increase=f["macs_increase"], registry_extra=f["registry_extra_params"] / 1e6)
    if f["params_increase"] < 0.15 and f["macs_increase"] < 0.01:
        return Verdict(True, Text("Supported: {words}", words=words))
    return Verdict(False, Text("Not shown by this run (over 15% parameters or 1% MACs): {words}", words=words))


def depthwise_separable_bn(channels: int) -> nn.Sequential:
    """MobileNet v1's layer: depthwise 3×3, BN, ReLU, then pointwise 1×1, BN, ReLU."""
    return nn.Sequential(nn.Conv2d(channels, channels, 3, padding=1, groups=channels, bias=False),
                         nn.BatchNorm2d(channels), nn.ReLU(), nn.Conv2d(channels, channels, 1, bias=False),
                         nn.BatchNorm2d(channels), nn.ReLU())


def _inverted(settings: dict, _report) -> Measurements:
    expansion, side = int(settings["expansion"]), 56
    wide, thin = 128, 24  # the 56×56 stage of MobileNet v1 (Table 1) and of MobileNetV2 (Table 2)
    v1, v2 = depthwise_separable_bn(wide), InvertedResidual(thin, thin, 1, expansion)
    variants = [variant(Text("MobileNet v1 layer ({wide} channels)", wide=wide), False, v1, torch.zeros(1, wide, side, side),
                        between_blocks_bytes=4 * wide * side * side),
                variant(Text("inverted residual, linear bottleneck ({thin}→{wide}→{thin})", thin=thin,
                             wide=thin * expansion), True, v2,
                        torch.zeros(1, thin, side, side), between_blocks_bytes=4 * thin * side * side)]
    return Measurements(variants, {
        "memory_ratio": ratio(variants[1].metrics["between_blocks_bytes"], variants[0].metrics["between_blocks_bytes"]),
        "macs_ratio": ratio(variants[1].macs, variants[0].macs), "expansion": expansion})


def _judge_inverted(f: dict) -> Verdict:
    words = Text("the tensor passed between blocks is {memory_ratio:.0%} of MobileNet v1's at 56×56, for {macs_ratio:.0%} "
                 "of its MACs (expansion {expansion:g}).", memory_ratio=f["memory_ratio"], macs_ratio=f["macs_ratio"],
                 expansion=f["expansion"])
    if f["memory_ratio"] < 1 and f["macs_ratio"] <= 1:
        return Verdict(True, Text("Supported: {words}", words=words))
    return Verdict(False, Text("Not shown by this run: {words}", words=words))


class ResidualConv(nn.Module):
    """An identity shortcut around the same 3×3 convolution + ReLU a highway layer transforms with."""

    def __init__(self, channels: int) -> None:
        super().__init__()
        self.transform = nn.Sequential(nn.Conv2d(channels, channels, 3, padding=1), nn.ReLU())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + self.transform(x)


def _shortcuts(settings: dict, _report) -> Measurements:
    torch.manual_seed(int(settings["seed"]))
    channels, layers = int(settings["channels"]), int(settings["layers"])
    x = torch.randn(8, channels, 16, 16, generator=torch.Generator().manual_seed(int(settings["seed"])))
    highway = nn.Sequential(*(HighwayConv(channels) for _ in range(layers)))
    for module in highway:
        nn.init.constant_(module.gate.bias, GATE_BIAS)
    with torch.no_grad():
        carried = float((1 - torch.sigmoid(highway[0].gate(x))).mean())  # the first layer's carry share
    residual = nn.Sequential(*(ResidualConv(channels) for _ in range(layers)))
    variants = [variant(Text("highway layers (learned gate)"), False, highway, x[:1], carried_at_init=round(carried, 4)),
                variant(Text("residual layers (identity shortcut)"), True, residual, x[:1], carried_at_init=1.0)]
    return Measurements(variants, {
        "shortcut_params_highway": variants[0].params - variants[1].params, "shortcut_params_residual": 0,
        "carried_highway": round(carried, 4), "params_ratio": ratio(variants[1].params, variants[0].params)})


def _judge_shortcuts(f: dict) -> Verdict:
    words = Text("the gates cost {gates:,.0f} parameters (the residual stack has {params_ratio:.0%} of the highway "
                 "stack's) and at initialization carry {carried:.0%} of the input; the identity shortcut costs none and "
                 "always carries all of it.", gates=f["shortcut_params_highway"], params_ratio=f["params_ratio"],
                 carried=f["carried_highway"])
    if f["shortcut_params_residual"] == 0 < f["shortcut_params_highway"] and f["carried_highway"] < 1:
        return Verdict(True, Text("Supported: {words}", words=words))
    return Verdict(False, Text("Not shown by this run: {words}", words=words))


EXPERIMENTS = (
    Experiment(
        ("resnext", "shufflenet"), "Grouped 1×1 convolutions with and without channel shuffle",
        "A channel shuffle after a grouped convolution lets every group see channels from every other group, for free.",
        Paper("channel shuffle lowers ImageNet top-1 error in every setting tested, most with more groups",
              "ShuffleNet 1× (g=8): 37.6% → 32.4% error; 1× (g=3): 34.5% → 32.6%", "Zhang et al. 2017, Table 3"),
        "measured", "input channels reached", _shuffle, _judge_shuffle,
        (SEED, Setting("channels", "Channels", 240, 8, 480), Setting("groups", "Groups g", 3, 1, 8))),
    Experiment(
        ("resnet", "senet"), "ResNet-50 with and without squeeze-and-excitation: the cost",
        "Squeeze-and-excitation re-weights each block's channels at a small parameter and compute cost.",
        Paper("SE-ResNet-50 needs ~3.87 GFLOPs against ResNet-50's ~3.86 (a 0.26% increase) and ~2.5 million more "
              "parameters, about 10%", "+0.26% compute, +2.5 M (~10%) parameters", "Hu et al. 2017, Sec. 4"),
        "measured", "extra parameters and MACs", _squeeze_excite, _judge_se,
        (SEED, Setting("reduction", "Reduction ratio r", 16, 2, 64)),
        caveat="The squeeze's pooling and the rescaling multiply are not counted (FlopCounterMode has no formula "
               "for them), as on the Inspect page; only the two fully connected layers are."),
    Experiment(
        ("mobilenet-v1", "mobilenet-v2"), "Inverted residual with a linear bottleneck against MobileNet v1's layer",
        "Expanding, filtering depthwise and projecting back linearly keeps the tensors between blocks thin.",
        Paper("the largest tensor that must be kept in memory is 1600K for MobileNet v1 and 400K for MobileNetV2 "
              "(16-bit floats)", "1600K vs 400K", "Sandler et al. 2018, Table 3"),
        "measured", "memory between blocks", _inverted, _judge_inverted,
        (SEED, Setting("expansion", "Expansion t", 6, 1, 10))),
    Experiment(
        ("highway", "resnet"), "Identity shortcut against a learned gate",
        "ResNet's shortcut is a parameter-free identity that never closes; a highway gate has parameters and can close.",
        Paper("highway gates are data-dependent and have parameters, in contrast to identity shortcuts that are "
              "parameter-free; a gated shortcut can be closed", "0 parameters per identity shortcut",
              "He et al. 2015, Sec. 2"),
        "measured", "shortcut parameters", _shortcuts, _judge_shortcuts,
        (SEED, Setting("channels", "Channels", 32, 8, 128), Setting("layers", "Layers", 10, 1, 30))),
)
