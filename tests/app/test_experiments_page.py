"""The Experiments page under AppTest: deep link, a measured run with its verdict, a trained run
at tiny settings through the queue, and one clear error for an edge without an experiment."""

import pytest

from lineage import load_lineage
from models.experiments import EXPERIMENTS, get_experiment
from models.experiments.runner import run_experiment
from tests.app.helpers import all_text, run_page
from ui.experiment_views import job_for

PAGE = "pages/3_Experiments.py"


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("LINEAGE_CACHE_DIR", str(tmp_path))


def test_deep_link_shows_the_edges_claim_and_paper():
    app = run_page(PAGE, **{"from": "vgg", "to": "resnet"})
    experiment = get_experiment("vgg", "resnet")
    text = all_text(app)
    assert experiment.title in text and experiment.paper.number in text
    assert app.selectbox[0].value == ("vgg", "resnet")


def test_measured_run_shows_the_computed_verdict():
    app = run_page(PAGE, **{"from": "alexnet", "to": "vgg"})
    app.button(key="experiment_run").click().run()
    assert not app.exception
    expected = run_experiment("alexnet", "vgg").verdict  # the library's verdict for the same settings
    assert any(expected in s.value for s in app.success)


def test_trained_run_at_tiny_settings_goes_through_the_queue():
    app = run_page(PAGE, **{"from": "vgg", "to": "resnet"})
    app.number_input(key="experiment_vgg-resnet_steps").set_value(20)
    app.number_input(key="experiment_vgg-resnet_depth").set_value(10)
    app.button(key="experiment_run").click().run()
    experiment = get_experiment("vgg", "resnet")
    job = job_for(experiment, {"seed": 0, "steps": 20, "depth": 10, "shallow": 8, "lr": 0.1})
    assert job is not None
    result = job.wait(timeout=120)
    app.run()
    assert not app.exception
    verdicts = [e.value for e in (*app.success, *app.warning)]
    assert any(result.verdict in v for v in verdicts)
    assert "final training loss" in app.dataframe[0].value.columns


def test_an_edge_without_an_experiment_says_so_once():
    source, target = next(e for e in load_lineage().edges if e not in EXPERIMENTS)
    app = run_page(PAGE, **{"from": source, "to": target})
    assert [e.value for e in app.error] == [f"The edge {source} → {target} has no experiment yet."]
