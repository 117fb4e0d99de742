"""Every string the tour pages and the handout show has its Chinese in ui/locales/zh/tours.yaml, with
the same placeholders, so a Chinese lesson shows no English where the tours' own code speaks."""

import ast
import string
from pathlib import Path

import pytest
import yaml

from models.compare.table import NONE_PUBLISHED

ROOT = Path(__file__).resolve().parents[2]
MODULES = ["ui/tour_views.py", "ui/tour_models.py", "ui/tour_handout.py", "ui/presenter.py"]
CATALOGUE = yaml.safe_load((ROOT / "ui/locales/zh/tours.yaml").read_text(encoding="utf-8"))
TRANSLATING = {"t", "translate", "text"}  # text: the handout's and the table's local shorthand for translate


def shown_strings(module: str) -> set[str]:
    """The literal first argument of every call to a translating function in `module`."""
    tree = ast.parse((ROOT / module).read_text(encoding="utf-8"))
    return {call.args[0].value for call in ast.walk(tree)
            if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id in TRANSLATING
            and call.args and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str)}


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("module", MODULES)
def test_every_shown_string_has_its_chinese_with_the_same_placeholders(module):
    strings = shown_strings(module)
    assert strings, f"{module} shows no translated string: the test would prove nothing"
    missing = sorted(s for s in strings if s not in CATALOGUE)
    assert not missing, f"add to ui/locales/zh/tours.yaml: {missing}"
    for key in strings:
        assert fields(CATALOGUE[key]) == fields(key), key


def test_the_published_accuracy_placeholder_is_translated_too():
    assert NONE_PUBLISHED in CATALOGUE
