"""pyoxigraph terms as rdflib terms and back: the one conversion between the two libraries
(rdflib for small documents and pyshacl, Oxigraph for querying, writing and anything
large)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.plugins.stores.memory import SimpleMemory
from rdflib.term import Node

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
TERM_CACHE_SIZE = 16_384  # terms remembered by rdflib_term (IRIs and short literals)
LONG_LITERAL = 200  # characters: longer literals (descriptions) are converted every time


def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    if datatype == XSD_STRING:
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(datatype))


@lru_cache(maxsize=TERM_CACHE_SIZE)
def _remembered(term: ox.NamedNode | ox.Literal) -> Node:
    return to_rdflib(term)


def rdflib_term(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
    """``to_rdflib``, remembered per process for IRIs and short literals: pages convert the
    same few hundred terms on every request (a typed literal's value is parsed each time).
    rdflib terms are immutable, so one object may serve every request and thread."""
    if isinstance(term, ox.BlankNode) or (
            isinstance(term, ox.Literal) and len(term.value) > LONG_LITERAL):
        return to_rdflib(term)
    return _remembered(term)


def rdflib_rows(solutions: ox.QuerySolutions) -> list[dict[str, Node]]:
    """Query solutions as rows of rdflib terms, unbound variables left out."""
    names = [v.value for v in solutions.variables]
    rows: list[dict[str, Node]] = []
    for solution in solutions:
        row: dict[str, Node] = {}
        for name in names:
            value = solution[name]
            if value is not None:
                row[name] = rdflib_term(value)
        rows.append(row)
    return rows


def rdflib_graph(triples: Iterable[ox.Triple]) -> Graph:
    """A small rdflib graph of ``triples`` (a CONSTRUCT's answer): without contexts,
    which rdflib's default store keeps per triple (filled 3x faster, read 2x faster)."""
    graph = Graph(store=SimpleMemory())
    add = graph.add
    for triple in triples:
        add((rdflib_term(triple.subject), rdflib_term(triple.predicate),
             rdflib_term(triple.object)))
    return graph


def _to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None and str(term.datatype) != XSD_STRING:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


@lru_cache(maxsize=TERM_CACHE_SIZE)
def _remembered_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    return _to_oxigraph(term)


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as pyoxigraph's; IRIs and short literals remembered per process (as
    ``rdflib_term``: documents are written with the same few hundred terms each time)."""
    if isinstance(term, URIRef) or (isinstance(term, Literal) and len(term) <= LONG_LITERAL):
        return _remembered_oxigraph(term)
    return _to_oxigraph(term)
