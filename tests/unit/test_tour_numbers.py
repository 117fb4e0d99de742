"""A tour step's numbers table: the comparison rows' figures formatted for a slide, with the change
from parent to child, in either language (expectations worked out by hand)."""

from models.compare.table import CompareRow
from ui.tour_models import numbers_frame


def row(name: str, params: int, macs: int, layers: int, top1: float | None) -> CompareRow:
    return CompareRow(name.lower(), name, name.lower(), params, macs, layers, 0, 224, "224×224", None, top1, None)


PARENT, CHILD = row("Old", 60_000, 300_000, 5, None), row("New", 61_100_000, 714_000_000, 8, 56.52)


def test_the_change_column_reads_ratios_layers_and_points():
    frame = numbers_frame([PARENT, CHILD], "en")
    assert list(frame.columns) == ["Old", "New", "change"]
    assert frame.loc["parameters"].tolist() == ["60.0 k", "61.1 M", "×1,018"]
    assert frame.loc["compute"].tolist() == ["0.3 MMACs", "0.71 GMACs", "×2,380"]
    assert frame.loc["weight layers"].tolist() == ["5", "8", "+3"]
    assert frame.loc["top-1, published"].tolist() == ["none published", "56.52%", "–"]
    older = row("Older", 25_600_000, 4_110_000_000, 54, 76.13)
    assert numbers_frame([older, row("Newer", 11_700_000, 1_820_000_000, 21, 69.76)], "en").loc[
        ["parameters", "compute", "top-1, published"], "change"].tolist() == ["×0.46", "×0.44", "-6.37 points"]


def test_one_model_has_no_change_column_and_chinese_labels():
    frame = numbers_frame([CHILD], "zh")
    assert list(frame.columns) == ["New"]
    assert list(frame.index) == ["参数量", "计算量", "权重层数", "top-1（公布值）", "输入"]
    assert numbers_frame([PARENT], "zh").loc["top-1（公布值）", "Old"] == "未公布"
