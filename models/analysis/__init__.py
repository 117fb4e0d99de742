"""Analysis of a model without its weights (parameters, MACs, layers, stages), counted on the meta
device by `FlopCounterMode` (`core`) or by fvcore on a real CPU forward (`fvcore_engine`)."""

from models.analysis.cache import cache_dir
from models.analysis.core import ENGINES, ROOT_ROW, Analysis, AnalysisError, LayerRow, StageRow, analyse

__all__ = ["ENGINES", "ROOT_ROW", "Analysis", "AnalysisError", "LayerRow", "StageRow", "analyse", "cache_dir"]
