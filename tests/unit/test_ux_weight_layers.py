"""Weight layers counted as the architecture has them, and small models in small units."""

from models.analysis import analyse
from ui import units


def test_lenet5_has_the_papers_five_weight_layers():
    # C1, C3 (one layer, built from 16 partial convolutions), C5, F6 and the output layer.
    assert analyse("lenet5").weight_layers == 5


def test_vit_counts_its_attention_projections():
    # patch embedding + 12 blocks × (packed Q/K/V projection, out_proj, 2 MLP layers) + head
    assert analyse("vit_b_16").weight_layers == 1 + 12 * 4 + 1


def test_resnet50_count_is_unchanged():
    assert analyse("resnet50").weight_layers == 54


def test_lenet5_compute_reads_in_mmacs_and_small_memory_in_kib():
    # By hand: C1 28²·6·25 + C3 10²·25·60 (Table I: 6×3 + 9×4 + 1×6 inputs) + C5 120·16·25 + F6 120·84 + 84·10
    macs = 28 * 28 * 6 * 25 + 10 * 10 * 25 * 60 + 120 * 16 * 25 + 120 * 84 + 84 * 10
    assert analyse("lenet5").macs == macs == 326_520
    assert units.compute_metric(macs, "GMACs") == ("MMACs", "0.327")
    assert units.compute_metric(4.089e9, "GMACs") == ("GMACs", "4.09")
    assert units.bytes_text(39_976) == "39.0 KiB" and units.bytes_text(3 * 2**20) == "3.0 MiB"
