"""The dataset of a query: union default graph, default-graph-uri, named-graph-uri, FROM;
and no network: SERVICE is refused, FROM never fetches."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient
from sparql_fixture import PERU_GRAPH, PREFIXES, STORE_LAYOUTS, UK_GRAPH, fixture_app

COMMITMENTS = PREFIXES + ("SELECT ?id WHERE { ?c a ogp:Commitment ; dcterms:identifier ?id } "
                          "ORDER BY ?id")
GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"


@pytest.fixture(scope="module", params=STORE_LAYOUTS)
def client(request) -> Iterator[TestClient]:
    """The same dataset semantics whether Oxigraph takes the union of the named graphs per
    query, the store holds it as its default graph, or memory holds the union alone and
    the queries that read named graphs go to the on-disk store (as ``ogpgraph serve``)."""
    app = fixture_app(request.param, query_workers=2)
    with TestClient(app) as test_client:
        yield test_client


def column(response, name: str) -> list[str]:
    assert response.status_code == 200, response.text
    return [b[name]["value"] for b in json.loads(response.text)["results"]["bindings"]
            if name in b]


@pytest.mark.parametrize("params, expected", [
    ([], ["PE0055", "PE0056", "UK0063", "UK0064"]),  # union of all graphs
    ([("default-graph-uri", UK_GRAPH)], ["UK0063", "UK0064"]),
    ([("default-graph-uri", PERU_GRAPH)], ["PE0055", "PE0056"]),
    ([("default-graph-uri", PERU_GRAPH), ("default-graph-uri", UK_GRAPH)],
     ["PE0055", "PE0056", "UK0063", "UK0064"]),
    ([("named-graph-uri", UK_GRAPH)], []),  # a named graph only: the default graph is empty
    ([("default-graph-uri", "http://example.org/not-a-graph")], []),
])
def test_default_graph_uri(client, params, expected):
    response = client.get("/sparql", params=[("query", COMMITMENTS), *params])
    assert column(response, "id") == expected


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_named_graph_uri_limits_graph_patterns(client, method):
    params = [("query", GRAPHS), ("named-graph-uri", UK_GRAPH)]
    response = (client.get("/sparql", params=params) if method == "GET"
                else client.post("/sparql", content=urlencode(params),
                                 headers={"Content-Type": "application/x-www-form-urlencoded"}))
    assert column(response, "g") == [UK_GRAPH]


def test_all_named_graphs_without_parameters(client):
    assert len(column(client.get("/sparql", params={"query": GRAPHS}), "g")) == 4


def test_dataset_parameters_with_a_direct_post(client):
    response = client.post("/sparql", params={"default-graph-uri": UK_GRAPH},
                           content=COMMITMENTS.encode(),
                           headers={"Content-Type": "application/sparql-query"})
    assert column(response, "id") == ["UK0063", "UK0064"]


def test_from_selects_a_graph_of_the_store(client):
    query = COMMITMENTS.replace("SELECT ?id WHERE", f"SELECT ?id FROM <{PERU_GRAPH}> WHERE")
    assert column(client.get("/sparql", params={"query": query}), "id") == ["PE0055", "PE0056"]


@pytest.fixture()
def listener() -> Iterator[tuple[socket.socket, int]]:
    """A listening socket on 127.0.0.1: a connection attempt would be accepted."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.5)
    yield server, server.getsockname()[1]
    server.close()


def connected(server: socket.socket) -> bool:
    try:
        connection, _ = server.accept()
    except TimeoutError:
        return False
    connection.close()
    return True


@pytest.mark.parametrize("template, status", [
    ("SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}", 400),
    ("SELECT * WHERE {{ ?x ?y ?z . SERVICE SILENT <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}",
     400),
    ("SELECT * WHERE {{ ?x ?y ?z .SERVICE<http://127.0.0.1:{port}/>{{?s ?p ?o}} }}", 400),
    ("SELECT * FROM <http://127.0.0.1:{port}/data.ttl> WHERE {{ ?s ?p ?o }}", 200),
    ("SELECT * FROM NAMED <http://127.0.0.1:{port}/data.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
     200),
    ("LOAD <http://127.0.0.1:{port}/data.ttl>", 400),
])
def test_no_network_fetches(client, listener, template, status):
    server, port = listener
    response = client.get("/sparql", params={"query": template.format(port=port)})
    assert response.status_code == status, response.text
    if status == 200:
        assert json.loads(response.text)["results"]["bindings"] == []
    assert not connected(server)
