"""Measured experiments on cheaper convolutions: stacked 3×3 (VGG), the 1×1 + global-pooling head
(NiN), grouped (ResNeXt) and depthwise separable convolutions (Xception, MobileNet)."""

from __future__ import annotations

import math

import torch
from torch import nn

from lineage.text import Text
from models.experiments.base import SEED, Experiment, Measurements, Paper, Setting, Verdict
from models.experiments.measure import cpu_latency_ms, ratio, receptive_field, variant

CHANNELS = Setting("channels", "Channels C", 64, 8, 512, help="input and output channels of every convolution")
SIZE = Setting("size", "Feature map side", 32, 8, 112, help="height and width of the input feature map")


def conv_stack(channels: int, kernel: int, layers: int) -> nn.Sequential:
    """`layers` k×k convolutions of C→C channels (no bias, padding keeps the size), ReLU between."""
    modules: list[nn.Module] = []
    for index in range(layers):
        modules += [nn.Conv2d(channels, channels, kernel, padding=kernel // 2, bias=False)]
        modules += [nn.ReLU()] if index < layers - 1 else []
    return nn.Sequential(*modules)


def _stacked_3x3(settings: dict, _report) -> Measurements:
    c, size = int(settings["channels"]), int(settings["size"])
    x = torch.zeros(1, c, size, size)
    variants, figures = [], {}
    for kernel, layers in ((5, 1), (3, 2), (7, 1), (3, 3)):
        stack = conv_stack(c, kernel, layers)
        field = receptive_field(stack, c)
        name = Text("one {k}×{k}", k=kernel) if layers == 1 else Text("{layers} stacked 3×3", layers=layers)
        variants.append(variant(name, layers > 1, stack, x, receptive_field=field, weights_per_c2=ratio(
            sum(p.numel() for p in stack.parameters()), c * c)))
        figures[f"field_{kernel}x{layers}"] = field
        figures[f"weights_{kernel}x{layers}"] = variants[-1].metrics["weights_per_c2"]
    return Measurements(variants, figures)


def _judge_stacked(f: dict) -> Verdict:
    same_field = f["field_3x2"] == f["field_5x1"] and f["field_3x3"] == f["field_7x1"]
    cheaper = f["weights_3x2"] < f["weights_5x1"] and f["weights_3x3"] < f["weights_7x1"]
    words = Text("Two stacked 3×3 see {field_3x2:g}×{field_3x2:g} (one 5×5: {field_5x1:g}×{field_5x1:g}) with "
                 "{weights_3x2:g}C² weights against {weights_5x1:g}C²; three see {field_3x3:g}×{field_3x3:g} (one 7×7: "
                 "{field_7x1:g}×{field_7x1:g}) with {weights_3x3:g}C² against {weights_7x1:g}C².",
                 **{key: f[key] for key in ("field_3x2", "field_5x1", "weights_3x2", "weights_5x1", "field_3x3",
                                            "field_7x1", "weights_3x3", "weights_7x1")})
    if same_field and cheaper:
        return Verdict(True, Text("Supported: {words}", words=words))
    return Verdict(False, Text("Not shown by this run: {words}", words=words))


def _heads(settings: dict, _report) -> Measurements:
    c, classes = int(settings["channels"]), int(settings["classes"])
    x = torch.zeros(1, c, 6, 6)
    fc = nn.Sequential(nn.Flatten(), nn.Linear(c * 36, 4096), nn.ReLU(), nn.Linear(4096, 4096), nn.ReLU(),
                       nn.Linear(4096, classes))
    nin = nn.Sequential(nn.Conv2d(c, c, 1), nn.ReLU(), nn.Conv2d(c, classes, 1), nn.AdaptiveAvgPool2d(1), nn.Flatten())
    variants = [variant(Text("fully connected head (AlexNet)"), False, fc, x),
                variant(Text("1×1 convolutions + global average pooling (NiN)"), True, nin, x)]
    return Measurements(variants, {"params_fc": variants[0].params, "params_gap": variants[1].params,
                                   "params_ratio": ratio(variants[1].params, variants[0].params)})


def _judge_heads(f: dict) -> Verdict:
    words = Text("the 1×1 + global-average-pooling head has {params_gap:,.0f} parameters, {params_ratio:.2%} of the fully "
                 "connected head's {params_fc:,.0f}.", params_gap=f["params_gap"], params_ratio=f["params_ratio"],
                 params_fc=f["params_fc"])
    if f["params_ratio"] < 0.1:
        return Verdict(True, Text("Supported: {words}", words=words))
    return Verdict(False, Text("Not shown by this run (not under a tenth): {words}", words=words))


def resnext_width(cardinality: int, base: int = 64, channels: int = 256) -> int:
    """The per-path width d that keeps C·(2·256·d + 9·d²) at a ResNet bottleneck's 2·256·64 + 9·64²
    (ResNeXt Sec. 3.3, Table 2), rounded to the nearest integer as the paper's table is."""
    budget = 2 * channels * base + 9 * base * base
    a, b, c = 9 * cardinality, 2 * channels * cardinality, -budget
    return max(1, round((-b + math.sqrt(b * b - 4 * a * c)) / (2 * a)))


def bottleneck(channels: int, width: int, groups: int) -> nn.Sequential:
    """1×1 reduce → 3×3 (grouped) → 1×1 restore, ReLU between, no bias (counting only)."""
    return nn.Sequential(nn.Conv2d(channels, width, 1, bias=False), nn.ReLU(),
                         nn.Conv2d(width, width, 3, padding=1, groups=groups, bias=False), nn.ReLU(),
                         nn.Conv2d(width, channels, 1, bias=False))


def _grouped(settings: dict, _report) -> Measurements:
    cardinality = int(settings["cardinality"])
    x = torch.zeros(1, 256, 56, 56)
    width = resnext_width(cardinality) * cardinality
    variants = [variant(Text("ResNet bottleneck (64 wide)"), False, bottleneck(256, 64, 1), x, width=64),
                variant(Text("ResNeXt bottleneck ({cardinality}×{group}d = {width} wide)", cardinality=cardinality,
                             group=width // cardinality, width=width), True,
                        bottleneck(256, width, cardinality), x, width=width)]
    return Measurements(variants, {"macs_ratio": ratio(variants[1].macs, variants[0].macs),
                                   "width_ratio": ratio(width, 64), "cardinality": cardinality})


def _judge_grouped(f: dict) -> Verdict:
    words = Text("with {cardinality:g} groups the 3×3 is {width_ratio:g}× as wide at {macs_ratio:.1%} of the ResNet "
                 "bottleneck's MACs.", cardinality=f["cardinality"], width_ratio=f["width_ratio"],
                 macs_ratio=f["macs_ratio"])
    if abs(f["macs_ratio"] - 1) <= 0.05 and f["width_ratio"] > 1:
        return Verdict(True, Text("Supported: {words}", words=words))
    return Verdict(False, Text("Not shown by this run (not wider at the same MACs ±5%): {words}", words=words))


def separable(channels: int, kernel: int) -> nn.Sequential:
    """Depthwise k×k (one filter per channel) then pointwise 1×1, as in Xception and MobileNet."""
    return nn.Sequential(nn.Conv2d(channels, channels, kernel, padding=kernel // 2, groups=channels, bias=False),
                         nn.Conv2d(channels, channels, 1, bias=False))


def _depthwise(settings: dict, _report) -> Measurements:
    n, k, size = int(settings["channels"]), int(settings["kernel"]), int(settings["size"])
    x = torch.randn(1, n, size, size, generator=torch.Generator().manual_seed(int(settings["seed"])))
    standard = nn.Conv2d(n, n, k, padding=k // 2, bias=False)
    split = separable(n, k)
    variants = [variant(Text("standard {k}×{k} convolution", k=k), False, standard, x),
                variant(Text("depthwise {k}×{k} + pointwise 1×1", k=k), True, split, x)]
    timings = {"latency_ms_standard": cpu_latency_ms(standard, x), "latency_ms_separable": cpu_latency_ms(split, x)}
    return Measurements(variants, {"macs_ratio": ratio(variants[1].macs, variants[0].macs),
                                   "formula": ratio(1 / n + 1 / k ** 2, 1), "channels": n, "kernel": k}, timings)


def _judge_depthwise(f: dict) -> Verdict:
    words = Text("counted MACs ratio {macs_ratio:.4f}; 1/N + 1/k² = 1/{channels:g} + 1/{kernel:g}² = {formula:.4f}, a "
                 "{saving:.1f}× saving.", macs_ratio=f["macs_ratio"], channels=f["channels"], kernel=f["kernel"],
                 formula=f["formula"], saving=1 / f["macs_ratio"])
    if abs(f["macs_ratio"] - f["formula"]) < 1e-4 and f["macs_ratio"] < 1:
        return Verdict(True, Text("Supported: {words}", words=words))
    return Verdict(False, Text("Not shown by this run: {words}", words=words))


def _latency_words(t: dict) -> str:
    return Text("Measured CPU latency here: standard {standard:.2f} ms, separable {separable:.2f} ms ({speedup:.1f}× "
                "faster); timings vary from run to run and machine to machine, MACs do not.",
                standard=t["latency_ms_standard"], separable=t["latency_ms_separable"],
                speedup=t["latency_ms_standard"] / t["latency_ms_separable"])


KERNEL = Setting("kernel", "Kernel k", 3, 3, 7)
EXPERIMENTS = (
    Experiment(
        ("alexnet", "vgg"), "Stacked 3×3 convolutions against one large filter",
        "Two stacked 3×3 convolutions see a 5×5 field with 18C² instead of 25C² weights; three see 7×7 with 27C² "
        "instead of 49C².",
        Paper("a stack of three 3×3 layers has a 7×7 effective receptive field and 3(3²C²) = 27C² weights, "
              "against 7²C² = 49C² for one 7×7 layer: 81% more", "27C² vs 49C²", "Simonyan & Zisserman 2014, Sec. 2.3"),
        "measured", "receptive field and weights", _stacked_3x3, _judge_stacked, (SEED, CHANNELS, SIZE)),
    Experiment(
        ("alexnet", "nin"), "A 1×1-convolution + global-average-pooling head against fully connected layers",
        "1×1 convolutions and global average pooling replace the fully connected head at a fraction of its parameters.",
        Paper("global average pooling has no parameter to optimize, so over-fitting is avoided at that layer; "
              "AlexNet has 60 million parameters, most in its fully connected layers",
              "0 parameters in the pooling", "Lin et al. 2013, Sec. 3.2; Krizhevsky et al. 2012, abstract"),
        "measured", "head parameters", _heads, _judge_heads,
        (SEED, Setting("channels", "Feature channels", 256, 16, 512), Setting("classes", "Classes", 1000, 10, 1000))),
    Experiment(
        ("resnet", "resnext"), "Grouped convolution: more width at the same MACs",
        "At the same MACs a grouped convolution affords a wider bottleneck.",
        Paper("the ResNet bottleneck (256·64 + 3·3·64·64 + 64·256 ≈ 70k parameters) and the 32×4d template "
              "(C·(256·d + 3·3·d·d + d·256) ≈ 70k) cost the same; Table 2 widens d with cardinality",
              "≈70k parameters each, 64 vs 128 wide", "Xie et al. 2016, Sec. 3.3 and Table 2"),
        "measured", "width at equal MACs", _grouped, _judge_grouped,
        (SEED, Setting("cardinality", "Cardinality (groups)", 32, 1, 64))),
    Experiment(
        ("inception-v3", "xception"), "Depthwise separable against standard convolution (Xception's middle flow)",
        "A depthwise filter per channel plus a 1×1 pointwise convolution costs a fraction 1/N + 1/k² of a standard "
        "convolution.",
        Paper("Xception, with about Inception-v3's parameter count (22.9 M vs 23.6 M), reaches 79.0% against 78.2% "
              "top-1 on ImageNet", "0.790 vs 0.782 top-1", "Chollet 2016, Tables 1 and 3"),
        "measured", "MACs ratio", _depthwise, _judge_depthwise,
        (SEED, Setting("channels", "Channels N", 728, 8, 1024), KERNEL, Setting("size", "Feature map side", 19, 7, 56)),
        describe_timings=_latency_words),
    Experiment(
        ("xception", "mobilenet-v1"), "Depthwise separable convolution for mobile: MACs and CPU latency",
        "Depthwise separable convolution cuts the cost to 1/N + 1/k² of a standard convolution, and runs faster.",
        Paper("depthwise separable convolution costs D_K·D_K·M·D_F·D_F + M·N·D_F·D_F, a reduction of 1/N + 1/D_K²: "
              "8 to 9 times less computation with 3×3 kernels", "1/N + 1/D_K² (8-9× with 3×3)", "Howard et al. 2017, Sec. 3.1"),
        "measured", "MACs ratio", _depthwise, _judge_depthwise,
        (SEED, Setting("channels", "Channels N", 512, 8, 1024), KERNEL, Setting("size", "Feature map side", 14, 7, 56)),
        describe_timings=_latency_words),
)
