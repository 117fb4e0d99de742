"""Experiments that test the claim of an edge of the tree: two or more variants that differ only in
the edge's innovation, measured (parameters, MACs, receptive field, latency) or trained on the
bundled digits, with the paper's number beside a verdict computed from the measurements.

`run_experiment("vgg", "resnet")` runs one (cached on disk); `submit(...)` queues it on the server's
heavy-work queue; `EXPERIMENTS` maps each (parent, child) edge to its experiment."""

from models.experiments.registry import EXPERIMENTS, UnknownExperimentError, get_experiment, has_experiment
from models.experiments.runner import ExperimentResult, cached_result, run_experiment, submit

__all__ = ["EXPERIMENTS", "ExperimentResult", "UnknownExperimentError", "cached_result", "get_experiment",
           "has_experiment", "run_experiment", "submit"]
