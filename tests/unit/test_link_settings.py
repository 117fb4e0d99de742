"""The parsers a lesson link's values go through, and the Chinese of every string the links add."""

import ast
from pathlib import Path

import pytest
import yaml

from ui.lesson import CONTROLS
from ui.link_settings import choice, flag, number

ROOT = Path(__file__).resolve().parents[2]


def test_choice_takes_named_values_and_says_which_it_takes():
    parse = choice({"none": None, "Grad-CAM": "Grad-CAM"})
    assert parse("none") is None and parse("Grad-CAM") == "Grad-CAM"
    with pytest.raises(ValueError, match="none, Grad-CAM"):
        parse("gradcam")


def test_number_checks_kind_range_and_step():
    assert number(1, 10)("3") == 3 and number(0, 1, integer=False)("0.05") == 0.05
    assert number(4, 64, step=4)("12") == 12
    for bad, why in (("3.5", "whole"), ("0", "from 1 to 10"), ("11", "from 1 to 10"), ("x", "whole")):
        with pytest.raises(ValueError, match=why):
            number(1, 10)(bad)
    with pytest.raises(ValueError, match="steps of 4"):
        number(4, 64, step=4)("5")


def test_flag_is_one_or_zero():
    assert flag("1") is True and flag("0") is False
    with pytest.raises(ValueError):
        flag("yes")


def _t_literals(path: Path) -> set[str]:
    """The literal first arguments of every t(...) call in a module."""
    return {node.args[0].value for node in ast.walk(ast.parse(path.read_text()))
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "t"
            and node.args and isinstance(node.args[0], ast.Constant)}


def test_every_string_the_links_add_has_its_chinese():
    catalogue = yaml.safe_load((ROOT / "ui" / "locales" / "zh" / "links.yaml").read_text(encoding="utf-8"))
    keys = set(CONTROLS.values()) | _t_literals(ROOT / "ui" / "lesson.py") | _t_literals(ROOT / "ui" / "link_settings.py")
    keys.add(next(k for k in _t_literals(ROOT / "ui" / "predict_views.py") if "travel in a link" in k))
    assert keys - catalogue.keys() == set()
    assert all(catalogue[k] and catalogue[k] != k for k in keys)
