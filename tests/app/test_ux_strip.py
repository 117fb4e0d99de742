"""The lineage strip: generations as they are, the page's own variant and image, CIFAR-10 names."""

import io

from PIL import Image

from lineage import load_lineage
from lineage.queries import ancestors, generations
from models.registry import get_spec
from models.weights import head_categories
from tests.app.helpers import run_page

PAGE = "pages/2_Predict.py"


def test_generations_are_layers_of_the_dag_not_one_chain():
    graph = load_lineage()
    nodes = [*ancestors(graph, "convnext"), "convnext"]
    layers = generations(graph, nodes)
    assert sorted(n for layer in layers for n in layer) == sorted(nodes)
    assert any(len(layer) > 1 for layer in layers)  # VGG and Highway are not one the other's parent
    rank = {n: i for i, layer in enumerate(layers) for n in layer}
    assert all(rank[p] < rank[n] for n in nodes for p in graph.predecessors(n) if p in rank)
    assert layers[-1] == ["convnext"]


def strip_caption(app) -> str:
    return next(c.value for c in app.caption if c.value.startswith("Generations:"))


def test_the_strip_keeps_the_pages_variant_and_leaves_the_digit_reader_out():
    caption = strip_caption(run_page(PAGE, model="efficientnet_b3"))
    assert caption.split(" (left out")[0].endswith("EfficientNet-B3") and "EfficientNet-B0" not in caption
    assert "left out, it reads no photos: LeNet-5" in caption


def test_the_strip_offers_the_users_own_upload():
    app = run_page(PAGE, model="resnet18")
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), "blue").save(buffer, "PNG")
    next(u for u in app.get("file_uploader") if "predict_uploads" in u.proto.id).set_value(
        [("mine.png", buffer.getvalue(), "image/png")]).run()
    assert "your image: mine.png" in app.selectbox(key="strip_image").options


def test_highway_names_the_cifar10_classes():
    categories = head_categories(get_spec("highway_cifar"))
    assert categories[:4] == ("airplane", "automobile", "bird", "cat") and len(categories) == 10
