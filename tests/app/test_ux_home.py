"""AppTest for the home page's walkthrough fixes: no internal ids on screen, sources as papers,
case-insensitive links, state that follows the user."""

from tests.app.helpers import all_text, run_page


def test_node_panel_and_timeline_show_no_internal_ids():
    app = run_page("app.py", node="resnet")
    assert not [c.value for c in app.caption if "`resnet`" in c.value]
    timeline = next(d.value for d in app.dataframe if "venue" in d.value.columns)
    assert "id" not in timeline.columns and "first author" in timeline.columns


def test_edge_panel_source_names_the_paper_not_a_seed_file():
    app = run_page("app.py")
    app.selectbox(key="edge_picker").select(("vgg", "squeezenet")).run()
    source = next(c.value for c in app.caption if c.value.startswith("Source:"))
    assert ".txt" not in source and "Iandola et al. 2016" in source and "lineage drawing" in source


def test_home_sidebar_calls_the_home_page_family_tree():
    app = run_page("app.py")
    assert app.sidebar.get("page_link")[0].proto.label == "Family tree"


def test_deep_links_ignore_case():
    from ui import home_state as state

    app = run_page("app.py", node="ResNet", tag="Attention")
    assert not app.error
    assert app.session_state[state.SELECTED_NODE] == "resnet" and app.session_state[state.HIGHLIGHT_TAG] == "attention"
    assert app.query_params["node"] == "resnet"
