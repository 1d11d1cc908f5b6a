"""The ontology, vocabularies, shapes and validation report at their own URIs."""

from __future__ import annotations

import pytest
from browse_fixtures import make_client, write_release
from rdflib import Graph, Literal
from rdflib.namespace import OWL, RDF
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from ogpgraph.graph.static_files import SHAPES_FILE, load_graph
from ogpgraph.graph.terms import CLASSES, PROPERTIES, SH, ontology_namespace

BROWSER = {"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory):
    return write_release(tmp_path_factory.mktemp("vocab") / "release")


@pytest.fixture(scope="module")
def client(release):
    return make_client(release[0])


@pytest.mark.parametrize(("url", "accept", "status", "content_type"), [
    ("/ontology", BROWSER["accept"], 200, "text/html"),
    ("/ontology", None, 200, "text/turtle"),
    ("/ontology", "*/*", 200, "text/turtle"),
    ("/ontology", "application/ld+json", 200, "application/ld+json"),
    ("/ontology", "application/rdf+xml", 200, "application/rdf+xml"),
    ("/ontology", "image/png", 406, "text/plain"),
    ("/ontology.ttl", BROWSER["accept"], 200, "text/turtle"),
    ("/ontology.jsonld", None, 200, "application/ld+json"),
    ("/ontology.rdf", None, 200, "application/rdf+xml"),
    ("/ontology.nt", None, 200, "application/n-triples"),
    ("/ontology.html", None, 200, "text/html"),
    ("/ontology.exe", None, 404, "text/plain"),
    ("/ontology.exe", BROWSER["accept"], 404, "text/html"),
    ("/ontology.exe", "application/json", 404, "application/problem+json"),
    ("/vocabularies", BROWSER["accept"], 200, "text/html"),
    ("/vocabularies", None, 200, "text/turtle"),
    ("/vocabularies.jsonld", None, 200, "application/ld+json"),
    ("/shapes", BROWSER["accept"], 200, "text/html"),
    ("/shapes", None, 200, "text/turtle"),
    ("/shapes.rdf", None, 200, "application/rdf+xml"),
    ("/validation-report", BROWSER["accept"], 200, "text/html"),
    ("/validation-report", None, 200, "text/turtle"),
    ("/validation-report.jsonld", None, 200, "application/ld+json"),
    ("/policy-areas", BROWSER["accept"], 200, "text/html"),
])
def test_routes(client, url: str, accept: str | None, status: int, content_type: str) -> None:
    response = client.get(url, headers={"accept": accept} if accept else {})
    assert response.status_code == status
    assert response.headers["content-type"].startswith(content_type)
    if status == 200 and not content_type.startswith("text/html"):
        fmt = {"text/turtle": "turtle", "application/ld+json": "json-ld",
               "application/rdf+xml": "xml", "application/n-triples": "nt"}[content_type]
        assert len(Graph().parse(data=response.content, format=fmt)) > 0


def test_negotiated_ontology_names_its_variant(client, release) -> None:
    base = release[0].base
    html = client.get("/ontology", headers=BROWSER)
    assert "Accept" in html.headers["vary"]
    assert html.headers["content-location"] == f"{base}ontology.html"
    turtle = client.get("/ontology")
    assert turtle.headers["content-location"] == f"{base}ontology.ttl"
    assert turtle.headers["vary"] == "Accept"
    assert f'<{base}ontology.jsonld>; rel="alternate"' in turtle.headers["link"]
    explicit = client.get("/ontology.ttl")
    assert "content-location" not in explicit.headers
    assert explicit.content == turtle.content


def test_ontology_rdf_formats_agree(client, release) -> None:
    ogp = ontology_namespace(release[0].base)
    turtle = Graph().parse(data=client.get("/ontology").content, format="turtle")
    jsonld = Graph().parse(data=client.get(
        "/ontology", headers={"accept": "application/ld+json"}).content, format="json-ld")
    assert len(turtle) == len(jsonld)
    assert (ogp.Commitment, RDF.type, OWL.Class) in turtle
    assert (release[0].uris.ontology, RDF.type, OWL.Ontology) in jsonld


def test_ontology_html_documents_every_term_with_usage(client, release) -> None:
    published, expected = release
    text = client.get("/ontology", headers=BROWSER).text
    tree = HTMLParser(text)
    anchors = {node.attributes["id"] for node in tree.css("section[id]")}
    assert set(CLASSES) <= anchors
    assert set(PROPERTIES) <= anchors
    commitment = tree.css_first("section#Commitment").text()
    assert f"{expected.commitments} instance(s)" in commitment
    assert "doc/commitment/BUE0001.html" in tree.css_first("section#Commitment").html
    # labels in three languages, with lang attributes
    assert tree.css_first('section#Commitment span[lang="es"]') is not None
    assert tree.css_first('section#Commitment span[lang="fr"]') is not None
    member = tree.css_first("section#member").text()
    assert "Domain" in member and "Range" in member
    relations = tree.css_first('section[aria-labelledby="relations-h"]')
    assert relations is not None and len(relations.css("tbody tr")) > 5
    assert 'type="application/ld+json"' in text


def test_vocabularies_html_lists_schemes_in_order_with_counts(client) -> None:
    tree = HTMLParser(client.get("/vocabularies", headers=BROWSER).text)
    completion = tree.css_first('section[aria-labelledby="scheme-completion"]')
    assert completion is not None
    rows = [[td.text() for td in tr.css("td")] for tr in completion.css("tbody tr")]
    assert [r[0] for r in rows] == ["Not Started", "Limited", "Substantial", "Complete"]
    assert [r[-1] for r in rows] == ["15", "15", "15", "15"]
    areas = tree.css_first('section[aria-labelledby="scheme-policy-area"]')
    assert areas is not None and "commitments?policy_area=open-data" in areas.html


def test_shapes_html_lists_every_shape(client) -> None:
    shapes = load_graph(SHAPES_FILE)
    names = {str(s).rsplit("#", 1)[-1] for s in shapes.subjects(RDF.type, SH.NodeShape)
             if "#" in str(s)}
    assert names
    tree = HTMLParser(client.get("/shapes", headers=BROWSER).text)
    anchors = {node.attributes["id"] for node in tree.css("section[id]")}
    assert names <= anchors
    text = tree.text()
    assert "Warning" in text and "Violation" in text
    assert "sh:minCount" in text
    assert "targetClass" in text


def test_validation_report_html(client, release) -> None:
    text = client.get("/validation-report", headers=BROWSER).text
    assert "the data does not conform" in text
    assert "1 violation" in text
    tree = HTMLParser(text)
    row = tree.css_first("tbody tr")
    assert row is not None
    link = row.css_first("a")
    assert link.attributes["href"] == f"{release[0].base}doc/commitment/PE0001.html"
    assert "dcterms:title" in row.text()
    assert "&lt;b&gt;commitment&lt;/b&gt;" in text  # the message is escaped


def test_validation_report_turtle(client) -> None:
    graph = Graph().parse(data=client.get("/validation-report.ttl").content, format="turtle")
    assert (None, SH.conforms, Literal(False)) in graph


def test_no_validation_report_without_a_build_folder(release) -> None:
    published, _ = release
    from ogpgraph.web.published import PublishedBuild

    bare = make_client(PublishedBuild(store=published.store, base=published.base,
                                      manifest=published.manifest))
    assert bare.get("/validation-report.ttl").status_code == 404
    assert "no validation report" in bare.get("/validation-report", headers=BROWSER).text


def test_caching(client) -> None:
    first = client.get("/ontology.ttl")
    assert first.headers["etag"] and first.headers["last-modified"]
    assert client.get("/ontology.ttl", headers={"if-none-match": first.headers["etag"]}
                      ).status_code == 304
    html = client.get("/shapes", headers=BROWSER)
    assert client.get("/shapes", headers={**BROWSER, "if-none-match": html.headers["etag"]}
                      ).status_code == 304
    assert client.get("/shapes").headers["etag"] != html.headers["etag"]
