"""The dataset of a query: union default graph, default-graph-uri, named-graph-uri, FROM;
a graph the dataset does not hold is refused; and no network: SERVICE is refused, FROM
never fetches."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient
from sparql_fixture import BASE, PERU_GRAPH, PREFIXES, STORE_LAYOUTS, UK_GRAPH, fixture_app

COMMITMENTS = PREFIXES + ("SELECT ?id WHERE { ?c a ogp:Commitment ; dcterms:identifier ?id } "
                          "ORDER BY ?id")
JSON_RESULTS = "application/sparql-results+json"
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


REMOTE = "http://remote.example.org/data.ttl"
LOCAL_FILE = "file:///etc/passwd"
ONTOLOGY = f"{BASE}graph/ontology"
ROWS = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 1"
NAMED_ROWS = "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 1"


def from_query(clause: str, pattern: str = "?s ?p ?o") -> str:
    return f"SELECT * {clause} WHERE {{ {pattern} }} LIMIT 1"


# request (query and protocol parameters) -> status, and the rows of a 200 or the graphs a
# 400 must name
DATASET_CASES = [
    ("FROM known", [("query", from_query(f"FROM <{PERU_GRAPH}>"))], 200, 1),
    ("FROM NAMED known", [("query", from_query(f"FROM NAMED <{UK_GRAPH}>",
                                               "GRAPH ?g { ?s ?p ?o }"))], 200, 1),
    ("FROM ontology", [("query", from_query(f"FROM <{ONTOLOGY}>"))], 200, 1),
    ("FROM prefixed known", [("query", f"PREFIX src: <{BASE}id/source/> "
                              + from_query("FROM src:page-00000000000000aa"))], 200, 1),
    ("FROM relative to BASE", [("query", f"BASE <{BASE}id/source/> "
                                + from_query("FROM <page-00000000000000bb>"))], 200, 1),
    ("default-graph-uri known", [("query", ROWS), ("default-graph-uri", UK_GRAPH)], 200, 1),
    ("named-graph-uri known", [("query", NAMED_ROWS), ("named-graph-uri", PERU_GRAPH)], 200,
     1),
    ("GRAPH <unknown> is a pattern",
     [("query", from_query("", f"GRAPH <{REMOTE}> {{ ?s ?p ?o }}"))], 200, 0),
    ("FROM http", [("query", from_query(f"FROM <{REMOTE}>"))], 400, [REMOTE]),
    ("FROM file", [("query", from_query(f"FROM <{LOCAL_FILE}>"))], 400, [LOCAL_FILE]),
    ("FROM NAMED http", [("query", from_query(f"FROM NAMED <{REMOTE}>",
                                              "GRAPH ?g { ?s ?p ?o }"))], 400, [REMOTE]),
    ("FROM NAMED file", [("query", from_query(f"FROM NAMED <{LOCAL_FILE}>"))], 400,
     [LOCAL_FILE]),
    ("from, lower case", [("query", from_query(f"from <{REMOTE}>"))], 400, [REMOTE]),
    ("FROM as an escape", [("query", from_query(f"\\u0046ROM <{REMOTE}>"))], 400, [REMOTE]),
    ("FROM prefixed unknown", [("query", "PREFIX r: <http://remote.example.org/> "
                                + from_query("FROM r:data.ttl"))], 400, [REMOTE]),
    ("FROM known and unknown", [("query", from_query(f"FROM <{PERU_GRAPH}> FROM <{REMOTE}>"))],
     400, [REMOTE]),
    ("FROM the engine's union", [("query", from_query("FROM <urn:ogpgraph:union>"))], 400,
     ["urn:ogpgraph:union"]),
    ("default-graph-uri http", [("query", ROWS), ("default-graph-uri", REMOTE)], 400, [REMOTE]),
    ("default-graph-uri file", [("query", ROWS), ("default-graph-uri", LOCAL_FILE)], 400,
     [LOCAL_FILE]),
    ("named-graph-uri http", [("query", NAMED_ROWS), ("named-graph-uri", REMOTE)], 400,
     [REMOTE]),
    ("named-graph-uri file", [("query", NAMED_ROWS), ("named-graph-uri", LOCAL_FILE)], 400,
     [LOCAL_FILE]),
    ("known and unknown parameters", [("query", ROWS), ("default-graph-uri", UK_GRAPH),
                                      ("named-graph-uri", LOCAL_FILE)], 400, [LOCAL_FILE]),
    ("parameter known, FROM unknown", [("query", from_query(f"FROM <{REMOTE}>")),
                                       ("default-graph-uri", UK_GRAPH)], 400, [REMOTE]),
]


@pytest.mark.parametrize("params, status, expected", [c[1:] for c in DATASET_CASES],
                         ids=[c[0] for c in DATASET_CASES])
def test_a_dataset_naming_a_graph_not_held_is_refused(client, params, status, expected):
    """A graph of the dataset answers as before; any other (on the web, a local file, the
    engine's own) is a 400 naming it and saying where the dataset's graphs are listed."""
    response = client.get("/sparql", params=params, headers={"Accept": JSON_RESULTS})
    assert response.status_code == status, response.text
    if status == 200:
        assert len(json.loads(response.text)["results"]["bindings"]) == expected
        return
    for iri in expected:
        assert f"<{iri}> names a graph not in this dataset" in response.text
    assert PERU_GRAPH not in response.text and UK_GRAPH not in response.text
    assert f"service description, {BASE}sparql" in response.text


def test_the_refusal_is_in_the_representation_asked_for(client):
    """Through the one error path: problem details to a program that accepts them, the
    query page (with the message) to a browser."""
    params = {"query": from_query(f"FROM <{REMOTE}>")}
    problem = client.get("/sparql", params=params, headers={
        "Accept": f"{JSON_RESULTS}, application/problem+json;q=0.5"})
    assert problem.status_code == 400
    assert problem.headers["content-type"].startswith("application/problem+json")
    detail = problem.json()["detail"]
    assert detail.startswith(f"FROM <{REMOTE}> names a graph not in this dataset")
    page = client.get("/sparql", params=params, headers={"Accept": "text/html"})
    assert page.status_code == 400
    assert page.headers["content-type"].startswith("text/html")
    assert f"FROM &lt;{REMOTE}&gt; names a graph not in this dataset" in page.text


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
    ("SELECT * FROM <http://127.0.0.1:{port}/data.ttl> WHERE {{ ?s ?p ?o }}", 400),
    ("SELECT * FROM NAMED <http://127.0.0.1:{port}/data.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
     400),
    ("SELECT * WHERE {{ GRAPH <http://127.0.0.1:{port}/data.ttl> {{ ?s ?p ?o }} }}", 200),
    ("LOAD <http://127.0.0.1:{port}/data.ttl>", 400),
])
def test_no_network_fetches(client, listener, template, status):
    server, port = listener
    response = client.get("/sparql", params={"query": template.format(port=port)})
    assert response.status_code == status, response.text
    if status == 200:
        assert json.loads(response.text)["results"]["bindings"] == []
    assert not connected(server)
