"""Untrained weights are reproducible: the same untrained model gives the same output after the
shared cache is emptied (a reload, another server), and the caller's random state is untouched."""

import torch

from models import runtime
from models.prediction.inference import predict
from models.prediction.samples import sample_image


def untrained_top5(model_id: str) -> list:
    runtime._cache.clear()
    built = runtime.build_model(model_id, "cpu")
    prediction = predict(built, [("chelsea", sample_image("chelsea"))], topk=5)[0]
    return [(t.index, round(t.prob, 6)) for t in prediction.top]


def test_the_same_untrained_model_predicts_the_same_after_a_reload():
    torch.manual_seed(1)
    first = untrained_top5("squeezenet1_1")
    torch.manual_seed(2)  # whatever the global random state, the model's own seed decides
    assert untrained_top5("squeezenet1_1") == first
    runtime._cache.clear()


def test_building_leaves_the_global_random_state_alone():
    torch.manual_seed(3)
    expected = torch.rand(3)
    torch.manual_seed(3)
    runtime._cache.clear()
    runtime.build_model("squeezenet1_1", "cpu")
    assert torch.equal(torch.rand(3), expected)
    runtime._cache.clear()
