"""The hand-written models against their papers: real CPU forward passes, and parameters and MACs
counted on the meta device (FlopCounterMode counts FLOPs = 2 × MACs)."""

import pytest
import torch
from torch.utils.flop_counter import FlopCounterMode

from models.local import BUILDERS, transformer
from models.local.highway import GATE_BIAS, HighwayConv
from models.local.shufflenet_v1 import channel_shuffle
from models.zoo.adapters.local import module_of


def transformer_macs(src: int, tgt: int, d: int = 512, d_ff: int = 2048, layers: int = 6,
                     vocab: int = 37_000) -> int:
    """Multiply-adds of one base-Transformer forward pass, from the architecture of Sec. 3."""
    encoder = layers * src * (4 * d * d + 2 * d * d_ff + 2 * src * d)  # Q,K,V,out; FFN; QKᵀ and ·V
    decoder = layers * tgt * (4 * d * d + 2 * tgt * d  # masked self-attention
                              + 2 * d * d + 2 * src * d  # cross-attention: Q and out, QKᵀ and ·V
                              + 2 * d * d_ff)
    cross_keys_values = layers * src * 2 * d * d  # cross-attention K and V over the encoder output
    return encoder + decoder + cross_keys_values + tgt * d * vocab


# builder: (input shape, expected params, expected MACs), each with where the figure comes from.
REFERENCES = {
    # NiN: the paper reports no ImageNet figures. Params: the released Caffe Model Zoo "NIN-Imagenet"
    # (its prototxt gives 7,595,176 weights and biases). MACs: that prototxt layer by layer at 224×224
    # (conv1 101.6 M, cccp1-2 53.7 M, conv2 447.9 M, cccp3-4 95.6 M, conv3 149.5 M, cccp5-6 49.8 M,
    # conv4 127.4 M, cccp7-8 74.6 M) = 1.10 G.
    "nin": ((1, 3, 224, 224), 7.6e6, 1.10e9),
    # BN-Inception: MACs from Hu et al. 2018 (SENet), Table 2: BN-Inception 2.03 GFLOPs (multiply-adds).
    # Params: the paper reports none; 11.3 M is the widely cited size of Figure 5's network.
    "bn_inception": ((1, 3, 224, 224), 11.3e6, 2.03e9),
    # Highway: Srivastava et al. 2015, "Training Very Deep Networks", Table 1: Highway C, 32 layers,
    # ~1.25 M parameters. The papers give no compute; MACs are the module docstring's configuration
    # counted by hand (stem 0.9 M, stage 1 188.7 M, stage 2 99.1 M, stage 3 44.2 M, classifier 640).
    "highway_cifar": ((1, 3, 32, 32), 1.25e6, 333.0e6),
    # ShuffleNet 1× (g = 3): MACs from Zhang et al. 2017, Table 2: 140 MFLOPs (they count multiply-adds).
    # Params: the paper reports none; the authors' release (megvii-model/ShuffleNet-Series) lists 1.9 M.
    "shufflenet_v1_g3": ((1, 3, 224, 224), 1.9e6, 140e6),
    # Transformer base: params from Vaswani et al. 2017, Table 3: 65 × 10^6. The paper gives no per-sentence
    # compute; MACs are Sec. 3's architecture counted by hand for the example 128 + 128 tokens.
    "transformer_base": (None, 65e6, transformer_macs(transformer.EXAMPLE_SOURCE_LENGTH,
                                                      transformer.EXAMPLE_TARGET_LENGTH)),
    # ZFNet: the paper gives no totals; Fig. 3's layer table counted by hand (tests/unit/test_new_networks.py
    # writes the sums out): 62.36 M parameters, 1.168 G MACs at 224×224.
    "zfnet": ((1, 3, 224, 224), 62.36e6, 1.168e9),
    # ResNet-110 (CIFAR): He et al. 2015, Table 6: 1.7 M parameters. MACs: Sec. 4.2's 6n+2 layout with
    # n = 18 counted by hand (test_new_networks.py): 252.9 M.
    "resnet110_stochastic_depth": ((1, 3, 32, 32), 1.7e6, 252.9e6),
}


def meta_inputs(name: str) -> tuple[torch.Tensor, ...]:
    if name == "transformer_base":
        return transformer.example_inputs(device="meta")
    return (torch.zeros(REFERENCES[name][0], device="meta"),)


def count(name: str) -> tuple[int, float]:
    with torch.device("meta"):
        model = BUILDERS[name]().eval()
    with FlopCounterMode(display=False) as counter:
        model(*meta_inputs(name))
    return sum(p.numel() for p in model.parameters()), counter.get_total_flops() / 2


@pytest.mark.parametrize("name", REFERENCES)
def test_params_and_macs_are_within_ten_percent_of_the_references(name):
    params, macs = count(name)
    _, expected_params, expected_macs = REFERENCES[name]
    assert params == pytest.approx(expected_params, rel=0.10)
    assert macs == pytest.approx(expected_macs, rel=0.10)


@pytest.mark.parametrize("name", [n for n in REFERENCES if n != "transformer_base"])
def test_image_models_classify_a_real_batch_on_cpu(name):
    torch.manual_seed(0)
    model = BUILDERS[name](num_classes=7).eval()
    shape = (2, *REFERENCES[name][0][1:])
    with torch.no_grad():
        logits = model(torch.randn(shape))
    assert logits.shape == (2, 7) and torch.isfinite(logits).all()


def test_transformer_translates_a_real_batch_on_cpu():
    torch.manual_seed(0)
    model = BUILDERS["transformer_base"](vocab_size=100).eval()
    source = torch.randint(0, 100, (2, 9))
    target = torch.randint(0, 100, (2, 5))
    with torch.no_grad():
        logits = model(source, target)
    assert logits.shape == (2, 5, 100) and torch.isfinite(logits).all()
    # Causal: a later target token does not change the logits of earlier positions.
    changed = target.clone()
    changed[:, -1] = (changed[:, -1] + 1) % 100
    with torch.no_grad():
        assert torch.allclose(model(source, changed)[:, :-1], logits[:, :-1], atol=1e-5)


def test_transformer_shares_one_embedding_with_its_output_projection():
    with torch.device("meta"):
        model = BUILDERS["transformer_base"]()
    assert model.generator.weight is model.embedding.weight
    assert transformer.example_inputs(2, 3, 4, device="meta")[1].shape == (2, 4)


@pytest.mark.parametrize("name", BUILDERS)
def test_every_builder_builds_on_the_meta_device_with_its_metadata(name):
    with torch.device("meta"):
        model = BUILDERS[name]()
    assert all(p.is_meta for p in model.parameters())
    assert module_of(name).FIDELITY
    if module_of(name).CAM_LAYER is not None:
        model.get_submodule(module_of(name).CAM_LAYER)


@pytest.mark.parametrize("name", [n for n in REFERENCES if n != "transformer_base"])
def test_cam_layer_outputs_a_spatial_feature_map(name):
    with torch.device("meta"):
        model = BUILDERS[name]().eval()
    seen = []
    handle = model.get_submodule(module_of(name).CAM_LAYER).register_forward_hook(lambda m, i, out: seen.append(out.shape))
    model(*meta_inputs(name))
    handle.remove()
    assert len(seen) == 1 and len(seen[0]) == 4 and seen[0][-1] > 1


def test_highway_gates_start_biased_towards_carrying():
    model = BUILDERS["highway_cifar"]()
    gates = [m.gate.bias for m in model.modules() if isinstance(m, HighwayConv)]
    assert len(gates) == 28 and GATE_BIAS < 0
    assert all(torch.all(bias == GATE_BIAS) for bias in gates)


def test_channel_shuffle_interleaves_the_groups():
    x = torch.arange(6.0).view(1, 6, 1, 1)
    assert channel_shuffle(x, 3).flatten().tolist() == [0, 2, 4, 1, 3, 5]
