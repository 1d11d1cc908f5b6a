"""The hand-written RDF files (ontology, vocabularies, shapes), rebased onto the configured base.

The files are written against the default base URI ``http://127.0.0.1:8000/``; a deployment
with another ``OGPGRAPH_BASE_URI`` gets the same files with that prefix replaced.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from ogpgraph.config import DEFAULT_BASE_URI, ONTOLOGY_FILE, SHAPES_FILE, VOCABULARIES_FILE
from ogpgraph.graph.uris import Uris

__all__ = ["ONTOLOGY_FILE", "SHAPES_FILE", "VOCABULARIES_FILE", "load_graph",
           "load_support_graphs", "rebased_text"]


def rebased_text(path: Path, base: str) -> str:
    text = path.read_text(encoding="utf-8")
    return text if base == DEFAULT_BASE_URI else text.replace(DEFAULT_BASE_URI, base)


@lru_cache(maxsize=16)
def load_graph(path: Path, base: str = DEFAULT_BASE_URI) -> Graph:
    """Parsed once per (file, base); callers must not modify the returned graph."""
    graph = Graph()
    graph.parse(data=rebased_text(path, base), format="turtle")
    return graph


def load_support_graphs(store: ox.Store, base: str) -> None:
    """The ontology and the vocabularies, each into its named graph of ``store``: what
    validation reads beside the data (subclass axioms, each concept's scheme)."""
    uris = Uris(base)
    for path, name in ((ONTOLOGY_FILE, "ontology"), (VOCABULARIES_FILE, "vocabularies")):
        store.load(input=rebased_text(path, base).encode("utf-8"), format=ox.RdfFormat.TURTLE,
                   to_graph=ox.NamedNode(str(uris.graph(name))))
