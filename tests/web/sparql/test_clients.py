"""Real SPARQL clients against a real uvicorn process: SPARQLWrapper, rdflib's SPARQLStore."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from live_server import free_port, running
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from sparql_fixture import BASE, PREFIXES
from SPARQLWrapper import ASK, CONSTRUCT, DESCRIBE, JSON, SELECT, TURTLE, XML, SPARQLWrapper

SERVER = Path(__file__).resolve().parent / "serve_fixture.py"
PE0055 = URIRef(f"{BASE}id/commitment/PE0055")


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}/sparql"
    with running([sys.executable, str(SERVER), str(port)], url):
        yield url


def wrapper(url: str, query: str, fmt: str) -> SPARQLWrapper:
    client = SPARQLWrapper(url)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    return client


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_select(endpoint, method):
    client = wrapper(endpoint, PREFIXES + "SELECT ?id WHERE { ?c a ogp:Commitment ; "
                     "dcterms:identifier ?id } ORDER BY ?id", JSON)
    client.setMethod(method)
    assert client.queryType == SELECT
    results = client.query().convert()
    assert [b["id"]["value"] for b in results["results"]["bindings"]] == [
        "PE0055", "PE0056", "UK0063", "UK0064"]


@pytest.mark.parametrize("fmt", [JSON, XML])
def test_sparqlwrapper_ask(endpoint, fmt):
    client = wrapper(endpoint, PREFIXES + "ASK { ?c dcterms:identifier 'UK0063' }", fmt)
    assert client.queryType == ASK
    result = client.query().convert()
    answer = result["boolean"] if fmt == JSON else (
        result.getElementsByTagName("boolean")[0].firstChild.data == "true")
    assert answer is True


@pytest.mark.parametrize("fmt", [XML, TURTLE])
def test_sparqlwrapper_construct(endpoint, fmt):
    client = wrapper(endpoint, PREFIXES + "CONSTRUCT { ?c dcterms:identifier ?id } WHERE { "
                     "?c a ogp:Commitment ; dcterms:identifier ?id }", fmt)
    assert client.queryType == CONSTRUCT
    result = client.query().convert()
    graph = result if isinstance(result, Graph) else Graph().parse(data=result, format="turtle")
    assert len(graph) == 4
    assert (PE0055, URIRef("http://purl.org/dc/terms/identifier"), Literal("PE0055")) in graph


def test_sparqlwrapper_describe(endpoint):
    client = wrapper(endpoint, f"DESCRIBE <{PE0055}>", XML)
    assert client.queryType == DESCRIBE
    graph = client.query().convert()
    assert isinstance(graph, Graph)
    assert set(graph.subjects()) == {PE0055}
    assert len(graph) > 10


def test_rdflib_sparqlstore(endpoint):
    graph = Graph(store=SPARQLStore(endpoint))
    rows = list(graph.query(PREFIXES + "SELECT ?id ?title WHERE { ?c dcterms:identifier ?id ; "
                            "dcterms:title ?title FILTER(lang(?title) = 'es') }"))
    assert [(str(r.id), str(r.title)) for r in rows] == [
        ("PE0055", "Gestión de la participación ciudadana")]
    assert graph.query(PREFIXES + "ASK { ?c dcterms:identifier 'UK0064' }").askAnswer is True
    described = graph.query(f"DESCRIBE <{PE0055}>").graph
    assert described is not None and len(described) > 10
