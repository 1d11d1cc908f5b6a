"""pyoxigraph terms as rdflib terms: the conversion, its per-process memory, and the
small graphs and rows the stores hand to pages."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib.namespace import RDFS

from ogpgraph.graph.convert import (
    LONG_LITERAL,
    _remembered,
    rdflib_graph,
    rdflib_rows,
    rdflib_term,
    to_oxigraph,
    to_rdflib,
)

XSD = "http://www.w3.org/2001/XMLSchema#"


def test_remembered_terms_are_the_conversion_of_each_term() -> None:
    """IRIs and short literals come from the cache, typed and tagged literals never taken
    for one another (same text, another datatype or language)."""
    terms = [ox.NamedNode("http://example.org/a"), ox.Literal("1"),
             ox.Literal("1", datatype=ox.NamedNode(f"{XSD}integer")),
             ox.Literal("2024-05-02", datatype=ox.NamedNode(f"{XSD}date")),
             ox.Literal("1", language="es"), ox.Literal("1", language="en"),
             ox.BlankNode("b1")]
    for _ in range(2):  # the second round is answered from the cache
        converted = [rdflib_term(term) for term in terms]
        assert converted == [to_rdflib(term) for term in terms]
        assert [type(t) for t in converted] == [type(to_rdflib(t)) for t in terms]
        assert [getattr(t, "datatype", None) for t in converted] == [
            getattr(to_rdflib(t), "datatype", None) for t in terms]
        assert [getattr(t, "language", None) for t in converted] == [
            None, None, None, None, "es", "en", None]


def test_long_literals_are_not_kept() -> None:
    """Descriptions (long texts) are converted each time: the cache holds small terms only."""
    before = _remembered.cache_info().currsize
    text = "x" * (LONG_LITERAL + 1)
    assert str(rdflib_term(ox.Literal(text, language="en"))) == text
    assert _remembered.cache_info().currsize == before
    rdflib_term(ox.Literal("short and new " + text[:10]))
    assert _remembered.cache_info().currsize == before + 1


def test_a_construct_answer_becomes_a_graph_of_the_same_triples() -> None:
    store = ox.Store()
    a, b = ox.NamedNode("http://example.org/a"), ox.NamedNode("http://example.org/b")
    label = ox.NamedNode(str(RDFS.label))
    store.extend([ox.Quad(a, label, ox.Literal("A", language="en")),
                  ox.Quad(a, RDFS_SEE_ALSO, b), ox.Quad(b, label, ox.Literal("B"))])
    graph = rdflib_graph(store.query("CONSTRUCT WHERE { ?s ?p ?o }"))
    assert len(graph) == 3
    assert {(str(s), str(p), str(o)) for s, p, o in graph} == {
        ("http://example.org/a", str(RDFS.label), "A"),
        ("http://example.org/a", RDFS_SEE_ALSO.value, "http://example.org/b"),
        ("http://example.org/b", str(RDFS.label), "B")}
    assert graph.value(to_rdflib(a), RDFS.label).language == "en"


def test_rows_leave_unbound_variables_out() -> None:
    rows = rdflib_rows(ox.Store().query(
        'SELECT ?x ?y WHERE { VALUES (?x ?y) { (1 UNDEF) ("b" <http://example.org/c>) } }'))
    assert [sorted(row) for row in rows] == [["x"], ["x", "y"]]
    assert str(rows[1]["y"]) == "http://example.org/c"


RDFS_SEE_ALSO = ox.NamedNode(str(RDFS.seeAlso))


def test_terms_written_back_are_each_term_s_own() -> None:
    """``to_oxigraph`` remembers IRIs and short literals; a literal is never taken for one
    with the same text and another datatype or language."""
    from rdflib import BNode, Literal, URIRef
    from rdflib.namespace import XSD as RDFLIB_XSD

    terms = [URIRef("http://example.org/a"), Literal("1"),
             Literal("1", datatype=RDFLIB_XSD.integer), Literal("1", lang="es"),
             Literal("1", lang="en"), BNode("b1"),
             Literal("x" * (LONG_LITERAL + 1), lang="en")]
    expected = [ox.NamedNode("http://example.org/a"), ox.Literal("1"),
                ox.Literal("1", datatype=ox.NamedNode(f"{XSD}integer")),
                ox.Literal("1", language="es"), ox.Literal("1", language="en"),
                ox.BlankNode("b1"), ox.Literal("x" * (LONG_LITERAL + 1), language="en")]
    for _ in range(2):  # the second round is answered from the cache
        assert [to_oxigraph(term) for term in terms] == expected
