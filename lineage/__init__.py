"""The knowledge of Lineage Explorer: the family tree of image-classification networks.

`load_lineage()` returns the validated graph from `lineage/data/lineage.yaml`; the query,
layout, figure and export modules all take that graph.
"""

from __future__ import annotations

from functools import lru_cache

import networkx as nx

from lineage.loader import DATA_FILE, LineageDataError, load_graph
from lineage.queries import UnknownNodeError

__all__ = ["DATA_FILE", "LineageDataError", "UnknownNodeError", "load_graph", "load_lineage"]


@lru_cache(maxsize=1)
def load_lineage() -> nx.DiGraph:
    """The bundled lineage, loaded once per process. Treat it as read-only: it is shared."""
    return load_graph(DATA_FILE)
