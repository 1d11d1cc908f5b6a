"""The SPARQL 1.1 Protocol: the three ways to send a query, every refusal, CORS."""

from __future__ import annotations

import json
import re

import pytest
from sparql_fixture import PREFIXES

SELECT = PREFIXES + "SELECT ?id WHERE { ?c a ogp:Commitment ; dcterms:identifier ?id } ORDER BY ?id"
IDS = ["PE0055", "PE0056", "UK0063", "UK0064"]


def ids_of(body: str) -> list[str]:
    return [b["id"]["value"] for b in json.loads(body)["results"]["bindings"]]


@pytest.mark.parametrize("method, kwargs", [
    ("GET", {"params": {"query": SELECT}}),
    ("POST", {"data": {"query": SELECT}}),
    ("POST", {"content": SELECT.encode(),
              "headers": {"Content-Type": "application/sparql-query"}}),
    ("POST", {"content": SELECT.encode(),
              "headers": {"Content-Type": "application/sparql-query; charset=utf-8"}}),
])
def test_three_ways_to_send_a_query(client, method, kwargs):
    response = client.request(method, "/sparql", **kwargs)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    assert ids_of(response.text) == IDS


REFUSALS = [
    # (description, method, request kwargs, status, text the message must contain)
    ("syntax error", "GET", {"params": {"query": "SELECT * WHERE {\n  ?s ?p \n}"}},
     400, "syntax error"),
    ("empty query", "GET", {"params": {"query": "  "}}, 400, "empty"),
    ("form without query", "POST", {"data": {"format": "json"}}, 400, "no query"),
    ("two queries in the URL", "GET", {"params": [("query", SELECT), ("query", SELECT)]},
     400, "more than one"),
    ("query in body and URL", "POST",
     {"params": {"query": SELECT}, "content": SELECT.encode(),
      "headers": {"Content-Type": "application/sparql-query"}}, 400, "two queries"),
    ("two queries in a form", "POST", {"content": b"query=ASK{}&query=ASK{}",
     "headers": {"Content-Type": "application/x-www-form-urlencoded"}}, 400, "more than one"),
    ("INSERT DATA", "GET", {"params": {"query": "INSERT DATA { <a:b> <a:c> <a:d> }"}},
     400, "updates are not allowed"),
    ("DELETE WHERE after a prologue", "POST",
     {"data": {"query": PREFIXES + "# comment\nDELETE WHERE { ?s ?p ?o }"}},
     400, "updates are not allowed"),
    ("LOAD", "GET", {"params": {"query": "LOAD <http://127.0.0.1:9/data.ttl>"}},
     400, "updates are not allowed"),
    ("CLEAR", "GET", {"params": {"query": "clear all"}}, 400, "updates are not allowed"),
    ("DROP", "GET", {"params": {"query": "DROP GRAPH <http://x/>"}}, 400, "updates"),
    ("CREATE", "GET", {"params": {"query": "CREATE GRAPH <http://x/>"}}, 400, "updates"),
    ("update parameter", "POST", {"data": {"update": "CLEAR ALL"}}, 400, "updates"),
    ("sparql-update body", "POST", {"content": b"CLEAR ALL",
     "headers": {"Content-Type": "application/sparql-update"}}, 400, "updates"),
    ("SERVICE", "GET", {"params": {"query": "SELECT * WHERE { service <http://x/> { ?s ?p ?o } }"}},
     400, "SERVICE is not allowed"),
    ("unsupported body type", "POST", {"content": SELECT.encode(),
     "headers": {"Content-Type": "text/plain"}}, 415, "unsupported request body type"),
    ("no body type", "POST", {"content": SELECT.encode()}, 415, "unsupported"),
    ("body too large (declared)", "POST", {"data": {"query": SELECT + " " * 20_000}},
     413, "larger than 10000 bytes"),
    ("PUT", "PUT", {"content": SELECT.encode()}, 405, "not allowed"),
    ("DELETE", "DELETE", {}, 405, "not allowed"),
    ("PATCH", "PATCH", {}, 405, "not allowed"),
    ("nothing acceptable", "GET", {"params": {"query": SELECT}, "headers": {"Accept": "image/png"}},
     406, "application/sparql-results+json"),
    ("graph format for a SELECT", "GET", {"params": {"query": SELECT, "format": "ttl"}},
     406, "not available"),
    ("results format for a CONSTRUCT", "GET",
     {"params": {"query": "CONSTRUCT WHERE { ?s ?p ?o }", "format": "csv"}}, 406, "turtle"),
    ("unknown format", "GET", {"params": {"query": SELECT, "format": "docx"}}, 400,
     "unknown format"),
    ("not an IRI as default-graph-uri", "GET",
     {"params": {"query": SELECT, "default-graph-uri": "not an iri"}}, 400, "absolute IRI"),
]


@pytest.mark.parametrize("method, kwargs, status, message",
                         [r[1:] for r in REFUSALS], ids=[r[0] for r in REFUSALS])
def test_refusals(client, method, kwargs, status, message):
    response = client.request(method, "/sparql", **kwargs)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("text/plain")
    assert message.lower() in response.text.lower()
    assert response.headers["access-control-allow-origin"] == "*"


def test_syntax_error_names_line_and_column(client):
    response = client.get("/sparql", params={"query": "SELECT * WHERE {\n  ?s ?p \n}"})
    assert response.status_code == 400
    assert re.search(r"\b3:\d+\b", response.text), response.text  # the error is on line 3


def test_405_lists_allowed_methods(client):
    response = client.put("/sparql", content=b"x")
    assert set(response.headers["allow"].replace(" ", "").split(",")) == {
        "GET", "HEAD", "POST", "OPTIONS"}


def test_body_limit_without_content_length(client):
    def chunks():
        for _ in range(30):
            yield b"query=" + b"x" * 500

    response = client.post("/sparql", content=chunks(),
                           headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 413


def test_415_says_which_types_are_accepted(client):
    response = client.post("/sparql", content=b"{}", headers={"Content-Type": "application/json"})
    assert response.status_code == 415
    assert "application/sparql-query" in response.headers["accept-post"]


@pytest.mark.parametrize("query", [
    # keywords in strings, comments and IRIs are not keywords
    PREFIXES + 'SELECT ?t WHERE { ?c dcterms:title ?t FILTER(CONTAINS(?t, "SERVICE INSERT")) }',
    "# SERVICE <http://x/> and LOAD are only mentioned here\nASK { ?s ?p ?o }",
    "SELECT ?service WHERE { ?service ?p <http://example.org/SERVICE> } LIMIT 1",
    "PREFIX service: <http://x/>\nASK { ?s service:delete ?o }",
])
def test_keywords_inside_strings_comments_and_names_are_fine(client, query):
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_cors_on_answers(client, method):
    kwargs = {"params": {"query": SELECT}} if method == "GET" else {"data": {"query": SELECT}}
    response = client.request(method, "/sparql", headers={"Origin": "https://example.org"},
                              **kwargs)
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"


def test_cors_preflight(client):
    response = client.options("/sparql", headers={
        "Origin": "https://example.org", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type, accept"})
    assert response.status_code == 204
    assert response.headers["access-control-allow-origin"] == "*"
    assert "POST" in response.headers["access-control-allow-methods"]
    assert "content-type" in response.headers["access-control-allow-headers"].lower()


def test_head_answers_like_get(client):
    response = client.head("/sparql", params={"query": SELECT})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/sparql-results+json")


def test_in_process_executor_answers_the_same(client, inprocess_client):
    via_workers = client.get("/sparql", params={"query": SELECT})
    in_process = inprocess_client.get("/sparql", params={"query": SELECT})
    assert in_process.status_code == 200
    assert ids_of(in_process.text) == ids_of(via_workers.text) == IDS


def test_a_passed_pre_check_is_remembered_and_a_refusal_never_is() -> None:
    """The same text asked again is not scanned again; a refused one is refused each time
    (lru_cache keeps no exception), so remembering never lets a refused text through."""
    from ogpgraph.web.sparql.protocol import ProtocolError, precheck_query

    text = "SELECT * WHERE { ?s ?p ?o } LIMIT 1 # remembered"
    before = precheck_query.cache_info().hits
    assert precheck_query(text) == precheck_query(text) == "SELECT"
    assert precheck_query.cache_info().hits == before + 1
    federated = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"
    for _ in range(2):
        with pytest.raises(ProtocolError):
            precheck_query(federated)
