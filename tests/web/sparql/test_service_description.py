"""GET /sparql without a query: the SPARQL 1.1 Service Description, or the query page."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, VOID
from sparql_fixture import BASE, PERU_GRAPH

from ogpgraph.graph.terms import SD

ENDPOINT = URIRef(f"{BASE}sparql")
FORMATS = "http://www.w3.org/ns/formats/"


@pytest.mark.parametrize("accept, content_type, syntax", [
    (None, "text/turtle", "turtle"),
    ("*/*", "text/turtle", "turtle"),
    ("text/turtle", "text/turtle", "turtle"),
    ("application/ld+json", "application/ld+json", "json-ld"),
    ("application/rdf+xml", "application/rdf+xml", "xml"),
    ("application/rdf+xml;q=0.5, application/ld+json", "application/ld+json", "json-ld"),
])
def test_service_description(client, accept, content_type, syntax):
    response = client.get("/sparql", headers={"Accept": accept} if accept else {})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == content_type
    assert response.headers["access-control-allow-origin"] == "*"
    g = Graph().parse(data=response.content, format=syntax)
    service = g.value(None, SD.endpoint, ENDPOINT)
    assert (service, RDF.type, SD.Service) in g
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in g
    # not the plain union: where sources disagree the default graph keeps one value
    assert (service, SD.feature, SD.UnionDefaultGraph) not in g
    assert "precedence of sources" in str(g.value(service, RDFS.comment))
    formats = {str(o) for o in g.objects(service, SD.resultFormat)}
    assert {f"{FORMATS}SPARQL_Results_JSON", f"{FORMATS}SPARQL_Results_CSV", f"{FORMATS}Turtle",
            f"{FORMATS}JSON-LD", f"{FORMATS}RDF_XML"} <= formats
    dataset = g.value(service, SD.defaultDataset)
    default_graph = g.value(dataset, SD.defaultGraph)
    assert int(g.value(default_graph, VOID.triples)) > 100
    names = {str(g.value(n, SD.name)) for n in g.objects(dataset, SD.namedGraph)}
    assert len(names) == 4 and PERU_GRAPH in names
    sizes = [int(g.value(g.value(n, SD.graph), VOID.triples))
             for n in g.objects(dataset, SD.namedGraph)]
    assert all(size > 0 for size in sizes)
    # which graph holds what
    assert "precedence of sources" in str(g.value(default_graph, RDFS.comment))
    for named in g.objects(dataset, SD.namedGraph):
        assert g.value(g.value(named, SD.graph), RDFS.comment) is not None


def test_html_gets_the_query_page(client):
    response = client.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,"
                                              "application/xml;q=0.9,*/*;q=0.8"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "<textarea" in response.text


def test_description_formats_only(client):
    response = client.get("/sparql", headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 406
    assert "text/turtle" in response.text


def test_the_description_is_made_once_per_build(client, monkeypatch):
    """It lists every named graph (thousands in a large build): made once, then replayed."""
    from ogpgraph.web.sparql import endpoint as sparql

    made: list[int] = []
    real = sparql.service_description
    monkeypatch.setattr(sparql, "service_description",
                        lambda *args: made.append(1) or real(*args))
    client.app.state.published._memo.clear()  # as after start-up: nothing computed yet
    bodies = [client.get("/sparql", headers={"Accept": "application/ld+json"}).content
              for _ in range(3)]
    assert made == [1]
    assert bodies[0] == bodies[1] == bodies[2]
    client.get("/sparql", headers={"Accept": "text/turtle"})
    assert made == [1, 1]  # each format serialised once


def test_graph_sizes_come_from_the_manifest_when_the_build_counted_them():
    from sparql_fixture import fixture_published

    from ogpgraph.web.sparql.description import graph_sizes

    published = fixture_published()
    counted = graph_sizes(published.store, {})
    assert len(counted) == 4 and all(n > 0 for _, n in counted)
    recorded = {"graph_triples": [[PERU_GRAPH, 7]]}
    assert graph_sizes(published.store, recorded) == [(PERU_GRAPH, 7)]
