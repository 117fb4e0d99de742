"""AppTest for the home page's walkthrough fixes: no internal ids on screen, sources as papers,
case-insensitive links, state that follows the user."""

from tests.app.helpers import all_text, run_page


def test_node_panel_and_timeline_show_no_internal_ids():
    app = run_page("app.py", node="resnet", tab="timeline")
    assert not [c.value for c in app.caption if "`resnet`" in c.value]
    timeline = next(d.value for d in app.dataframe if "venue" in d.value.columns)
    assert "id" not in timeline.columns and "first author" in timeline.columns


def test_edge_panel_source_names_the_paper_not_a_seed_file():
    app = run_page("app.py", tab="innovations")
    app.selectbox(key="edge_picker").select(("vgg", "squeezenet")).run()
    source = next(c.value for c in app.caption if "Source:" in c.value)
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


def test_a_highlight_chosen_during_a_path_replaces_it():
    from ui import home_state as state

    app = run_page("app.py", **{"from": "lenet", "to": "convnext"})
    app.selectbox(key=state.HIGHLIGHT_TAG).select("attention").run()
    assert app.session_state[state.PATH_FROM] is None and "from" not in app.query_params
    assert any(i.value.startswith("**attention**") for i in app.info)


def test_a_link_with_both_path_and_highlight_says_which_is_drawn():
    app = run_page("app.py", **{"from": "lenet", "to": "convnext", "tag": "attention"})
    assert "the highlight **attention** applies once the path is cleared" in all_text(app)


def test_a_deep_link_error_clears_once_the_user_picks_a_network():
    from ui import home_state as state

    app = run_page("app.py", node="doesnotexist")
    assert app.error
    app.selectbox(key=state.NODE_PICKER).select("vgg").run()
    assert not app.error and app.query_params["node"] == "vgg"


def test_parents_and_children_in_the_panel_open_their_networks():
    from ui import home_state as state

    app = run_page("app.py", node="resnet")
    app.button(key="relative_resnet_vgg").click().run()
    assert app.session_state[state.SELECTED_NODE] == "vgg"
    assert app.subheader[0].value.startswith("VGG")


def test_an_edge_selection_is_in_the_url_and_a_link_restores_it():
    from ui import home_state as state

    app = run_page("app.py", tab="innovations")
    app.selectbox(key="edge_picker").select(("vgg", "resnet")).run()
    assert app.query_params["edge"] == "vgg>resnet"
    shared = run_page("app.py", edge="VGG>ResNet")
    assert shared.session_state[state.SELECTED_EDGE] == ("vgg", "resnet") and not shared.error
    assert any(s.value == "VGG → ResNet" for s in shared.subheader)
    assert run_page("app.py", edge="vgg>lenet").error


def test_a_reversed_path_says_it_was_turned_round():
    app = run_page("app.py", **{"from": "shufflenet", "to": "alexnet"})
    assert "ShuffleNet descends from AlexNet, so the path is shown oldest first" in all_text(app)


def test_panel_links_are_short_enough_not_to_be_cut_off():
    app = run_page("app.py", node="resnext")
    labels = [link.proto.label for link in app.main.get("page_link")]
    assert "Inspect ResNeXt-50 (32×4d)" in labels and all(len(label) <= 40 for label in labels)


def test_search_hits_light_up_in_the_tree():
    app = run_page("app.py")
    from lineage import load_lineage
    from lineage.queries import search

    app.text_input(key="search").set_value("Szegedy").run()
    hits = frozenset(search(load_lineage(), "Szegedy"))
    assert len(hits) == 5
    highlight_drawn = app.session_state["_home_figure_shown"][0]  # (nodes, edges) the figure was drawn with
    assert highlight_drawn == (hits, frozenset())


def test_back_in_the_browser_restores_the_previous_selection_and_only_that():
    from ui import home_state as state

    app = run_page("app.py", node="vgg", lang="zh", tab="innovations")
    app.selectbox(key="edge_picker").select(("vgg", "resnet")).run()
    app.selectbox(key=state.HIGHLIGHT_TAG).select("attention").run()
    assert app.query_params["edge"] == "vgg>resnet" and app.query_params["tag"] == "attention"
    app.query_params.clear()  # Back twice: Streamlit reruns the page with that history entry's URL
    app.query_params.update(node="vgg", lang="zh")
    app.run()
    assert app.session_state[state.SELECTED_EDGE] is None and app.session_state[state.HIGHLIGHT_TAG] is None
    assert app.subheader[0].value.startswith("VGG") and not app.error
    assert dict(app.query_params) == {"node": "vgg", "lang": "zh"}  # left as the entry had it
