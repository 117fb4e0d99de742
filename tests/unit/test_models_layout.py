"""The models package's shape: no import cycle between its modules (at module level or inside a
function), no source name tested outside the adapters, and small modules."""

import ast
import re
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parents[2]
MODULES = {".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"): p
           for p in (ROOT / "models").rglob("*.py")}


def runtime_nodes(tree: ast.AST):
    """Every node that runs: all of them except what sits under `if TYPE_CHECKING:`."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            continue
        yield node
        yield from runtime_nodes(node)


def imports(path: Path) -> set[str]:
    """The models modules a file imports at run time, wherever the import statement sits."""
    found = set()
    for node in runtime_nodes(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found |= {f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in MODULES else node.module
                      for a in node.names}
    return {name for name in found if name in MODULES}


def test_there_is_no_import_cycle_in_models():
    graph = nx.DiGraph((module, imported) for module, path in MODULES.items() for imported in imports(path)
                       if imported != module and not module.startswith(f"{imported}."))
    assert list(nx.simple_cycles(graph)) == []


def test_only_the_adapters_ask_where_a_model_comes_from():
    asking = [name for name, path in MODULES.items()
              if re.search(r"spec\.source\s*[!=]=", path.read_text()) and not name.startswith("models.zoo.adapters")]
    assert asking == []


def test_no_module_is_long():
    assert {name: n for name, path in MODULES.items() if (n := len(path.read_text().splitlines())) > 300} == {}
