"""Small documents written by ``formats.serialize_graph``: Turtle, N-Triples and expanded
JSON-LD by Oxigraph, compact JSON-LD and RDF/XML by rdflib; all say the same graph."""

from __future__ import annotations

import json

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, RDF, XSD

from ogpgraph.graph.formats import JSONLD, NTRIPLES, RDFXML, TURTLE, serialize_graph

BASE = "http://example.org/"
PREFIXES = {"dcterms": str(DCTERMS), "id": f"{BASE}id/", "ogp": f"{BASE}ontology#",
            "xsd": str(XSD), "rdf": str(RDF), "unused": "http://unused.example/"}
C = URIRef(f"{BASE}id/commitment/PE0055")
TRIPLES = [
    (C, RDF.type, URIRef(f"{BASE}ontology#Commitment")),
    (C, DCTERMS.title, Literal("Datos abiertos", lang="es")),
    (C, DCTERMS.identifier, Literal("PE0055")),
    (C, DCTERMS.issued, Literal("2015-07-01", datatype=XSD.date)),
    (C, URIRef(f"{BASE}ontology#milestone"), URIRef(f"{BASE}id/milestone/PE0055-1")),
    (URIRef(f"{BASE}id/milestone/PE0055-1"), DCTERMS.description, Literal('say "hi"\n')),
    (C, DCTERMS.source, BNode("b1")),
]


def graph_in(order: list) -> Graph:
    graph = Graph()
    for triple in order:
        graph.add(triple)
    return graph


@pytest.mark.parametrize("fmt, parser", [(TURTLE, "turtle"), (NTRIPLES, "nt"),
                                         (RDFXML, "xml"), (JSONLD, "json-ld")])
def test_every_writer_says_the_same_graph(fmt, parser) -> None:
    graph = graph_in(TRIPLES)
    assert isomorphic(Graph().parse(data=serialize_graph(graph, fmt, PREFIXES),
                                    format=parser), graph)


def test_expanded_json_ld_says_the_same_graph_without_a_context() -> None:
    graph = graph_in(TRIPLES)
    text = serialize_graph(graph, JSONLD, PREFIXES, compact_jsonld=False)
    assert "@context" not in json.loads(text)[0]
    assert isomorphic(Graph().parse(data=text, format="json-ld"), graph)


def test_turtle_is_the_same_bytes_whatever_order_the_graph_was_built_in() -> None:
    assert (serialize_graph(graph_in(TRIPLES), TURTLE, PREFIXES)
            == serialize_graph(graph_in(TRIPLES[::-1]), TURTLE, PREFIXES))


def test_turtle_declares_only_the_prefixes_that_shorten_without_escapes() -> None:
    text = serialize_graph(graph_in(TRIPLES), TURTLE, PREFIXES).decode()
    declared = {line.split()[1] for line in text.splitlines() if line.startswith("@prefix")}
    assert {"dcterms:", "ogp:", "xsd:"} <= declared
    assert "unused:" not in declared  # no IRI of the graph is under it
    assert "id:" not in declared  # id:commitment\/PE0055 would be needed: written whole
    assert "\\/" not in text and f"<{C}>" in text
