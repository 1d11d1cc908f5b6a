"""The embedded Oxigraph store: in memory (the default for serving) or on disk."""

from __future__ import annotations

import gzip
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node


def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    if datatype == "http://www.w3.org/2001/XMLSchema#string":
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(datatype))


def from_rdflib(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


class OxigraphStore:
    """Implements :class:`ogpgraph.store.base.GraphStore` over a ``pyoxigraph.Store``.

    The dataset's default graph is the union of its named graphs. Either the store holds
    that union as its default graph (``union_materialised``, how ``ogpgraph serve`` loads
    a build) or each query asks Oxigraph to take the union on the fly, which visits a fact
    once per source graph that states it."""

    def __init__(self, store: ox.Store | None = None, union_materialised: bool = False,
                 quads: int | None = None) -> None:
        self.store = store if store is not None else ox.Store()
        self.union_materialised = union_materialised
        self._quads = quads
        self._triples: int | None = None

    @classmethod
    def in_memory_from_nquads(cls, path: Path) -> OxigraphStore:
        store = ox.Store()
        store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
        return cls(store)

    @classmethod
    def in_memory_from_nquads_gz(cls, path: Path) -> OxigraphStore:
        store = ox.Store()
        with gzip.open(path, "rb") as stream:
            store.bulk_load(input=stream, format=ox.RdfFormat.N_QUADS)
        return cls(store)

    @classmethod
    def in_memory_with_union(cls, nquads_gz: Path, ntriples_gz: Path) -> OxigraphStore:
        """The named graphs from the N-Quads dump and, as the default graph, their union
        from the N-Triples dump (the build wrote it with each fact once)."""
        store = ox.Store()
        with gzip.open(nquads_gz, "rb") as stream:
            store.bulk_load(input=stream, format=ox.RdfFormat.N_QUADS)
        quads = len(store)
        with gzip.open(ntriples_gz, "rb") as stream:
            store.bulk_load(input=stream, format=ox.RdfFormat.N_TRIPLES)
        return cls(store, union_materialised=True, quads=quads)

    @classmethod
    def open_read_only(cls, path: Path) -> OxigraphStore:
        return cls(ox.Store.read_only(str(path)))

    def _query(self, query: str) -> ox.QuerySolutions | ox.QueryTriples | ox.QueryBoolean:
        if self.union_materialised:
            return self.store.query(query)
        return self.store.query(query, use_default_graph_as_union=True)

    def select(self, query: str) -> list[dict[str, Node]]:
        solutions = self._query(query)
        if not isinstance(solutions, ox.QuerySolutions):
            raise ValueError("select() needs a SELECT query")
        names = [v.value for v in solutions.variables]
        rows: list[dict[str, Node]] = []
        for solution in solutions:
            row: dict[str, Node] = {}
            for name in names:
                value = solution[name]
                if value is not None:
                    row[name] = to_rdflib(value)
            rows.append(row)
        return rows

    def ask(self, query: str) -> bool:
        return bool(self._query(query))

    def construct(self, query: str) -> Graph:
        graph = Graph()
        for triple in self._query(query):
            graph.add((to_rdflib(triple.subject), to_rdflib(triple.predicate),
                       to_rdflib(triple.object)))
        return graph

    def triple_count(self) -> int:
        if self._triples is None:
            rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o "
                               "WHERE { ?s ?p ?o } }")
            self._triples = int(rows[0]["n"])
        return self._triples

    def quad_count(self) -> int:
        """Quads in the named graphs (the materialised default graph not counted)."""
        return self._quads if self._quads is not None else len(self.store)
