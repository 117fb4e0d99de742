"""The Chinese catalogue against the code: every literal key the code translates (`t("…")`, a
library's `Text("…")`, a chart's `say("…")`) has a Chinese entry with the same placeholders, and
every entry is still used somewhere (a string in the code), so no dead translation piles up."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest
import yaml

from lineage.text import Text
from ui import i18n

ROOT = Path(__file__).resolve().parents[2]
SOURCES = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "ui").rglob("*.py")),
           *sorted((ROOT / "lineage").rglob("*.py")), *sorted((ROOT / "models").rglob("*.py"))]
TRANSLATING_CALLS = {"t", "Text", "say"}


def _trees() -> dict[Path, ast.AST]:
    return {path: ast.parse(path.read_text(encoding="utf-8")) for path in SOURCES}


TREES = _trees()


def literal_keys() -> dict[str, str]:
    """Every literal first argument of a translating call → where it is (file:line)."""
    keys = {}
    for path, tree in TREES.items():
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            if name in TRANSLATING_CALLS:
                keys.setdefault(node.args[0].value, f"{path.relative_to(ROOT)}:{node.lineno}")
    return keys


def code_strings() -> set[str]:
    """Every string constant of the code (keys reach t() through variables too: a page's name, an
    experiment's title, a sample's description), and every metric name as a column header shows it
    (`receptive_field=` → "receptive field")."""
    strings = set()
    for tree in TREES.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                strings |= {node.value, node.value.replace("_", " ")}
            elif isinstance(node, ast.keyword) and node.arg:
                strings.add(node.arg.replace("_", " "))
    return strings


def fields(template: str) -> list[tuple[str, str]]:
    """The placeholders of a str.format template with their format specs, sorted."""
    return sorted((name, spec or "") for _, name, spec, _ in string.Formatter().parse(template) if name is not None)


def test_the_code_has_keys_to_translate():
    assert len(literal_keys()) > 300  # the scan found the code's calls (a broken scan would pass the rest)


def test_every_literal_key_has_a_chinese_translation():
    catalogue = i18n.catalogue("zh")
    missing = {key: where for key, where in literal_keys().items() if key not in catalogue}
    assert not missing, "\n".join(f"{where}: {key!r}" for key, where in missing.items())


def test_translations_keep_the_keys_placeholders():
    wrong = {key: value for key, value in i18n.catalogue("zh").items() if fields(key) != fields(value)}
    assert not wrong, "\n".join(f"{key!r} → {value!r}" for key, value in wrong.items())


def test_every_catalogue_entry_is_used_in_the_code():
    used = code_strings()
    dead = [key for key in i18n.catalogue("zh") if key not in used]
    assert not dead, "entries no code uses any more:\n" + "\n".join(map(repr, dead))


def test_each_area_has_its_file():
    files = {path.stem for path in (i18n.LOCALES / "zh").glob("*.yaml")}
    assert {"common", "home", "inspect", "predict", "experiments", "compare", "inside"} <= files
    for path in (i18n.LOCALES / "zh").glob("*.yaml"):
        entries = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert isinstance(entries, dict) and all(isinstance(v, str) and v for v in entries.values()), path


def test_a_key_translated_two_ways_is_an_error(tmp_path, monkeypatch):
    (tmp_path / "zh").mkdir()
    (tmp_path / "zh" / "a.yaml").write_text("Run: 运行\n", encoding="utf-8")
    (tmp_path / "zh" / "b.yaml").write_text("Run: 跑\n", encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALES", tmp_path)
    i18n.catalogue.cache_clear()
    try:
        with pytest.raises(ValueError, match="b.yaml: 'Run'"):
            i18n.catalogue("zh")
    finally:
        i18n.catalogue.cache_clear()


def test_translate_fills_values_and_falls_back_to_english():
    assert i18n.translate("Parameters", "zh") == "参数量"
    assert i18n.translate("{shown} of {total} layers", "zh", shown=3, total=7) == "共 7 层，显示 3 层"
    assert i18n.translate("a sentence nobody translated", "zh") == "a sentence nobody translated"
    assert i18n.translate("{shown} of {total} layers", "en", shown=3, total=7) == "3 of 7 layers"


def test_a_text_reads_as_english_and_keeps_its_template():
    message = Text("{missing} and downloading was not allowed. Copy the file there, or use a checkpoint.",
                   missing=Text("{what} weights are not in the local cache (looked in: {places})", what="ResNet-18",
                                places="/x"))
    assert message == ("ResNet-18 weights are not in the local cache (looked in: /x) and downloading was not "
                       "allowed. Copy the file there, or use a checkpoint.")
    import pickle
    copy = pickle.loads(pickle.dumps(message))
    assert copy == message and copy.template == message.template and copy.values["missing"].values["what"] == "ResNet-18"
