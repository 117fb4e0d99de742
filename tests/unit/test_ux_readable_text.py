"""What users read: sources as papers and course notes (no file names), aten ops by human names,
and why the two counting engines' totals differ."""

from lineage import load_lineage
from lineage.queries import innovations_table, readable_source
from models.analysis import analyse, engine_difference, op_name, op_names


def test_sources_name_papers_and_course_notes_not_seed_files():
    graph = load_lineage()
    sources = [row["source"] for row in innovations_table(graph)]
    assert not [s for s in sources if ".txt" in s or "seed" in s]
    evidence = graph.edges["lenet", "alexnet"]["evidence"]
    assert "000_" in evidence  # the data file keeps its provenance; only what is shown changes
    assert readable_source(evidence) == ("Krizhevsky et al. 2012, Sec. 1 and reference list (LeCun et al. 1990, 2004, "
                                         "2010; not LeNet-5) · the course notes: the lineage drawing; AlexNet notes; "
                                         "AlexNet")


def test_a_source_without_course_notes_is_left_as_it_is():
    assert readable_source("Szegedy et al. 2016, Sec. 3.1") == "Szegedy et al. 2016, Sec. 3.1"


def test_aten_ops_get_human_names_in_either_engines_spelling():
    assert op_name("aten::add_") == "in-place add" and op_name("add_") == "in-place add"
    assert op_name("native_batch_norm") == "batch norm"
    assert op_name("aten::max_pool2d") == op_name("max_pool2d_with_indices") == "max pooling"
    assert op_name("_some_new_op") == "some new op"
    assert op_names(("relu", "relu_", "add")) == ["ReLU", "addition"]


def test_the_engine_note_accounts_for_the_whole_difference_between_the_totals():
    torch_count, fvcore_count = analyse("resnet50"), analyse("resnet50", engine="fvcore")
    note = engine_difference(fvcore_count)
    assert "batch norm" in note and "adaptive average pooling" in note
    extra = fvcore_count.operators["batch_norm"] + fvcore_count.operators["adaptive_avg_pool2d"]
    assert fvcore_count.macs - torch_count.macs == extra
    assert f"{extra / 1e6:.1f} M MACs of the difference" in note
    assert "fvcore also counts" in engine_difference(torch_count)
