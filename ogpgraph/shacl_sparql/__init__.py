"""SHACL validation compiled to SPARQL and run on a pyoxigraph store.

pyshacl evaluates every constraint per focus node in pure Python (≈14 ms a commitment);
here each (shape, constraint component) of ``shapes/ogp-shapes.ttl`` becomes one
set-at-a-time SPARQL query over all data graphs at once, with the same results as
:func:`ogpgraph.validation.validate` run on each source graph on its own.
"""

from ogpgraph.shacl_sparql.run import (
    GraphResult,
    data_shapes,
    outcome_of,
    validate_store,
    validate_store_graphs,
)
from ogpgraph.shacl_sparql.shapes import UnsupportedShape, read_shapes

__all__ = [
    "GraphResult",
    "UnsupportedShape",
    "data_shapes",
    "outcome_of",
    "read_shapes",
    "validate_store",
    "validate_store_graphs",
]
