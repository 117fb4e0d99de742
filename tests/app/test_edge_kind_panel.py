"""AppTest: the edge panel says which kind of link an edge is and what that kind means."""

import pytest

from lineage import load_lineage
from tests.app.helpers import all_text, run_page

GRAPH = load_lineage()


@pytest.mark.parametrize("edge, label", [(("squeezenet", "densenet"), "teaching link"),
                                         (("xception", "mobilenet-v1"), "parallel work"),
                                         (("vgg", "resnet"), "documented")])
def test_edge_panel_names_the_kind_and_why(edge, label):
    app = run_page("app.py")
    app.session_state["selected_edge"] = edge
    app.run()
    text = all_text(app)
    kind = GRAPH.edges[edge]["kind"]
    assert GRAPH.graph["edge_kinds"][kind]["label"] == label
    assert f"Kind of link: {label}" in text
    assert GRAPH.graph["edge_kinds"][kind]["description"] in text
