"""AppTest for the home page: deep links, highlight, path, edge selection through state."""

import json

from lineage import load_lineage
from tests.app.helpers import all_text, run_page

GRAPH = load_lineage()


def test_opens_on_the_tree_with_a_hint():
    app = run_page("app.py")
    assert app.title[0].value == "Lineage Explorer"
    assert "Click a network" in all_text(app)
    assert len(app.get("plotly_chart")) == 1


def test_node_deep_link_opens_the_node_panel():
    app = run_page("app.py", node="resnet")
    text = all_text(app)
    assert app.session_state["selected_node"] == "resnet"
    assert GRAPH.nodes["resnet"]["title"] in text
    assert "VGG" in text and "residual" in text  # the parent and its edge
    assert app.query_params["node"] == "resnet"


def drawn_selection(app) -> list[str]:
    """The points the tree figure sent to the browser draws as selected."""
    spec = json.loads(app.get("plotly_chart")[0].proto.spec)
    return [trace["customdata"][i] for trace in spec["data"] for i in trace.get("selectedpoints") or ()]


def test_a_deep_link_draws_its_node_selected_in_the_tree():
    assert drawn_selection(run_page("app.py", node="resnet")) == ["resnet"]
    assert drawn_selection(run_page("app.py")) == []


def test_unknown_node_in_url_is_a_clear_message():
    app = run_page("app.py", node="resnet9000")
    assert any("Unknown network 'resnet9000'" in e.value for e in app.error)
    assert drawn_selection(app) == [] and "Click a network in the tree, or go to one above" in all_text(app)


def test_path_deep_link_lists_the_innovations():
    app = run_page("app.py", **{"from": "lenet", "to": "inception-v3"})
    text = all_text(app)
    assert "LeNet → AlexNet → NiN → GoogLeNet → BN-Inception → InceptionV3" in text
    assert "updated inception, label smooth" in text


def test_path_without_route_says_so():
    app = run_page("app.py", **{"from": "googlenet", "to": "vgg"})
    assert any("No line of descent" in w.value and "AlexNet" in w.value for w in app.warning)


def test_tag_highlight_lists_the_networks():
    app = run_page("app.py")
    app.selectbox(key="highlight_tag").select("connectivity").run()
    assert any("ResNet" in i.value and "DenseNet" in i.value for i in app.info)
    assert app.query_params["tag"] == "connectivity"


def test_edge_selection_through_state_shows_its_explanation():
    app = run_page("app.py")
    app.session_state["selected_edge"] = ("vgg", "resnet")
    app.run()
    text = all_text(app)
    assert "VGG → ResNet" in text
    assert GRAPH.edges["vgg", "resnet"]["explanation"] in text


def test_an_innovation_picked_from_the_list_is_explained_and_drawn():
    app = run_page("app.py", tab="innovations")
    app.selectbox(key="edge_picker").select(("resnext", "shufflenet")).run()
    assert app.session_state["selected_edge"] == ("resnext", "shufflenet")
    assert GRAPH.edges["resnext", "shufflenet"]["explanation"] in all_text(app)
    assert drawn_selection(app) == ["resnext>shufflenet"]
    assert len(app.dataframe) == 1 and len(app.dataframe[0].value) == GRAPH.number_of_edges()  # only the open tab's


def test_picker_and_search_select_a_node():
    app = run_page("app.py")
    app.selectbox(key="node_picker").select("alexnet").run()
    assert GRAPH.nodes["alexnet"]["title"] in all_text(app)
    assert drawn_selection(app) == ["alexnet"] and app.query_params["node"] == "alexnet"
    assert app.selectbox(key="node_picker").value is None  # ready for the next jump
    app.text_input[0].input("squeeze").run()
    hits = [b for b in app.button if "SENet" in b.label or "SqueezeNet" in b.label]
    assert hits
    hits[0].click().run()
    assert app.session_state["selected_node"] in {"senet", "squeezenet"}


def test_download_buttons_offer_three_formats():
    app = run_page("app.py")
    labels = [b.label for b in app.get("download_button")]
    assert labels == ["JSON", "Mermaid", "GraphML"]


def test_only_the_open_tab_draws_its_table_and_a_link_opens_a_tab():
    assert not run_page("app.py").dataframe  # the tree's tab: the lists wait until theirs is opened
    timeline = run_page("app.py", tab="timeline")
    assert len(timeline.dataframe) == 1 and len(timeline.dataframe[0].value) == GRAPH.number_of_nodes()
    assert timeline.get("plotly_chart")  # the tree is still drawn, in its own tab
    wrong = run_page("app.py", tab="nope")
    assert len(wrong.error) == 1 and "`tab=nope`" in wrong.error[0].value and not wrong.dataframe
