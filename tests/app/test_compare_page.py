"""AppTest for the Compare page: the deep link, bad ids, too many models, the GMACs/GFLOPs toggle,
a model without published accuracy, a missing device, the zoo tab and a benchmark run."""

import pytest
import torch

from models.analysis import analyse
from models.compare.bench import BenchSettings, bench_key
from models.jobs import HEAVY_WORK
from tests.app.helpers import all_text, run_page

PAGE = "pages/4_Compare.py"


def table(app):
    return app.dataframe[0].value


def test_deep_link_shows_three_models_with_published_accuracy():
    app = run_page(PAGE, models="alexnet,vgg16,resnet50")
    frame = table(app)
    assert list(frame["model"]) == ["AlexNet", "VGG-16", "ResNet-50"]
    assert list(frame["ImageNet-1k top-1 %"]) == ["56.52", "71.59", "80.86"]
    assert list(frame["GMACs"]) == [round(analyse(i).macs / 1e9, 3) for i in ("alexnet", "vgg16", "resnet50")]
    text = all_text(app)
    assert "*residual*" in text and "top-1 +9.27 points" in text  # VGG-16 → ResNet-50
    assert app.query_params["models"] == "alexnet,vgg16,resnet50"
    assert not app.error


def test_unknown_ids_are_named_with_suggestions_and_the_rest_works():
    app = run_page(PAGE, models="resnet5,vgg16,nosuchnet,alexnet")
    errors = [e.value for e in app.error]
    assert any("resnet5'" in e and "resnet50" in e for e in errors)
    assert any("nosuchnet" in e for e in errors)
    assert list(table(app)["model"]) == ["VGG-16", "AlexNet"]


def test_more_than_four_models():
    app = run_page(PAGE, models="alexnet,vgg16,resnet50,resnet18,vit_b_16")
    assert any("At most 4" in e.value and "vit_b_16" in e.value for e in app.error)
    assert len(table(app)) == 4


def test_gflops_toggle_doubles_the_compute_column():
    app = run_page(PAGE, models="alexnet,resnet50")
    app.radio(key="compare_unit").set_value("GFLOPs").run()
    assert list(table(app)["GFLOPs"]) == [round(2 * analyse(i).macs / 1e9, 3) for i in ("alexnet", "resnet50")]


def test_a_model_without_published_accuracy_says_so():
    app = run_page(PAGE, models="seresnet50,resnet50")
    assert any("SE-ResNet-50" in w.value for w in app.warning)
    assert list(table(app)["ImageNet-1k top-1 %"]) == ["none published", "80.86"]


def test_one_model_asks_for_another():
    app = run_page(PAGE, models="resnet50")
    assert "Choose 2 to 4 models" in all_text(app)


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has CUDA")
def test_a_device_that_is_not_there():
    app = run_page(PAGE, models="alexnet,resnet50", device="cuda")
    assert any("cuda" in e.value and "not available" in e.value for e in app.error)
    assert len(table(app)) == 2


def test_zoo_tab_draws_the_chart():
    app = run_page(PAGE, models="alexnet,vgg16,resnet50", view="Zoo")
    assert app.get("plotly_chart")
    assert "publish an ImageNet-1k top-1" in all_text(app)


def test_benchmark_tab_runs_through_the_shared_queue():
    app = run_page(PAGE, models="lenet5,squeezenet1_1", view="Benchmark")
    app.button[0].click().run()
    for model_id in ("lenet5", "squeezenet1_1"):
        HEAVY_WORK.find(bench_key(model_id, BenchSettings())).wait(timeout=300)
    app.run()
    results = app.dataframe[0].value
    assert list(results["model"]) == ["LeNet-5", "SqueezeNet 1.1"]
    assert "untrained" in all_text(app)
