"""Analysis of a model without its weights (parameters, MACs, layers, stages), counted on the meta
device by `FlopCounterMode` (`core`) or by fvcore on a real CPU forward (`fvcore_engine`)."""

from models.analysis.cache import cache_dir
from models.analysis.core import (ENGINES, ROOT_ROW, Analysis, AnalysisError, LayerRow, StageRow, analyse,
                                  forward_memory_estimate)
from models.analysis.layers import count_weight_layers
from models.analysis.op_names import engine_difference, op_name, op_names

__all__ = ["ENGINES", "ROOT_ROW", "Analysis", "AnalysisError", "LayerRow", "StageRow", "analyse", "cache_dir",
           "count_weight_layers", "engine_difference", "forward_memory_estimate", "op_name", "op_names"]
