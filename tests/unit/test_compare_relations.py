"""The lineage between compared networks: a direct line with its innovations, or the nearest
common ancestor and the line from it to each (expectations read off lineage.yaml by hand)."""

from lineage import load_lineage
from models.compare.relations import lineage_between, pair_lineage
from models.node_index import with_parents


def test_a_direct_line_lists_each_step():
    pair = pair_lineage(load_lineage(), "alexnet", "resnet")
    assert pair.direct.nodes == ("alexnet", "vgg", "resnet")
    assert [s.innovation for s in pair.direct.steps] == ["3x3 conv", "residual"]


def test_cousins_meet_at_their_nearest_common_ancestor():
    pair = pair_lineage(load_lineage(), "googlenet", "resnet")
    assert pair.direct is None and pair.ancestor == "alexnet"
    assert [p.nodes for p in pair.from_ancestor] == [("alexnet", "nin", "googlenet"), ("alexnet", "vgg", "resnet")]


def test_every_pair_once_oldest_first_and_one_network_is_no_pair():
    pairs = lineage_between(load_lineage(), ["resnet", "alexnet", "vgg", "vgg"])
    assert [(p.first, p.second) for p in pairs] == [("alexnet", "vgg"), ("alexnet", "resnet"), ("vgg", "resnet")]
    assert lineage_between(load_lineage(), ["vgg", "vgg"]) == []


def test_compare_link_takes_the_parents_default_models():
    assert with_parents(load_lineage(), "vgg") == "vgg16,alexnet,zfnet"  # VGG has two parents in the tree
    assert with_parents(load_lineage(), "lenet") == "lenet5"
    assert with_parents(load_lineage(), "resnet", "resnet18") == "resnet18,vgg16,highway_cifar"
