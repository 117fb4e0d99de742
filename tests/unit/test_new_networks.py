"""The networks added with the knowledge review (issue 14): each model against its paper.

The registry-wide tests (test_registry, test_analysis) already hold every new model to its library's
published numbers; here each is checked against the paper that defines it, and the local ZFNet
against hand arithmetic from the paper's Fig. 3.
"""

import pytest
import torch
from torch import nn

from lineage import load_lineage
from models.analysis import analyse
from models.registry import default_model_for_node, get_spec
from models.weights import weights_options

# (model id, params, MACs or None, citation). Papers round: a tolerance of 10% covers their rounding.
PAPERS = [
    ("wide_resnet50_2", 68.9e6, None, "Zagoruyko & Komodakis 2016, ImageNet table: WRN-50-2-bottleneck 68.9M"),
    ("semnasnet_100", 3.9e6, 312e6, "Tan et al. 2018, Table 1: MnasNet-A1 3.9M params, 312M mult-adds"),
    ("nasnetalarge", 88.9e6, 23.8e9, "Zoph et al. 2017, Table 2: NASNet-A (6 @ 4032) 88.9M, 23.8B mult-adds"),
    ("regnety_004", 4.3e6, 0.4e9, "Radosavovic et al. 2020, Table of RegNetY models: 400MF, 4.3M params"),
    ("regnetx_004", 5.2e6, 0.4e9, "Radosavovic et al. 2020, Table of RegNetX models: 400MF, 5.2M params"),
    ("efficientnet_v2_s", 22e6, 8.8e9, "Tan & Le 2021, Table 7: EfficientNetV2-S 22M params, 8.8B FLOPs (MACs)"),
    ("deit_small", 22e6, None, "Touvron et al. 2020, Table 1: DeiT-S 22M params"),
    ("resnet50d", 25e6, 4.3e9, "He et al. 2018 (Bag of Tricks), Table 5: ResNet-50-D 25M params, 4.3 GFLOPs (MACs)"),
    ("mobilevit_s", 5.6e6, None, "Mehta & Rastegari 2021, ImageNet results: MobileViT-S 5.6M params"),
]


@pytest.mark.parametrize("model_id, params, macs, citation", PAPERS, ids=[p[0] for p in PAPERS])
def test_library_model_matches_its_paper(model_id, params, macs, citation):
    result = analyse(model_id)
    assert result.params == pytest.approx(params, rel=0.10), citation
    if macs is not None:
        assert result.macs == pytest.approx(macs, rel=0.10), citation


@pytest.mark.parametrize("model_id, width, heads, depth", [("deit_tiny", 192, 3, 12), ("deit_small", 384, 6, 12)])
def test_deit_variants_have_the_papers_shapes(model_id, width, heads, depth):
    """Touvron et al. 2020, Table 1: embedding dimension, heads and layers of DeiT-Ti and DeiT-S."""
    model = get_spec(model_id).build("meta")
    assert (model.embed_dim, model.blocks[0].attn.num_heads, len(model.blocks)) == (width, heads, depth)
    assert model.num_prefix_tokens == 1  # the non-distilled models: a class token, no distillation token


def test_preact_resnet_puts_batch_norm_and_relu_before_each_convolution():
    """He et al. 2016, Fig. 1(b) / Sec. 4: BN → ReLU → conv inside each unit, and a final BN-ReLU."""
    model = get_spec("preact_resnet50").build("meta")
    block = model.stages[0].blocks[0]
    names = [n for n, _ in block.named_children()]
    assert names.index("norm1") < names.index("conv1") < names.index("norm2") < names.index("conv2")
    assert isinstance(model.norm, nn.Module) and not isinstance(model.norm, nn.Identity)


def test_mnasnet_sits_between_mobilenet_v2_and_efficientnet():
    graph = load_lineage()
    assert graph.has_edge("mobilenet-v2", "mnasnet")
    assert {"mobilenet-v3", "efficientnet"} <= set(graph.successors("mnasnet"))
    assert not graph.has_edge("mobilenet-v2", "efficientnet")  # the step no longer skips MnasNet
    assert default_model_for_node("mnasnet").id == "semnasnet_100"  # the paper's A1, with SE


# ZFNet, Zeiler & Fergus 2013, Fig. 3: (in channels, out channels, kernel, output side) per layer.
ZF_CONVS = [(3, 96, 7, 110), (96, 256, 5, 26), (256, 384, 3, 13), (384, 384, 3, 13), (384, 256, 3, 13)]
ZF_FCS = [(256 * 6 * 6, 4096), (4096, 4096), (4096, 1000)]


def test_zfnet_feature_maps_follow_fig_3():
    model = get_spec("zfnet").build("meta")
    sides = []
    hooks = [m.register_forward_hook(lambda _m, _i, out: sides.append(out.shape[-1]))
             for m in model.features if isinstance(m, (nn.Conv2d, nn.MaxPool2d))]
    try:
        model(torch.zeros(1, 3, 224, 224, device="meta"))
    finally:
        for hook in hooks:
            hook.remove()
    assert sides == [110, 55, 26, 13, 13, 13, 13, 6]  # conv1, pool, conv2, pool, conv3-5, pool


def test_zfnet_params_and_macs_by_hand():
    params = sum(i * o * k * k + o for i, o, k, _ in ZF_CONVS) + sum(i * o + o for i, o in ZF_FCS)
    macs = sum(i * o * k * k * side * side for i, o, k, side in ZF_CONVS) + sum(i * o for i, o in ZF_FCS)
    assert (params, macs) == (62_357_608, 1_168_032_896)  # the same sums, written out
    result = analyse("zfnet")
    assert result.params == params and result.macs == macs
    assert not weights_options(get_spec("zfnet")) and get_spec("zfnet").input_size == 224  # untrained: no weights shipped


def test_stochastic_depth_resnet110_by_hand():
    """He et al. 2015, Table 6: the 110-layer CIFAR ResNet has 1.7M parameters; the exact sums by hand."""
    convs = [(3, 16, 32)] + [(16, 16, 32)] * 36 + [(16, 32, 16)] + [(32, 32, 16)] * 35 \
        + [(32, 64, 8)] + [(64, 64, 8)] * 35  # (in, out, output side) of every 3×3 convolution
    params = sum(9 * i * o + 2 * o for i, o, _ in convs) + 64 * 10 + 10  # conv weights, BN γ/β, classifier
    macs = sum(9 * i * o * side * side for i, o, side in convs) + 64 * 10
    result = analyse("resnet110_stochastic_depth")
    assert result.params == params == pytest.approx(1.7e6, rel=0.05)
    assert result.macs == macs


def test_stochastic_depth_survival_decays_linearly_and_scales_at_test_time():
    """Huang et al. 2016, Eq. 4: p_l = 1 - l/L (1 - p_L) with p_L = 0.5; Eq. 5: test-time branch × p_l."""
    torch.manual_seed(0)
    model = get_spec("resnet110_stochastic_depth").build("cpu")
    blocks = [b for stage in (model.stage1, model.stage2, model.stage3) for b in stage]
    assert len(blocks) == 54
    assert [b.survival for b in blocks] == pytest.approx([1 - l / 54 * 0.5 for l in range(1, 55)])
    block, x = blocks[10], torch.rand(2, 16, 8, 8)
    residual = block.bn2(block.conv2(torch.relu(block.bn1(block.conv1(x)))))
    torch.testing.assert_close(block(x), torch.relu(x + block.survival * residual))  # eval mode
    block.train()
    block.survival = 0.0  # always dropped: only the identity shortcut remains
    torch.testing.assert_close(block(x), torch.relu(x))
