"""Dereferenceable resources: 303s, documents per format, conneg, caching, HTML pages."""

from __future__ import annotations

import json
import re

import pytest
from browse_fixtures import StoreSpy
from fastapi.testclient import TestClient
from rdflib import Graph, URIRef
from rdflib.namespace import FOAF
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from ogpgraph.config import DEFAULT_BASE_URI
from ogpgraph.web.http_cache import is_not_modified, make_etag
from ogpgraph.web.published import PublishedBuild
from ogpgraph.web.reader_labels import lang_from_accept_language, pick_literal
from ogpgraph.web.resource_document import HYDRA, build_document

B = DEFAULT_BASE_URI
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"
RDF_EXT = {"ttl": ("text/turtle", "turtle"), "jsonld": ("application/ld+json", "json-ld"),
           "nt": ("application/n-triples", "nt"), "rdf": ("application/rdf+xml", "xml")}

# every kind of our URI scheme present in the fixture dataset
RESOURCES = [
    "commitment/PE0055", "commitment/PE0056", "commitment/UK0063", "milestone/PE0055-1",
    "assessment/PE0055-mid-term", "member/peru", "member/united-kingdom",
    "action-plan/peru-2015", "irm-report/peru-2015-end-of-term", "institution/peru/proetica",
    "source/page-0123456789abcdef", "policy-area/open-data", "policy-area",
    "completion/substantial", "report-kind/end-of-term",
]


def get(client: TestClient, path: str, accept: str | None = None, **headers: str):
    if accept is not None:
        headers["accept"] = accept
    return client.get(path, headers=headers, follow_redirects=False)


# ---------------------------------------------------------------- 303 and conneg

@pytest.mark.parametrize(("accept", "ext"), [
    (None, "ttl"),
    ("*/*", "ttl"),
    ("text/html", "html"),
    (BROWSER, "html"),
    ("text/turtle", "ttl"),
    ("application/ld+json", "jsonld"),
    ("application/n-triples", "nt"),
    ("application/rdf+xml", "rdf"),
    ("application/json", "jsonld"),
    ("text/html;q=0.5, text/turtle;q=0.9", "ttl"),
    ("text/html;q=0.9, application/ld+json", "jsonld"),
    ("application/*;q=0.5, application/n-triples", "nt"),
    ("text/*;q=0.2, application/rdf+xml;q=0.1", "ttl"),
])
def test_303_target_per_accept(res_client: TestClient, accept: str | None, ext: str) -> None:
    response = get(res_client, "/id/commitment/PE0055", accept)
    assert response.status_code == 303
    target = f"{B}doc/commitment/PE0055.{ext}"
    assert response.headers["location"] == target
    assert "Accept" in response.headers["vary"]
    link = response.headers["link"]
    assert f'<{target}>; rel="canonical describedby"' in link
    others = {"html", "ttl", "jsonld", "nt", "rdf"} - {ext}
    for other in others:
        assert f'<{B}doc/commitment/PE0055.{other}>; rel="alternate"' in link
    assert response.content == b""


@pytest.mark.parametrize("path", [f"/id/{r}" for r in RESOURCES])
def test_every_kind_dereferences(res_client: TestClient, path: str) -> None:
    response = get(res_client, path, "text/html")
    assert response.status_code == 303, path
    doc = response.headers["location"]
    assert doc == f"{B}doc/{path[len('/id/'):]}.html"
    assert get(res_client, "/" + doc[len(B):]).status_code == 200


@pytest.mark.parametrize(("ext", "media"), [("html", "text/html"), *[
    (ext, media) for ext, (media, _) in RDF_EXT.items()]])
def test_doc_per_extension(res_client: TestClient, ext: str, media: str) -> None:
    response = get(res_client, f"/doc/commitment/PE0055.{ext}", "image/png")  # ext wins
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media
    assert "vary" not in response.headers or "Accept," not in response.headers["vary"] + ","
    link = response.headers["link"]
    assert f'<{B}doc/commitment/PE0055.{ext}>; rel="canonical"' in link
    assert link.count('rel="alternate"') == 4
    assert f"{B}doc/commitment/PE0055.{ext}>; rel=\"alternate\"" not in link


@pytest.mark.parametrize(("accept", "media"), [
    (None, "text/turtle"), (BROWSER, "text/html"), ("application/ld+json", "application/ld+json"),
    ("application/n-triples", "application/n-triples"),
])
def test_doc_conneg_without_extension(res_client: TestClient, accept: str | None,
                                      media: str) -> None:
    response = get(res_client, "/doc/member/peru", accept)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media
    assert "Accept" in [v.strip() for v in response.headers["vary"].split(",")]
    ext = {"text/turtle": "ttl", "text/html": "html", "application/ld+json": "jsonld",
           "application/n-triples": "nt"}[media]
    assert response.headers["content-location"] == f"{B}doc/member/peru.{ext}"


@pytest.mark.parametrize("path", ["/id/commitment/PE0055", "/doc/commitment/PE0055"])
def test_406(res_client: TestClient, path: str) -> None:
    response = get(res_client, path, "image/png")
    assert response.status_code == 406
    assert "text/turtle" in response.text


@pytest.mark.parametrize(("path", "location"), [
    ("/id/commitment/pe0055", f"{B}id/commitment/PE0055"),
    ("/doc/commitment/pe0055.ttl", f"{B}doc/commitment/PE0055.ttl"),
    ("/doc/commitment/Pe0055", f"{B}doc/commitment/PE0055"),
    ("/id/milestone/pe0055-1", f"{B}id/milestone/PE0055-1"),
    ("/id/assessment/pe0055-mid-term", f"{B}id/assessment/PE0055-mid-term"),
])
def test_301_lower_case_ids(res_client: TestClient, path: str, location: str) -> None:
    response = get(res_client, path)
    assert response.status_code == 301
    assert response.headers["location"] == location


# ---------------------------------------------------------------- 404

@pytest.mark.parametrize("path", [
    "/id/commitment/PE0099", "/doc/commitment/PE0099.ttl", "/id/nonsense/x",
    "/id/institution/peru", "/id/commitment/PE0055/extra", "/id/member/nobody",
])
def test_404_plain(res_client: TestClient, path: str) -> None:
    response = get(res_client, path, "text/plain")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/plain")
    assert "search?q=" in response.text


def test_404_in_the_representation_asked_for(res_client: TestClient) -> None:
    """RDF clients get RDF (W3C HTTP vocabulary), JSON clients problem details (RFC 9457)."""
    turtle = get(res_client, "/id/commitment/PE0057", "text/turtle")
    assert turtle.status_code == 404
    assert turtle.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=turtle.text, format="turtle")
    http = "http://www.w3.org/2011/http#"
    assert {int(o) for o in graph.objects(None, URIRef(f"{http}statusCodeValue"))} == {404}
    see_also = {str(o) for o in graph.objects(None, URIRef(
        "http://www.w3.org/2000/01/rdf-schema#seeAlso"))}
    assert f"{B}id/commitment/PE0055" in see_also and f"{B}search?q=PE0057" in see_also
    problem = get(res_client, "/id/commitment/PE0057", "application/json")
    assert problem.headers["content-type"].startswith("application/problem+json")
    body = problem.json()
    assert body["status"] == 404 and "PE0057" in body["detail"]
    assert f"{B}id/commitment/PE0055" in [s["iri"] for s in body["suggestions"]]


def test_404_html_did_you_mean(res_client: TestClient) -> None:
    response = get(res_client, "/id/commitment/PE0057", BROWSER)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    tree = HTMLParser(response.text)
    hrefs = [a.attributes.get("href") for a in tree.css("ul.suggestions a")]
    assert f"{B}doc/commitment/PE0055.html" in hrefs
    assert f"{B}doc/commitment/PE0056.html" in hrefs
    assert any("/search?q=PE0057" in (a.attributes.get("href") or "") for a in tree.css("a"))


def test_404_suggests_kinds(res_client: TestClient) -> None:
    response = get(res_client, "/id/commitmnt/PE0055", "text/plain")
    assert response.status_code == 404
    assert f"{B}id/commitment" in response.text


def test_concept_scheme_root_and_unused_concept_known(res_client: TestClient) -> None:
    assert get(res_client, "/id/policy-area").status_code == 303
    assert get(res_client, "/id/completion/limited").status_code == 303


# ---------------------------------------------------------------- HEAD and caching

@pytest.mark.parametrize(("path", "accept"), [
    ("/id/commitment/PE0055", BROWSER), ("/doc/commitment/PE0055.html", None),
    ("/doc/commitment/PE0055.ttl", None), ("/doc/member/peru", "application/ld+json"),
    ("/id/commitment/PE0099", None), ("/static/style.css", None),
])
def test_head_same_headers_empty_body(res_client: TestClient, path: str,
                                      accept: str | None) -> None:
    headers = {"accept": accept} if accept else {}
    got = res_client.get(path, headers=headers, follow_redirects=False)
    head = res_client.head(path, headers=headers, follow_redirects=False)
    assert head.status_code == got.status_code
    assert head.content == b""
    for name in ("content-type", "etag", "last-modified", "location", "link", "vary"):
        assert head.headers.get(name) == got.headers.get(name), name
    assert head.headers.get("content-length") == str(len(got.content))


@pytest.mark.parametrize(("path", "accept"), [
    ("/doc/commitment/PE0055.ttl", None), ("/doc/commitment/PE0055.html", None),
    ("/id/commitment/PE0055", None), ("/doc/policy-area/open-data", BROWSER),
])
def test_304(res_client: TestClient, path: str, accept: str | None) -> None:
    first = get(res_client, path, accept)
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert first.headers["cache-control"] == "public, max-age=3600"
    assert modified == "Wed, 01 May 2024 12:00:00 GMT"
    headers = {"accept": accept} if accept else {}
    by_etag = get(res_client, path, **headers, **{"if-none-match": etag})
    assert by_etag.status_code == 304 and by_etag.content == b""
    assert by_etag.headers["etag"] == etag
    by_date = get(res_client, path, **headers, **{"if-modified-since": modified})
    assert by_date.status_code == 304
    stale = get(res_client, path, **headers, **{"if-none-match": '"other"'})
    assert stale.status_code == first.status_code
    older = get(res_client, path, **headers,
                **{"if-modified-since": "Mon, 01 Jan 2024 00:00:00 GMT"})
    assert older.status_code == first.status_code


def test_etags_differ_by_format_and_url(res_client: TestClient) -> None:
    tags = {get(res_client, p).headers["etag"] for p in (
        "/doc/commitment/PE0055.ttl", "/doc/commitment/PE0055.nt", "/doc/commitment/PE0056.ttl")}
    assert len(tags) == 3


def test_caching_helpers() -> None:
    etag = make_etag("build", "url", "ttl")
    assert etag != make_etag("build2", "url", "ttl")
    assert is_not_modified({"if-none-match": f'W/{etag}, "x"'}, etag, None)
    assert is_not_modified({"if-none-match": "*"}, etag, None)
    # If-None-Match present and not matching: If-Modified-Since is ignored
    assert not is_not_modified({"if-none-match": '"x"',
                                "if-modified-since": "Wed, 01 May 2030 12:00:00 GMT"},
                               etag, "Wed, 01 May 2024 12:00:00 GMT")
    assert not is_not_modified({"if-modified-since": "garbage"}, etag,
                               "Wed, 01 May 2024 12:00:00 GMT")


# ---------------------------------------------------------------- RDF documents

def store_triples_with_subject(published: PublishedBuild, iri: str) -> set[tuple]:
    rows = published.store.select(f"SELECT DISTINCT ?p ?o WHERE {{ <{iri}> ?p ?o }}")
    return {(URIRef(iri), row["p"], row["o"]) for row in rows}


@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize("ext", list(RDF_EXT))
def test_round_trip(res_client: TestClient, res_published: PublishedBuild, resource: str,
                    ext: str) -> None:
    response = get(res_client, f"/doc/{resource}.{ext}")
    assert response.status_code == 200
    graph = Graph().parse(data=response.content, format=RDF_EXT[ext][1])
    iri = f"{B}id/{resource}"
    expected = store_triples_with_subject(res_published, iri)
    assert expected, "the fixture has triples about it"
    assert expected <= set(graph), expected - set(graph)
    doc = URIRef(f"{B}doc/{resource}.{ext}")
    assert (doc, FOAF.primaryTopic, URIRef(iri)) in graph


def test_commitment_document_contents(res_client: TestClient) -> None:
    response = get(res_client, "/doc/commitment/PE0055.ttl")
    text = response.text
    graph = Graph().parse(data=text, format="turtle")
    doc = URIRef(f"{B}doc/commitment/PE0055.ttl")
    # owned nodes, labels of linked nodes, the document described
    assert "Draft the data standard" in text  # a milestone's description
    assert "Substantial" in text  # an assessment value's label
    assert "Ministry of Justice" in text  # a linked institution's label
    assert "@prefix ogp:" in text and "@prefix hydra:" in text
    sources = {str(o) for o in graph.objects(doc, URIRef("http://purl.org/dc/terms/source"))}
    assert f"{B}id/source/page-0123456789abcdef" in sources
    assert f"{B}id/source/csv-aaaaaaaaaaaaaaaa" in sources
    assert "https://creativecommons.org/licenses/by/4.0/" in text
    assert "2024-05-01T12:00:00" in text


def test_incoming_links_in_documents(res_client: TestClient) -> None:
    text = get(res_client, "/doc/institution/peru/proetica.ttl").text
    graph = Graph().parse(data=text, format="turtle")
    proetica = URIRef(f"{B}id/institution/peru/proetica")
    leaders = set(graph.subjects(URIRef(f"{B}ontology#leadInstitution"), proetica))
    supporters = set(graph.subjects(URIRef(f"{B}ontology#supportingInstitution"), proetica))
    assert leaders == {URIRef(f"{B}id/commitment/PE0056")}
    assert supporters == {URIRef(f"{B}id/commitment/PE0055")}
    assert "budget transparency" in text  # the incoming subject's label


def test_incoming_cap_is_stated_not_silent(res_published: PublishedBuild) -> None:
    iri = URIRef(f"{B}id/member/peru")
    doc = f"{B}doc/member/peru.ttl"
    first = build_document(res_published.store, B, iri, doc, res_published.built_at,
                           page=1, incoming_cap=3)
    assert first.incoming_total == 7
    def incoming(graph: Graph) -> set[tuple]:
        return {(s, p) for s, p in graph.subject_predicates(iri) if p != FOAF.primaryTopic}

    assert len(incoming(first.graph)) == 3
    page = URIRef(doc)
    assert int(first.graph.value(page, HYDRA.totalItems)) == 7
    assert first.graph.value(page, HYDRA.next) == URIRef(f"{doc}?page=2")
    last = build_document(res_published.store, B, iri, doc, res_published.built_at,
                          page=3, incoming_cap=3)
    assert len(incoming(last.graph)) == 1
    assert last.graph.value(URIRef(f"{doc}?page=3"), HYDRA.next) is None


@pytest.mark.parametrize(("cap", "counted"), [(10, False), (7, True), (3, True)])
def test_incoming_links_are_counted_only_when_their_first_page_is_full(
        res_published: PublishedBuild, cap: int, counted: bool) -> None:
    """A first page holding fewer links than the cap holds them all: no count query is
    sent for it, and the total is the same as counted."""
    spy = StoreSpy(res_published.store)
    iri = URIRef(f"{B}id/member/peru")
    doc = build_document(spy, B, iri, f"{B}doc/member/peru.ttl",  # type: ignore[arg-type]
                         res_published.built_at, page=1, incoming_cap=cap)
    assert doc.incoming_total == 7
    assert any("COUNT" in q for q in spy.queries) is counted


# ---------------------------------------------------------------- HTML

def html(client: TestClient, path: str, **headers: str) -> HTMLParser:
    response = get(client, path, **headers)
    assert response.status_code == 200, path
    assert response.headers["content-type"].startswith("text/html")
    return HTMLParser(response.text)


@pytest.mark.parametrize("resource", RESOURCES)
def test_html_renders_every_kind(res_client: TestClient, resource: str) -> None:
    tree = html(res_client, f"/doc/{resource}.html")
    assert tree.css_first("html").attributes["lang"] == "en"
    assert len(tree.css("h1")) == 1
    levels = [int(node.tag[1]) for node in tree.css("h1, h2, h3, h4")]
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), levels
    alternates = {n.attributes["type"]: n.attributes["href"]
                  for n in tree.css('link[rel="alternate"]')}
    assert alternates["text/turtle"] == f"{B}doc/{resource}.ttl"
    assert set(alternates) >= {"application/ld+json", "application/n-triples"}
    script = tree.css_first('script[type="application/ld+json"]')
    graph = Graph().parse(data=script.text(), format="json-ld")
    assert (None, FOAF.primaryTopic, URIRef(f"{B}id/{resource}")) in graph
    nav = [a.text() for a in tree.css("header nav a")]
    assert {"Members", "Commitments", "Query", "Downloads"} <= set(nav)
    assert tree.css_first('form[action$="search"] input[name="q"]') is not None


def test_script_title_is_escaped(res_client: TestClient) -> None:
    response = get(res_client, "/doc/commitment/PE0056.html")
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    # and in the embedded JSON-LD, which must not close its script element early
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', response.text, re.S)
    assert block is not None and "alert(1)" in block.group(1)
    data = json.loads(block.group(1))
    assert "<script>alert(1)</script>" in json.dumps(data, ensure_ascii=False)
    member_page = get(res_client, "/doc/member/peru.html").text
    assert "<script>alert" not in member_page


def test_commitment_page(res_client: TestClient) -> None:
    tree = html(res_client, "/doc/commitment/PE0055.html")
    text = tree.body.text()
    assert tree.css_first("h1").text().startswith("Open data for public integrity")
    for expected in ("Peru", "Peru Action Plan 2015-2017", "Ministry of Justice", "Proética",
                     "Open Data", "Anti-Corruption", "Draft the data standard",
                     "Peru Mid-Term Report 2015-2017", "Peru End-of-Term Report 2015-2017",
                     "Limited", "Substantial", "Transformative", "PE0055.txt",
                     "commitments.csv"):
        assert expected in text, expected
    assert text.index("Draft the data standard") < text.index("Publish the declarations")
    assert text.index("Mid-Term Report") < text.index("End-of-Term Report")
    assert tree.css_first("#desc-h .lang").text() == "en"
    hrefs = {a.attributes.get("href") for a in tree.css("a")}
    assert f"{B}doc/institution/peru/proetica.html" in hrefs
    assert f"{B}doc/policy-area/open-data.html" in hrefs


@pytest.mark.parametrize(("headers", "title", "policy"), [
    ({"accept-language": "es-PE,es;q=0.9,en;q=0.5"}, "Datos abiertos para la integridad pública",
     "Datos abiertos"),
    ({"accept-language": "fr"}, "Données ouvertes pour l'intégrité publique", "Données ouvertes"),
    ({"accept-language": "de"}, "Open data for public integrity", "Open Data"),
])
def test_reader_language(res_client: TestClient, headers: dict[str, str], title: str,
                         policy: str) -> None:
    tree = html(res_client, "/doc/commitment/PE0055.html", **headers)
    assert tree.css_first("h1").text().startswith(title)
    assert policy in tree.body.text()


def test_lang_parameter_wins(res_client: TestClient) -> None:
    response = get(res_client, "/doc/member/peru.html?lang=es", **{"accept-language": "fr"})
    tree = HTMLParser(response.text)
    assert tree.css_first("html").attributes["lang"] == "es"
    assert tree.css_first("h1").text().startswith("Perú")


def test_member_page_chart_and_cycles(res_client: TestClient) -> None:
    tree = html(res_client, "/doc/member/peru.html")
    svg = tree.css_first("svg")
    assert svg is not None and svg.css_first("title") is not None
    labels = [t.text() for t in svg.css("text")]
    assert "Substantial" in labels and "Complete" in labels
    assert labels.index("Substantial") < labels.index("Complete")  # ordered by rank
    assert "2 commitments in 1 action plan" in tree.body.text()
    assert not tree.css("script:not([type='application/ld+json'])")


def test_institution_page(res_client: TestClient) -> None:
    tree = html(res_client, "/doc/institution/peru/proetica.html")
    rows = {tr.css("td")[0].text(): tr.css("td")[1].text() for tr in tree.css_first(
        'section[aria-labelledby="commitments-h"]').css("tbody tr")}
    leads = [title for title, role in rows.items() if "leads" in role]
    supports = [title for title, role in rows.items() if "supports" in role]
    assert any("budget transparency" in t for t in leads)
    assert not any("Open data for public integrity" in t for t in leads)
    assert any("Open data for public integrity" in t for t in supports)
    facts = tree.css_first("dl.facts").text()
    assert "Type" in facts and "Member" in facts
    partners = tree.css_first('section[aria-labelledby="partners-h"]').text()
    assert "Ministry of Justice" in partners  # named beside it on the same commitment


def test_concept_page_lists_commitments_across_members(res_client: TestClient) -> None:
    tree = html(res_client, "/doc/policy-area/anti-corruption.html")
    text = tree.css_first('section[aria-labelledby="uses-h"]').text()
    assert "Open data for public integrity" in text and "Beneficial ownership" in text
    assert "Peru" in text and "United Kingdom" in text
    completion = html(res_client, "/doc/completion/substantial.html").body.text()
    assert "Open data for public integrity" in completion  # via its assessment
    scheme = html(res_client, "/doc/policy-area.html").body.text()
    assert "Fiscal Openness" in scheme


def test_irm_report_page(res_client: TestClient) -> None:
    text = html(res_client, "/doc/irm-report/peru-2015-end-of-term.html").body.text()
    assert "Open data for public integrity" in text and "Complete" in text


def test_page_beyond_last_is_said(res_client: TestClient) -> None:
    text = html(res_client, "/doc/member/peru.html?page=9").body.text()
    assert "There is no page 9" in text


def test_labels_helpers() -> None:
    from rdflib import Literal

    assert lang_from_accept_language("es-PE,es;q=0.9,en;q=0.8") == "es"
    assert lang_from_accept_language("de, fr;q=0.5") == "fr"
    assert lang_from_accept_language(None) == "en"
    values = [Literal("x", lang="fr"), Literal("y", lang="en"), Literal("z")]
    assert str(pick_literal(values, "es")) == "y"
    assert str(pick_literal(values, "fr")) == "x"
    assert str(pick_literal([Literal("z"), Literal("w", lang="de")], "es")) == "z"


def test_stylesheet(res_client: TestClient) -> None:
    response = get(res_client, "/static/style.css")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/css")
    assert get(res_client, "/static/..%2Fapp.py").status_code == 404


# ---------------------------------------------------------------- another public base

OTHER = "https://example.org/ogp/"


def test_non_default_base(res_other_client: TestClient) -> None:
    response = get(res_other_client, "/id/commitment/PE0055", BROWSER)
    assert response.status_code == 303
    assert response.headers["location"] == f"{OTHER}doc/commitment/PE0055.html"
    page = get(res_other_client, "/doc/commitment/PE0055.html")
    assert page.status_code == 200
    tree = HTMLParser(page.text)
    assert tree.css_first('link[rel="stylesheet"]').attributes["href"] == f"{OTHER}static/style.css"
    hrefs = {a.attributes.get("href") for a in tree.css("a")}
    assert f"{OTHER}doc/member/peru.html" in hrefs
    assert not any(h and h.startswith(B) for h in hrefs)
    ttl = get(res_other_client, "/doc/commitment/PE0055.ttl").text
    graph = Graph().parse(data=ttl, format="turtle")
    assert (URIRef(f"{OTHER}id/commitment/PE0055"), None, None) in graph
    assert B not in ttl
    assert get(res_other_client, "/id/commitment/pe0055").headers["location"] == (
        f"{OTHER}id/commitment/PE0055")


# ---------------------------------------------------------------- the real default build

def test_link_integrity_of_default_build(default_published: PublishedBuild) -> None:
    """Every IRI of ours in the build dereferences: 303 then 200, in HTML and Turtle."""
    from ogpgraph.config import Settings
    from ogpgraph.web.app import create_app

    base = default_published.base
    client = TestClient(create_app(Settings(base_uri=base), default_published))
    rows = default_published.store.select(f"""
SELECT DISTINCT ?x WHERE {{ {{ ?x ?p ?o }} UNION {{ ?s ?p ?x }}
  FILTER(isIRI(?x) && STRSTARTS(STR(?x), "{base}id/")) }}""")
    iris = sorted(str(row["x"]) for row in rows)
    assert len(iris) > 20
    errors = []
    for iri in iris:
        for accept, ext in (("text/html", "html"), ("text/turtle", "ttl")):
            first = client.get("/" + iri[len(base):], headers={"accept": accept},
                               follow_redirects=False)
            if first.status_code != 303:
                errors.append(f"{iri} {accept}: {first.status_code}")
                continue
            location = first.headers["location"]
            if not location.endswith(f".{ext}"):
                errors.append(f"{iri} {accept}: 303 to {location}")
            second = client.get("/" + location[len(base):], follow_redirects=False)
            if second.status_code != 200:
                errors.append(f"{location}: {second.status_code}")
    assert errors == []


def test_new_software_over_the_same_build_changes_the_etag(
        res_client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """Templates or code deployed over the same build must not earn stale 304s."""
    from ogpgraph.web import http_cache

    page = "/doc/commitment/PE0055.html"
    old = get(res_client, page).headers["etag"]
    assert get(res_client, page, **{"If-None-Match": old}).status_code == 304
    monkeypatch.setattr(http_cache, "software_fingerprint", lambda: "new-templates")
    res_client.app.state.response_cache.clear()  # a new process starts with none
    fresh = get(res_client, page, **{"If-None-Match": old})
    assert fresh.status_code == 200 and fresh.headers["etag"] != old


def test_the_software_fingerprint_covers_templates_and_catalogs() -> None:
    from ogpgraph.web import http_cache

    files = {p.relative_to(http_cache.PACKAGE_DIR).as_posix()
             for p in http_cache.PACKAGE_DIR.rglob("*") if p.is_file()}
    assert "web/templates/commitment.html" in files
    assert any(f.startswith("web/locale/") for f in files)
    assert len(http_cache.software_fingerprint()) == 16
