"""Every edge's innovation and explanation in Simplified Chinese: required, never the English left in
place, faithful to the English's numbers and section references, no stray spaces. (The glossary rule
for every field, edges included, is in test_lineage_translations.py.)"""

import re
from collections import defaultdict

import pytest

from lineage import LineageDataError, load_graph, load_lineage
from lineage.__main__ import main
from lineage.export import to_mermaid
from tests.unit.test_lineage_loader import mutate, write
from tests.unit.test_lineage_translations import CHINESE_NUMBER, ENGLISH_NUMBER, numbers

TRANSLATED = ("innovation", "explanation")
# "Sec. 4.2.1", "Secs. 3-4", "Table 1", "Fig. 3", "Eq. 4": a reader must find the same place in the paper.
SECTION = re.compile(r"(?:Secs?\.|Table|Fig\.|Eq\.) ?\d+(?:\.\d+)*(?:-\d+(?:\.\d+)*)?")
# Folding a `>-` block turns a line break into a space; between two Chinese characters it is a stray one.
WIDE = "\u3400-\u9fff，。；：、（）“”《》"
STRAY_SPACE = re.compile(f"[{WIDE}] [{WIDE}]")


@pytest.fixture(scope="module")
def edges():
    return [(f"{u} -> {v}", data) for u, v, data in load_lineage().edges(data=True)]


# --- validation: each bad Chinese field is refused, naming file, entry and field -------------------

BAD_CASES = {
    "missing": (lambda e, f: e.pop(f"{f}_zh"), "is missing"),
    "empty": (lambda e, f: e.update({f"{f}_zh": ""}), "is missing"),
    "wrong type": (lambda e, f: e.update({f"{f}_zh": ["更深"]}), "must be str"),
    "blank": (lambda e, f: e.update({f"{f}_zh": "  "}), "is missing"),
    "copy of the English": (lambda e, f: e.update({f"{f}_zh": e[f]}), "copies the English"),
    "left untranslated": (lambda e, f: e.update({f"{f}_zh": "Translation pending"}), "holds no Chinese"),
}


@pytest.mark.parametrize("field", TRANSLATED)
@pytest.mark.parametrize("case", BAD_CASES, ids=list(BAD_CASES))
def test_a_bad_chinese_edge_field_is_refused_naming_file_entry_and_field(tmp_path, case, field):
    change, problem = BAD_CASES[case]
    path = write(tmp_path, mutate(lambda data: change(data["edges"][1], field)))
    with pytest.raises(LineageDataError) as error:
        load_graph(path)
    assert (error.value.entry, error.value.field) == ("edges[1] (b -> c)", f"{field}_zh")
    assert problem in error.value.problem
    assert str(path) in str(error.value)


def test_the_chinese_fields_reach_the_graph(tmp_path):
    graph = load_graph(write(tmp_path, mutate(lambda data: None)))
    assert graph.edges["a", "b"]["innovation_zh"] == "更深"
    assert graph.edges["a", "b"]["explanation_zh"] == "更多的层。"


# --- the bundled translations -----------------------------------------------------------------------

@pytest.mark.parametrize("field", TRANSLATED)
def test_every_number_section_and_percentage_of_the_english_is_in_the_chinese(edges, field):
    problems = []
    for entry, data in edges:
        english, chinese = data[field], data[f"{field}_zh"]
        missing = sorted(numbers(english, ENGLISH_NUMBER) - numbers(chinese, CHINESE_NUMBER))
        missing += [ref for ref in SECTION.findall(english) if ref not in chinese]
        if missing:
            problems.append(f"{entry}: {field}_zh lacks {missing}")
    assert not problems, "\n".join(problems)


def test_each_innovation_has_its_own_chinese_unless_the_english_is_the_same(edges):
    english_of = defaultdict(set)
    chinese_of = defaultdict(set)
    for _, data in edges:
        english_of[data["innovation_zh"]].add(data["innovation"])
        chinese_of[data["innovation"]].add(data["innovation_zh"])
    assert {zh: en for zh, en in english_of.items() if len(en) > 1} == {}
    assert {en: zh for en, zh in chinese_of.items() if len(zh) > 1} == {}


def test_no_stray_space_between_chinese_characters(edges):
    strays = [f"{entry}: {field}_zh: ...{match.group()}..." for entry, data in edges for field in TRANSLATED
              for match in STRAY_SPACE.finditer(data[f"{field}_zh"])]
    assert not strays, "\n".join(strays)


# --- the Chinese mermaid export ---------------------------------------------------------------------

def test_the_chinese_mermaid_labels_each_edge_with_its_chinese_innovation(edges):
    graph = load_lineage()
    english, chinese = to_mermaid(graph).splitlines(), to_mermaid(graph, "zh").splitlines()
    arrows = [line for line in chinese if "-->" in line]
    assert [re.search(r'-->\|"(.*)"\|', line).group(1) for line in arrows] == [
        data["innovation_zh"] for _, data in edges]
    assert [line for line in chinese if "-->" not in line and "%%" not in line] == [
        line for line in english if "-->" not in line and "%%" not in line]
    assert not re.search("[\u3400-\u9fff]", to_mermaid(graph)), "the default export stays English"


def test_the_cli_exports_chinese_mermaid_and_refuses_a_language_for_json(capsys):
    assert main(["export", "--format", "mermaid", "--lang", "zh"]) == 0
    assert "批归一化" in capsys.readouterr().out
    assert main(["export", "--format", "json", "--lang", "zh"]) == 2
    assert "mermaid" in capsys.readouterr().err
