"""A small store interface: what the web layer may ask of any SPARQL 1.1 store.

The embedded Oxigraph store implements it; a remote SPARQL 1.1 store (Oxigraph server,
Fuseki, Virtuoso) will too. Results come back as rdflib terms so renderers never see
which store they talk to.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from rdflib import Graph
from rdflib.term import Node

GRAPH_SIZES_QUERY = (
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g")


class GraphStore(Protocol):
    def select(self, query: str) -> list[dict[str, Node]]:
        """Rows of a SELECT; unbound variables are absent from a row."""
        ...

    def ask(self, query: str) -> bool: ...

    def construct(self, query: str) -> Graph:
        """A CONSTRUCT or DESCRIBE result as an rdflib Graph (keep these small)."""
        ...

    def triple_count(self) -> int:
        """Distinct triples in the union default graph."""
        ...

    def quad_count(self) -> int: ...

    def gather(self, calls: Sequence[Callable[[], Any]]) -> list[Any]:
        """The results of independent queries (each a call on this store), in order: one
        after another in process, all at once where each waits on an engine's round trip."""
        ...
