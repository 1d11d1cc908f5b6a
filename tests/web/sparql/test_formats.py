"""Result formats by content negotiation (q-values, wildcards) and by ``format=``."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from sparql_fixture import BASE, PREFIXES

SELECT = PREFIXES + ("SELECT ?id ?title WHERE { ?c a ogp:Commitment ; dcterms:identifier ?id ; "
                     "dcterms:title ?title FILTER(langMatches(lang(?title), 'en')) } ORDER BY ?id")
ASK = PREFIXES + "ASK { ?c dcterms:identifier 'UK0063' }"
ASK_FALSE = PREFIXES + "ASK { ?c dcterms:identifier 'XX9999' }"
CONSTRUCT = PREFIXES + ("CONSTRUCT { ?c dcterms:identifier ?id } "
                        "WHERE { ?c a ogp:Commitment ; dcterms:identifier ?id }")
DESCRIBE = f"DESCRIBE <{BASE}id/commitment/PE0055>"
PE0055 = URIRef(f"{BASE}id/commitment/PE0055")


def select_ids_json(body: bytes) -> list[str]:
    return [b["id"]["value"] for b in json.loads(body)["results"]["bindings"]]


def select_ids_xml(body: bytes) -> list[str]:
    parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.XML)
    return [solution["id"].value for solution in parsed]


def select_ids_csv(body: bytes) -> list[str]:
    rows = list(csv.DictReader(io.StringIO(body.decode())))
    return [row["id"] for row in rows]


def select_ids_tsv(body: bytes) -> list[str]:
    parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.TSV)
    return [solution["id"].value for solution in parsed]


IDS = ["PE0055", "PE0056", "UK0063", "UK0064"]

SELECT_CASES = [
    # (Accept header, format param, expected content type, body reader)
    (None, None, "application/sparql-results+json", select_ids_json),
    ("*/*", None, "application/sparql-results+json", select_ids_json),
    ("application/sparql-results+json", None, "application/sparql-results+json", select_ids_json),
    ("application/json", None, "application/sparql-results+json", select_ids_json),
    ("application/sparql-results+xml", None, "application/sparql-results+xml", select_ids_xml),
    ("text/csv", None, "text/csv", select_ids_csv),
    ("text/tab-separated-values", None, "text/tab-separated-values", select_ids_tsv),
    ("text/csv;q=0.5, application/sparql-results+xml", None,
     "application/sparql-results+xml", select_ids_xml),
    ("text/tab-separated-values;q=0.9, text/csv", None, "text/csv", select_ids_csv),
    ("application/*", None, "application/sparql-results+json", select_ids_json),
    ("image/png, */*;q=0.1", None, "application/sparql-results+json", select_ids_json),
    ("application/sparql-results+xml;q=0.2, application/sparql-results+json;q=0.8", None,
     "application/sparql-results+json", select_ids_json),
    # format= wins over Accept
    ("application/sparql-results+xml", "json", "application/sparql-results+json",
     select_ids_json),
    ("text/html", "csv", "text/csv", select_ids_csv),
    (None, "xml", "application/sparql-results+xml", select_ids_xml),
    (None, "tsv", "text/tab-separated-values", select_ids_tsv),
    (None, "text/csv", "text/csv", select_ids_csv),
]


@pytest.mark.parametrize("accept, fmt, content_type, read", SELECT_CASES)
def test_select_formats(client, accept, fmt, content_type, read):
    headers = {"Accept": accept} if accept else {}
    params = {"query": SELECT, **({"format": fmt} if fmt else {})}
    response = client.get("/sparql", params=params, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == content_type
    assert read(response.content) == IDS
    assert "Accept" in response.headers["vary"]


@pytest.mark.parametrize("query, expected", [(ASK, True), (ASK_FALSE, False)])
@pytest.mark.parametrize("accept, content_type", [
    (None, "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
])
def test_ask(client, query, expected, accept, content_type):
    headers = {"Accept": accept} if accept else {}
    response = client.post("/sparql", data={"query": query}, headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == content_type
    parsed = ox.parse_query_results(
        response.content, format=ox.QueryResultsFormat.from_media_type(content_type))
    assert bool(parsed) is expected


GRAPH_CASES = [
    # (Accept, format param, expected content type, rdflib parser name)
    (None, None, "text/turtle", "turtle"),
    ("*/*", None, "text/turtle", "turtle"),
    ("text/turtle", None, "text/turtle", "turtle"),
    ("application/ld+json", None, "application/ld+json", "json-ld"),
    ("application/n-triples", None, "application/n-triples", "nt"),
    ("application/rdf+xml", None, "application/rdf+xml", "xml"),
    ("application/n-quads", None, "application/n-quads", "nquads"),
    ("application/trig", None, "application/trig", "trig"),
    ("application/rdf+xml;q=0.3, application/n-triples;q=0.6", None,
     "application/n-triples", "nt"),
    ("text/turtle", "jsonld", "application/ld+json", "json-ld"),
    (None, "nt", "application/n-triples", "nt"),
    (None, "rdf", "application/rdf+xml", "xml"),
    (None, "xml", "application/rdf+xml", "xml"),
    (None, "json", "application/ld+json", "json-ld"),
    (None, "ttl", "text/turtle", "turtle"),
    (None, "nq", "application/n-quads", "nquads"),
    (None, "trig", "application/trig", "trig"),
]


@pytest.mark.parametrize("query, check", [
    (CONSTRUCT, lambda g: len(g) == 4 and (PE0055, None, None) in g),
    (DESCRIBE, lambda g: len(g) > 10 and {s for s in g.subjects()} == {PE0055}),
])
@pytest.mark.parametrize("accept, fmt, content_type, syntax", GRAPH_CASES)
def test_graph_formats(client, query, check, accept, fmt, content_type, syntax):
    headers = {"Accept": accept} if accept else {}
    params = {"query": query, **({"format": fmt} if fmt else {})}
    response = client.get("/sparql", params=params, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == content_type
    graph = Graph()
    graph.parse(data=response.content, format=syntax)
    assert check(graph)


def test_download_links_get_a_file_name(client):
    response = client.get("/sparql", params={"query": SELECT, "format": "csv"})
    assert 'filename="query-results.csv"' in response.headers["content-disposition"]


def test_literals_survive_every_results_format(client):
    """Language tags and datatypes come through the JSON -> XML/TSV conversion."""
    query = PREFIXES + ("SELECT ?t ?n WHERE { ?c dcterms:identifier 'PE0055' ; dcterms:title ?t ; "
                        "ogp:commitmentNumber ?n } ORDER BY ?t")
    for fmt in ("json", "xml", "tsv"):
        body = client.get("/sparql", params={"query": query, "format": fmt}).content
        media = {"json": "application/sparql-results+json",
                 "xml": "application/sparql-results+xml", "tsv": "text/tab-separated-values"}
        rows = list(ox.parse_query_results(
            body, format=ox.QueryResultsFormat.from_media_type(media[fmt])))
        assert [r["t"].language for r in rows] == ["es", "en"], fmt
        assert rows[0]["n"].datatype.value == "http://www.w3.org/2001/XMLSchema#integer", fmt
