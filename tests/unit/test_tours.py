"""Tours: the shipped ones load against the tree, each mistake in the file names the file, tour and
field, and a tour made from a path follows the line of descent."""

import pytest
import yaml

from lineage import LineageDataError, load_lineage
from lineage.queries import UnknownNodeError
from lineage.tours import TOURS_FILE, NoLineError, UnknownTourError, get_tour, load_tours, path_tour


@pytest.fixture(scope="module")
def graph():
    return load_lineage()


def good_tour(**changes):
    tour = {"id": "demo", "title": "Demo", "title_zh": "演示", "intro": "Two steps.", "intro_zh": "两步。",
            "steps": [{"edge": "lenet>alexnet", "note": "Bigger.", "note_zh": "更大。"},
                      {"node": "vgg", "note": "Deeper.", "note_zh": "更深。"}]}
    tour.update(changes)
    return tour


def write(tmp_path, *tours):
    path = tmp_path / "tours.yaml"
    path.write_text(yaml.safe_dump({"tours": list(tours)}, allow_unicode=True), encoding="utf-8")
    return path


def error_for(graph, tmp_path, *tours) -> LineageDataError:
    path = write(tmp_path, *tours)
    with pytest.raises(LineageDataError) as caught:
        load_tours(graph, path)
    assert caught.value.path == str(path)
    return caught.value


def test_the_shipped_tours_load_and_tell_the_stories_they_promise(graph):
    tours = load_tours(graph)
    imagenet, mobile = tours["imagenet"], tours["mobile"]
    assert imagenet.steps[0].edge == ("lenet", "alexnet") and imagenet.steps[-1].target == "convnext"
    for node in ("vgg", "googlenet", "resnet"):
        assert node in imagenet.nodes()
    for node in ("xception", "mobilenet-v1", "mobilenet-v2", "mobilenet-v3", "efficientnet", "shufflenet",
                 "shufflenet-v2"):
        assert node in mobile.nodes()
    assert ("shufflenet", "shufflenet-v2") in [s.edge for s in mobile.steps]
    for tour in tours.values():
        assert tour.title("zh") != tour.title("en")
        assert all(step.note("zh") and step.note("zh") != step.note("en") for step in tour.steps)


def test_a_small_valid_file_loads_with_edge_and_node_steps(graph, tmp_path):
    tour = load_tours(graph, write(tmp_path, good_tour()))["demo"]
    assert [(s.source, s.target) for s in tour.steps] == [("lenet", "alexnet"), (None, "vgg")]
    assert tour.steps[1].edge is None and tour.steps[0].note("zh") == "更大。"
    assert tour.query == {"tour": "demo"}


def test_an_unknown_node_names_the_tour_the_step_and_a_close_id(graph, tmp_path):
    steps = [{"edge": "lenet>alexnett", "note": "x", "note_zh": "注"}]
    error = error_for(graph, tmp_path, good_tour(steps=steps))
    assert (error.entry, error.field) == ("tours[0] (demo)", "steps[0].edge")
    assert "alexnett" in error.problem and "alexnet" in error.problem.split("Did you mean")[1]
    error = error_for(graph, tmp_path, good_tour(steps=[{"node": "resnot", "note": "x", "note_zh": "注"}]))
    assert error.field == "steps[0].node" and "resnot" in error.problem


def test_an_edge_the_tree_lacks_is_refused(graph, tmp_path):
    assert not graph.has_edge("lenet", "resnet")
    error = error_for(graph, tmp_path, good_tour(steps=[{"edge": "lenet>resnet", "note": "x", "note_zh": "注"}]))
    assert error.field == "steps[0].edge" and "no edge lenet → resnet" in error.problem
    error = error_for(graph, tmp_path, good_tour(steps=[{"edge": "lenet-alexnet", "note": "x", "note_zh": "注"}]))
    assert "parent>child" in error.problem


def test_a_duplicate_tour_id_is_refused(graph, tmp_path):
    error = error_for(graph, tmp_path, good_tour(), good_tour(title="Again"))
    assert (error.entry, error.field) == ("tours[1] (demo)", "id") and "duplicate" in error.problem


@pytest.mark.parametrize("missing", ["title_zh", "intro_zh"])
def test_a_tour_without_its_chinese_text_is_refused(graph, tmp_path, missing):
    tour = good_tour()
    del tour[missing]
    error = error_for(graph, tmp_path, tour)
    assert error.field == missing and "missing" in error.problem


def test_a_step_without_its_chinese_note_is_refused(graph, tmp_path):
    steps = [{"edge": "lenet>alexnet", "note": "Bigger."}]
    error = error_for(graph, tmp_path, good_tour(steps=steps))
    assert error.field == "steps[0].note_zh" and "missing" in error.problem
    error = error_for(graph, tmp_path, good_tour(steps=[{"edge": "lenet>alexnet", "note": "x", "note_zh": "  "}]))
    assert error.field == "steps[0].note_zh"


def test_a_chinese_text_that_copies_the_english_or_holds_no_chinese_is_refused(graph, tmp_path):
    error = error_for(graph, tmp_path, good_tour(title_zh="Demo"))
    assert error.field == "title_zh" and "copies the English" in error.problem
    steps = [{"edge": "lenet>alexnet", "note": "Bigger.", "note_zh": "Larger."}]
    error = error_for(graph, tmp_path, good_tour(steps=steps))
    assert error.field == "steps[0].note_zh" and "holds no Chinese" in error.problem


@pytest.mark.parametrize("steps", [[], None])
def test_a_tour_without_steps_is_refused(graph, tmp_path, steps):
    error = error_for(graph, tmp_path, good_tour(steps=steps))
    assert error.field == "steps" and "non-empty" in error.problem


def test_ids_must_be_url_safe_and_steps_name_one_thing(graph, tmp_path):
    assert error_for(graph, tmp_path, good_tour(id="Image Net")).field == "id"
    both = [{"edge": "lenet>alexnet", "node": "vgg", "note": "x", "note_zh": "注"}]
    assert "exactly one" in error_for(graph, tmp_path, good_tour(steps=both)).problem
    error = error_for(graph, tmp_path, good_tour(colour="red"))
    assert error.field == "colour" and "not a known field" in error.problem
    path = tmp_path / "broken.yaml"
    path.write_text("tours: [", encoding="utf-8")
    with pytest.raises(LineageDataError, match="not valid YAML"):
        load_tours(graph, path)


def test_an_unknown_tour_id_suggests_the_closest():
    tours = load_tours(load_lineage(), TOURS_FILE)
    with pytest.raises(UnknownTourError, match="Unknown tour 'imagent'.*imagenet"):
        get_tour(tours, "imagent")


def test_a_path_tour_follows_the_line_of_descent_oldest_first(graph):
    tour = path_tour(graph, "vgg", "lenet")  # asked newest first: the tour still starts at LeNet
    assert [s.edge for s in tour.steps] == [("lenet", "alexnet"), ("alexnet", "vgg")]
    assert tour.title("en") == tour.title("zh") == "LeNet → VGG"  # names stay as published
    assert tour.query == {"from": "vgg", "to": "lenet"}
    assert all(step.note("en") == "" for step in tour.steps)
    with pytest.raises(NoLineError, match="no line of descent"):
        path_tour(graph, "vit", "resnet")
    with pytest.raises(NoLineError, match="same network"):
        path_tour(graph, "vgg", "vgg")
    with pytest.raises(UnknownNodeError):
        path_tour(graph, "lenet", "nope")
