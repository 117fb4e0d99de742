"""Lesson links, page by page: state set through the widgets → the link the copy-link widget shows →
a fresh session opened with exactly that link's query → the same widget values and the same result
on screen. Then hidden controls (not shown, their link values still used) and bad values in a link."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest

from tests.app.helpers import all_text, answer_bars, run_page


def lesson_link(app) -> str:
    """The one link the page's copy-link widget shows (relative under AppTest: it has no browser URL)."""
    links = [c.value for c in app.code if c.value.startswith("/")]
    assert len(links) == 1, links
    return links[0]


def reopen(page: str, app, path: str):
    """A fresh session of `page` opened with exactly the query of `app`'s link, whose path must be `path`."""
    link = urlsplit(lesson_link(app))
    assert link.path == path
    return run_page(page, **dict(parse_qsl(link.query, keep_blank_values=True)))


def enclosing_keys(app, widget_key: str) -> list[str]:
    """The keys of the containers around the widget `widget_key` (a hidden control's container is one)."""
    def walk(node, around):
        found = []
        for child in getattr(node, "children", {}).values():
            proto = getattr(child, "proto", None)
            block_id = proto.id if type(proto).__name__ == "Block" else ""
            found += walk(child, around + ([block_id.rsplit("-", 1)[-1]] if block_id else []))
        return found + ([around] if getattr(node, "key", None) == widget_key else [])

    matches = walk(app._tree, [])
    assert len(matches) == 1, f"{widget_key}: {len(matches)} widgets"
    return matches[0]


def hiding_style(app) -> str:
    return "".join(e.proto.body for e in app.get("html") if "display: none" in e.proto.body)


def open_tab(app, tabs_key: str) -> int:
    """Index of the tab the page tells the browser to show for the `st.tabs` keyed `tabs_key`."""
    def walk(node):
        proto = getattr(node, "proto", None)
        if type(proto).__name__ == "Block" and proto.WhichOneof("type") == "tab_container" \
                and proto.tab_container.id.endswith(f"-{tabs_key}"):
            return proto.tab_container.default_tab_index
        for child in getattr(node, "children", {}).values():
            if (found := walk(child)) is not None:
                return found
        return None

    return walk(app._tree)


def test_home_node_search_and_highlight_round_trip():
    app = run_page("app.py")
    app.selectbox(key="node_picker").set_value("resnet").run()
    app.text_input(key="search").set_value("Szegedy").run()
    app.selectbox(key="highlight_tag").set_value("connectivity").run()
    assert dict(parse_qsl(urlsplit(lesson_link(app)).query)) == {"node": "resnet", "tag": "connectivity", "q": "Szegedy"}

    fresh = reopen("app.py", app, "/")
    assert fresh.session_state["selected_node"] == "resnet"
    assert fresh.text_input(key="search").value == "Szegedy"
    assert fresh.selectbox(key="highlight_tag").value == "connectivity"
    assert any(s.value.startswith("ResNet (") for s in fresh.subheader)  # the node's panel
    assert {b.key for b in fresh.button if b.key.startswith("search_")} == \
        {b.key for b in app.button if b.key.startswith("search_")} != set()  # the same hits
    assert any(i.value.startswith("**connectivity**") for i in fresh.info)


def test_home_edge_and_path_round_trip():
    app = run_page("app.py", tab="innovations")
    app.selectbox(key="edge_picker").set_value(("vgg", "resnet")).run()
    app.selectbox(key="path_from").set_value("lenet").run()
    app.selectbox(key="path_to").set_value("shufflenet").run()
    fresh = reopen("app.py", app, "/")
    assert dict(fresh.query_params) == {"tab": "innovations", "edge": "vgg>resnet", "from": "lenet", "to": "shufflenet"}
    assert fresh.session_state["selected_edge"] == ("vgg", "resnet")
    assert (fresh.selectbox(key="path_from").value, fresh.selectbox(key="path_to").value) == ("lenet", "shufflenet")
    assert all_text(fresh).count("ShuffleNet") == all_text(app).count("ShuffleNet") > 0  # the path panel


def test_inspect_round_trip():
    app = run_page("pages/1_Inspect.py", model="resnet18")
    app.radio(key="inspect_unit").set_value("GFLOPs").run()
    app.number_input(key="inspect_size_resnet18").set_value(160).run()
    app.session_state["inspect_tab"] = "Charts"  # AppTest cannot click a tab; the page reads the same key
    app.run()
    fresh = reopen("pages/1_Inspect.py", app, "/Inspect")
    assert dict(fresh.query_params) == {"model": "resnet18", "unit": "GFLOPs", "size": "160", "tab": "charts"}
    assert fresh.selectbox(key="inspect_model").value == "resnet18"
    assert fresh.radio(key="inspect_unit").value == "GFLOPs" and fresh.radio(key="inspect_engine").value == "torch"
    assert fresh.number_input(key="inspect_size_resnet18").value == 160
    assert open_tab(fresh, "inspect_tab") == 1
    metrics = {m.label: m.value for m in fresh.metric}
    assert metrics == {m.label: m.value for m in app.metric}
    assert metrics["Input"] == "160 px" and "Compute (GFLOPs)" in metrics


def test_predict_round_trip_same_answer():
    app = run_page("pages/2_Predict.py", model="resnet18")
    app.radio(key="predict_weights_resnet18").set_value("untrained").run()
    app.slider(key="predict_topk").set_value(3).run()
    cam = app.selectbox(key="predict_cam")
    cam.select_index(len(cam.options) - 1).run()  # no CAM
    app.button(key="sample_chelsea").click().run()
    fresh = reopen("pages/2_Predict.py", app, "/Predict")
    assert dict(fresh.query_params) == {"model": "resnet18", "weights": "untrained", "topk": "3", "cam": "none",
                                        "sample": "chelsea"}
    assert fresh.radio(key="predict_weights_resnet18").value == "untrained"
    assert fresh.slider(key="predict_topk").value == 3 and fresh.selectbox(key="predict_cam").value is None
    answer = [m.value for m in fresh.markdown if m.value.startswith("**sample: chelsea**")]
    assert answer and answer == [m.value for m in app.markdown if m.value.startswith("**sample: chelsea**")]
    assert len(answer_bars(fresh)) == 3
    assert not [i for i in fresh.image if "on " in (i.proto.imgs[0].caption if i.proto.imgs else "")]  # no CAM


def test_predict_checkpoint_cannot_travel_and_the_link_says_so():
    app = run_page("pages/2_Predict.py", model="resnet18")
    app.radio(key="predict_weights_resnet18").set_value("checkpoint").run()
    assert "cannot travel in a link" in all_text(app)
    fresh = reopen("pages/2_Predict.py", app, "/Predict")
    assert fresh.radio(key="predict_weights_resnet18").value == "checkpoint"
    assert fresh.get("file_uploader") and any("No checkpoint uploaded yet" in w.value for w in fresh.warning)


def test_experiments_round_trip():
    app = run_page("pages/3_Experiments.py", **{"from": "vgg", "to": "resnet"})
    app.number_input(key="experiment_vgg-resnet_steps").set_value(200).run()
    app.number_input(key="experiment_vgg-resnet_lr").set_value(0.05).run()
    fresh = reopen("pages/3_Experiments.py", app, "/Experiments")
    assert dict(fresh.query_params) == {"from": "vgg", "to": "resnet", "steps": "200", "lr": "0.05"}
    assert fresh.number_input(key="experiment_vgg-resnet_steps").value == 200
    assert fresh.number_input(key="experiment_vgg-resnet_lr").value == 0.05
    assert [n.value for n in fresh.number_input] == [n.value for n in app.number_input]
    assert [s.value for s in fresh.subheader] == [s.value for s in app.subheader]  # the same experiment


def test_experiments_edge_picked_in_the_page_round_trip():
    app = run_page("pages/3_Experiments.py")
    app.selectbox[0].set_value(("resnet", "resnext")).run()
    app.number_input(key="experiment_resnet-resnext_cardinality").set_value(8).run()
    fresh = reopen("pages/3_Experiments.py", app, "/Experiments")
    assert dict(fresh.query_params) == {"from": "resnet", "to": "resnext", "cardinality": "8"}
    assert fresh.number_input(key="experiment_resnet-resnext_cardinality").value == 8
    assert [s.value for s in fresh.subheader] == [s.value for s in app.subheader]


def test_compare_round_trip():
    app = run_page("pages/4_Compare.py")
    app.multiselect(key="compare_models").set_value(["lenet5", "resnet18"]).run()
    app.radio(key="compare_unit").set_value("GFLOPs").run()
    app.number_input(key="bench_batch").set_value(4).run()
    app.checkbox(key="bench_amp").check().run()
    app.session_state["view"] = "Zoo"  # AppTest cannot click a tab; the page reads the same key
    app.run()
    fresh = reopen("pages/4_Compare.py", app, "/Compare")
    assert dict(fresh.query_params) == {"models": "lenet5,resnet18", "unit": "GFLOPs", "batch": "4", "amp": "1",
                                        "view": "Zoo"}
    assert fresh.multiselect(key="compare_models").value == ["lenet5", "resnet18"]
    assert fresh.radio(key="compare_unit").value == "GFLOPs" and fresh.number_input(key="bench_batch").value == 4
    assert fresh.checkbox(key="bench_amp").value and not fresh.checkbox(key="bench_compile").value
    assert open_tab(fresh, "view") == 1 and fresh.get("plotly_chart")
    assert fresh.radio(key="zoo_x").options[1].endswith(", batch 4, amp)")  # the zoo's latency: these settings


def test_inside_round_trip():
    app = run_page("pages/5_Inside.py", model="lenet5")
    app.radio(key="predict_weights_lenet5").set_value("untrained").run()  # Predict's weights widget
    app.selectbox(key="inside_layer_lenet5").set_value("s2").run()
    app.slider(key="inside_count").set_value(4).run()
    app.button(key="digit_sample").click().run()
    fresh = reopen("pages/5_Inside.py", app, "/Inside")
    assert dict(fresh.query_params) == {"model": "lenet5", "weights": "untrained", "count": "4", "sample": "digit",
                                        "layer": "s2"}
    assert fresh.radio(key="predict_weights_lenet5").value == "untrained"
    assert fresh.selectbox(key="inside_layer_lenet5").value == "s2" and fresh.slider(key="inside_count").value == 4
    maps = [m.value for m in fresh.markdown if m.value.startswith("**s2**")]
    assert maps and "the 4 most active" in maps[0]
    assert maps == [m.value for m in app.markdown if m.value.startswith("**s2**")]


def test_hidden_controls_are_not_shown_and_keep_the_links_values():
    app = run_page("pages/2_Predict.py", model="resnet18", weights="untrained", topk="3", sample="chelsea",
                   hide="picker,weights,upload,settings,link")
    style = hiding_style(app)
    for control, key in (("picker", "predict_model"), ("weights", "predict_weights_resnet18"),
                         ("upload", "predict_uploads"), ("settings", "predict_topk"), ("settings", "predict_cam"),
                         ("link", "lesson_link_hide_Predict_sidebar")):
        assert any(k.startswith(f"lesson_hidden_{control}_") for k in enclosing_keys(app, key)), control
        assert f'[class*="st-key-lesson_hidden_{control}_"]' in style
    assert "stSidebar" not in style  # the sidebar was not asked to hide
    assert any(e.value.startswith("Weights — untrained") for e in app.error)  # the hidden weights' value
    assert len(answer_bars(app)) == 3  # the hidden top-k's value


def test_nothing_is_hidden_without_the_flag():
    app = run_page("pages/2_Predict.py", model="resnet18")
    assert not hiding_style(app)
    assert not [k for k in enclosing_keys(app, "predict_weights_resnet18") if k.startswith("lesson_hidden")]


def test_hide_sidebar_hides_it_on_every_page_and_the_widget_offers_it():
    app = run_page("pages/1_Inspect.py", model="resnet18", hide="sidebar")
    assert '[data-testid="stSidebar"]' in hiding_style(app)
    assert app.radio(key="inspect_unit").value == "GMACs"  # the sidebar's widgets still run
    boxes = {box.key.rsplit("_", 1)[-1]: box for box in app.checkbox if box.key.startswith("lesson_link_hide_Inspect")}
    assert set(boxes) == {"sidebar", "picker", "settings", "link"}
    assert [name for name, box in boxes.items() if box.value] == ["sidebar"]  # the session's own hide, ticked
    boxes["settings"].check().run()
    assert dict(parse_qsl(urlsplit(lesson_link(app)).query)) == {"model": "resnet18", "hide": "sidebar,settings"}
    app.switch_page("pages/5_Inside.py").run()
    assert '[data-testid="stSidebar"]' in hiding_style(app)


@pytest.mark.parametrize(("page", "query", "named", "widget", "default"), [
    ("pages/1_Inspect.py", {"model": "resnet18", "tab": "nope"}, "`tab=nope`", None, None),
    ("pages/1_Inspect.py", {"model": "resnet18", "size": "big"}, "`size=big`", ("number_input", "inspect_size_resnet18"), 224),
    ("pages/2_Predict.py", {"model": "resnet18", "topk": "99"}, "`topk=99`", ("slider", "predict_topk"), 5),
    ("pages/2_Predict.py", {"model": "resnet18", "weights": "imagenet"}, "`weights=imagenet`", None, None),
    ("pages/3_Experiments.py", {"from": "vgg", "to": "resnet", "steps": "-5"}, "`steps=-5`", None, None),
    ("pages/4_Compare.py", {"models": "lenet5,resnet18", "view": "Gallery"}, "`view=Gallery`", None, None),
    ("pages/5_Inside.py", {"model": "resnet18", "sample": "mona_lisa"}, "`sample=mona_lisa`", None, None),
    ("pages/4_Compare.py", {"models": "lenet5,resnet18", "amp": "yes"}, "`amp=yes`", ("checkbox", "bench_amp"), False),
    ("pages/5_Inside.py", {"model": "lenet5", "count": "5"}, "`count=5`", ("slider", "inside_count"), 16),
])
def test_a_bad_value_in_a_link_is_named_and_the_default_is_shown(page, query, named, widget, default):
    app = run_page(page, **query)
    assert any(named in e.value for e in app.error), [e.value for e in app.error]
    if widget:
        assert getattr(app, widget[0])(key=widget[1]).value == default
    param, value = named.strip("`").split("=")
    assert dict(parse_qsl(urlsplit(lesson_link(app)).query)).get(param) != value


def test_an_unknown_control_to_hide_is_named():
    app = run_page("app.py", hide="sidebar,everything")
    assert any("everything" in w.value and "sidebar" in w.value for w in app.warning)
    assert '[data-testid="stSidebar"]' in hiding_style(app)


def test_the_link_keeps_presenter_mode_and_the_language_and_speaks_it():
    app = run_page("pages/2_Predict.py", model="resnet18", topk="99", present="1", lang="zh")
    query = dict(parse_qsl(urlsplit(lesson_link(app)).query))
    assert query["present"] == "1" and query["lang"] == "zh" and "topk" not in query
    assert any(e.value.startswith("链接中的 `topk=99` 无法使用") for e in app.error)
    assert any("无法通过链接传递" in c.value for c in app.caption)  # the checkpoint note, in Chinese


def test_tour_round_trip():
    app = run_page("pages/6_Tour.py", tour="imagenet", step="2")
    app.button(key="tour_next").click().run()
    fresh = reopen("pages/6_Tour.py", app, "/Tour")
    assert dict(fresh.query_params) == {"tour": "imagenet", "step": "3"}
    assert [s.value for s in fresh.subheader] == [s.value for s in app.subheader] != []
