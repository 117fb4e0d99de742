"""The Tour page under AppTest: every shipped tour walked with → to its end and opened by its deep
link at every step, the path tour, bad links with one clear message, presenter mode and Chinese;
the expected steps come from tours.yaml and lineage.yaml, not from the page."""

import pytest
import yaml

from lineage import load_lineage
from lineage.queries import path_between
from lineage.tours import TOURS_FILE
from models.experiments.runner import run_experiment
from tests.app.helpers import all_text, run_page

PAGE = "pages/6_Tour.py"
GRAPH = load_lineage()
SHIPPED = yaml.safe_load(TOURS_FILE.read_text(encoding="utf-8"))["tours"]


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("LINEAGE_CACHE_DIR", str(tmp_path))


def expected_headline(step: dict) -> str:
    if "node" in step:
        return GRAPH.nodes[step["node"]]["name"]
    source, target = step["edge"].split(">")
    return f"{GRAPH.nodes[source]['name']} → {GRAPH.nodes[target]['name']}"


def headline(app) -> str:
    return app.header[0].value


def counter(app) -> str:
    """The 'step N of M' between ← and → (the one centred markdown of the page)."""
    return next(m.value for m in app.markdown if "text-align:center" in m.value)


@pytest.mark.parametrize("tour", SHIPPED, ids=[t["id"] for t in SHIPPED])
def test_every_shipped_tour_walks_with_next_to_its_end_and_back(tour):
    app = run_page(PAGE, timeout=180, tour=tour["id"])
    count = len(tour["steps"])
    for number, step in enumerate(tour["steps"], start=1):
        assert headline(app) == expected_headline(step)
        assert f"Step {number} of {count}" in counter(app)
        assert step["note"].strip() in all_text(app)  # the teacher's note of this step
        assert app.button(key="tour_prev").disabled == (number == 1)
        assert app.button(key="tour_next").disabled == (number == count)
        if number < count:
            app.button(key="tour_next").click().run()
            assert not app.exception, [e.message for e in app.exception]
            assert app.query_params["step"] == str(number + 1)
    app.button(key="tour_prev").click().run()
    assert headline(app) == expected_headline(tour["steps"][-2])


@pytest.mark.parametrize("tour", SHIPPED, ids=[t["id"] for t in SHIPPED])
def test_the_deep_link_to_every_step_opens_that_step(tour):
    for number, step in enumerate(tour["steps"], start=1):
        app = run_page(PAGE, timeout=180, tour=tour["id"], step=str(number))
        assert headline(app) == expected_headline(step)
        assert f"/Tour?tour={tour['id']}&step={number}" in all_text(app)


def test_the_imagenet_tour_goes_from_lenet_to_convnext_with_real_numbers():
    app = run_page(PAGE, timeout=180, tour="imagenet", step="4")
    assert headline(app) == "NiN → GoogLeNet"
    table = app.table[0].value
    assert list(table.columns) == ["NiN (ImageNet)", "GoogLeNet", "change"]
    assert table.loc["parameters", "GoogLeNet"].endswith(" M")
    assert "%" in table.loc["top-1, published", "GoogLeNet"]  # torchvision publishes 69.78
    assert table.loc["top-1, published", "NiN (ImageNet)"] == "none published"


def test_the_chooser_lists_every_tour_with_a_start_link_and_a_path_maker():
    app = run_page(PAGE)
    text = all_text(app)
    for tour in SHIPPED:
        assert tour["title"] in text
    starts = [link.proto for link in app.get("page_link") if link.proto.label == "Start the tour"]
    assert len(starts) == len(SHIPPED)
    app.selectbox(key="tour_path_from").set_value("lenet").run()
    app.selectbox(key="tour_path_to").set_value("shufflenet").run()
    assert any("LeNet → ShuffleNet" in link.proto.label for link in app.get("page_link"))


def test_a_path_tour_follows_the_line_of_descent():
    app = run_page(PAGE, timeout=180, **{"from": "lenet", "to": "shufflenet"})
    steps = path_between(GRAPH, "lenet", "shufflenet").steps
    names = lambda s: f"{GRAPH.nodes[s.source]['name']} → {GRAPH.nodes[s.target]['name']}"  # noqa: E731
    for number, step in enumerate(steps, start=1):
        assert headline(app) == names(step) and f"Step {number} of {len(steps)}" in counter(app)
        if number < len(steps):
            app.button(key="tour_next").click().run()
    assert app.button(key="tour_next").disabled


@pytest.mark.parametrize("query, expected", [
    ({"tour": "imagenett"}, "Unknown tour 'imagenett'. Did you mean imagenet?"),
    ({"tour": "imagenet", "step": "99"}, "step 99, but “The ImageNet decade” has 9 steps (1 to 9)"),
    ({"tour": "mobile", "step": "two"}, "step 'two' is not a number"),
    ({"from": "vit", "to": "resnet"}, "No tour from ViT to ResNet: no line of descent connects them."),
    ({"from": "lenet", "to": "resnot"}, "Unknown network 'resnot'"),
    ({"from": "lenet"}, "A path tour needs both ends"),
])
def test_a_bad_link_gets_one_clear_message(query, expected):
    app = run_page(PAGE, **query)
    assert len(app.error) == 1 and expected in app.error[0].value
    assert not app.header or "→" not in headline(app)  # no step is shown as if the link were right


def test_a_cached_experiment_shows_at_once_and_an_edge_without_one_says_so():
    expected = run_experiment("alexnet", "vgg").verdict  # the library's run at the defaults, now cached
    app = run_page(PAGE, timeout=180, tour="imagenet", step="2")
    assert any(expected in element.value for element in (*app.success, *app.warning))
    assert "Read from the cache" in all_text(app)
    app = run_page(PAGE, timeout=180, tour="imagenet", step="4")
    assert "This step has no experiment yet." in all_text(app)


def test_run_on_a_step_counts_a_measured_experiment():
    app = run_page(PAGE, timeout=180, tour="mobile", step="1")  # Xception → MobileNet v1: measured
    assert "No result in the cache yet" in all_text(app)
    app.button(key="tour_run_xception-mobilenet-v1").click().run()
    assert not app.exception
    expected = run_experiment("xception", "mobilenet-v1").verdict
    assert any(expected in element.value for element in (*app.success, *app.warning))


def test_the_sample_photo_runs_through_both_networks_only_when_asked():
    app = run_page(PAGE, timeout=180, tour="mobile", step="7")  # ShuffleNet → v2: two small networks
    assert "untrained" not in all_text(app)
    app.toggle(key="tour_sample_on").set_value(True).run()
    assert not app.exception, [e.message for e in app.exception]
    text = all_text(app)
    assert "ShuffleNet v1" in text and "ShuffleNet v2" in text
    assert text.count("untrained — meaningless") == 2  # offline: no pretrained weights, and it says so


def test_presenter_mode_from_the_link_and_its_toggle():
    app = run_page(PAGE, tour="imagenet", step="1", present="1")
    assert any("stSidebar" in element.proto.body for element in app.get("html"))
    switch = app.toggle(key="presenter_switch")
    assert switch.value is True and app.query_params["present"] == "1"
    switch.set_value(False).run()
    assert not any("stSidebar" in element.proto.body for element in app.get("html"))
    assert "present" not in app.query_params
    assert headline(app) == "LeNet → AlexNet"


def test_the_tour_speaks_chinese():
    app = run_page(PAGE, tour="imagenet", step="2", lang="zh")
    chinese = SHIPPED[0]
    assert app.caption[0].value == chinese["title_zh"]
    assert "第 2 步，共 9 步" in counter(app)
    assert chinese["steps"][1]["note_zh"].strip() in all_text(app)
    assert app.button(key="tour_next").label == "下一步"


def test_the_home_pages_path_view_links_to_its_tour_and_presenter_mode_applies_there_too():
    app = run_page("app.py", present="1", **{"from": "lenet", "to": "shufflenet"})
    links = [link.proto for link in app.get("page_link") if link.proto.label == "Make a tour from this path"]
    assert len(links) == 1 and links[0].page.endswith("Tour")
    assert "from=lenet" in links[0].query_string and "to=shufflenet" in links[0].query_string
    assert any("stSidebar" in element.proto.body for element in app.get("html"))  # one call in the navigation


def test_a_step_that_visits_one_network_shows_its_summary_and_its_model(tmp_path, monkeypatch):
    from lineage.tours import load_tours
    from ui import tour_views

    path = tmp_path / "tours.yaml"
    path.write_text(yaml.safe_dump({"tours": [{
        "id": "demo", "title": "Demo", "title_zh": "演示", "intro": "One network.", "intro_zh": "一个网络。",
        "steps": [{"node": "squeezenet", "note": "Small.", "note_zh": "小。"}]}]}, allow_unicode=True))
    monkeypatch.setattr(tour_views, "bundled_tours", lambda: load_tours(GRAPH, path))
    app = run_page(PAGE, timeout=180, tour="demo")
    assert headline(app) == "SqueezeNet" and "Small." in all_text(app)
    assert GRAPH.nodes["squeezenet"]["summary"] in all_text(app)
    assert app.table[0].value.shape[1] == 1  # one model, no change column
    assert "This step has no experiment yet." in all_text(app)
