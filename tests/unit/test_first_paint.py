"""The home page paints without the model libraries (its node panel reads the light index, and that
index is exactly what the registry says: regenerated here and compared) and without pandas (its
tables are drawn only when their tab is open)."""

import json
import subprocess
import sys

from models import node_index
from models.registry import REGISTRY, default_model_for_node, specs_for_node
from tests.conftest import ROOT


def test_committed_index_equals_the_registry():
    committed = json.loads(node_index.INDEX_PATH.read_text(encoding="utf-8"))
    assert committed == node_index.build_index(), (
        f"models/node_index.json is out of date with models/registry.py: run `{node_index.REGENERATE}`")


def test_index_answers_as_the_registry_does():
    for node in {spec.node for spec in REGISTRY.values()}:
        facts, spec = node_index.default_model_for_node(node), default_model_for_node(node)
        assert (facts.id, facts.name, facts.kind) == (spec.id, spec.name, spec.kind)
        assert [m.id for m in node_index.models_for_node(node)] == [s.id for s in specs_for_node(node)]
    assert node_index.default_model_for_node("no-such-node") is None
    assert node_index.models_for_node("no-such-node") == ()


def test_home_page_renders_without_torch_or_pandas():
    """Run the home page (with a node selected, so the model links are drawn) in a fresh interpreter
    and list the heavy libraries it imported."""
    script = (
        "import sys\n"
        "from streamlit.testing.v1 import AppTest\n"
        "at = AppTest.from_file('app.py', default_timeout=60)\n"
        "at.query_params['node'] = 'resnet'\n"
        "at.run()\n"
        "assert not at.exception, at.exception\n"
        "assert any('Predict with' in str(getattr(e, 'proto', '')) for e in at.get('page_link')), 'no model link'\n"
        "print(','.join(m for m in ('torch', 'torchvision', 'timm', 'pandas', 'pyarrow') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1:] in ([""], []), f"imported: {done.stdout.strip()}"
