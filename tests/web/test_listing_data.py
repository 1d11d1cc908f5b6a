"""Every browse listing as data: CSV and JSON of the whole filtered, sorted listing (streamed
in chunks), RDF of a page as a hydra:Collection, by Accept and by the page's download links."""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import parse_qs, urlsplit

import pytest
from browse_fixtures import PERU_COMMITMENTS, TRICKY_TITLE, make_client, write_release
from rdflib import RDF, RDFS, Graph, URIRef
from selectolax.lexbor import LexborHTMLParser as HTMLParser
from test_browse import HTML, ids_on

from ogpgraph.web import listing_data
from ogpgraph.web.resource_document import HYDRA

CSV = {"accept": "text/csv"}
JSON = {"accept": "application/json"}
TURTLE = {"accept": "text/turtle"}


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory):
    return write_release(tmp_path_factory.mktemp("listing-data") / "release")


@pytest.fixture(scope="module")
def client(release):
    return make_client(release[0])


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def html_ids(client, url: str) -> list[str]:
    """The identifiers a reader sees on every page of a listing, in order."""
    found, page = [], 1
    while True:
        sep = "&" if "?" in url else "?"
        response = client.get(f"{url}{sep}page={page}", headers=HTML)
        if response.status_code == 404:
            return found
        found += ids_on(response.text)
        page += 1


@pytest.mark.parametrize("url", [
    "/commitments",
    "/commitments?member=peru&sort=title",
    "/commitments?member=peru&cycle=2015&order=desc",
    "/commitments?policy_area=open-data&sort=cycle&order=desc",
    "/commitments?starred=true",
    "/commitments?completion=substantial&sort=member",
    "/search?q=water",
    "/search?q=commitment",
])
def test_csv_and_json_hold_the_whole_listing_in_the_page_order(client, url: str) -> None:
    expected = html_ids(client, url)
    assert expected, "the fixture lists something here"
    by_csv = client.get(url, headers=CSV)
    assert by_csv.status_code == 200, by_csv.text[:300]
    assert by_csv.headers["content-type"] == "text/csv; charset=utf-8"
    assert [row["identifier"] for row in csv_rows(by_csv.text)] == expected
    by_json = client.get(url, headers=JSON)
    assert by_json.headers["content-type"] == "application/json; charset=utf-8"
    document = by_json.json()
    assert document["total"] == len(expected)
    assert [item["identifier"] for item in document["items"]] == expected


def test_more_rows_than_a_page_and_than_a_chunk(client, monkeypatch) -> None:
    monkeypatch.setattr(listing_data, "CHUNK", 7)  # 60 rows: 8 full chunks and a part
    rows = csv_rows(client.get("/commitments?member=peru", headers=CSV).text)
    assert [row["identifier"] for row in rows] == [f"PE{n:04d}"
                                                   for n in range(1, PERU_COMMITMENTS + 1)]
    items = client.get("/commitments?member=peru&format=json").json()["items"]
    assert len(items) == PERU_COMMITMENTS == len({item["iri"] for item in items})


def test_commitment_columns(client, release) -> None:
    published, _ = release
    rows = {row["identifier"]: row for row in
            csv_rows(client.get("/commitments?format=csv").text)}
    assert rows["PE0009"]["title"] == TRICKY_TITLE  # quotes and backslash survive CSV
    assert rows["PE0010"] == {
        "identifier": "PE0010", "title": "Peru commitment 10", "member": "Peru",
        "cycle": "2015", "starred": "true", "iri": f"{published.base}id/commitment/PE0010",
        "member_iri": f"{published.base}id/member/peru"}
    assert rows["PE0011"]["starred"] == "false"


@pytest.mark.parametrize(("url", "column", "expected"), [
    ("/members", "name", {"Peru": "60", "France": "5", "Buenos Aires, Argentina": "1"}),
    ("/action-plans?member=peru", "name",
     {"peru action plan 2017": "30", "peru action plan 2015": "30"}),
    ("/policy-areas", "name", {"Open Data": "20", "Water And Sanitation": "20",
                               "Anti Corruption": "20"}),
])
def test_other_listings_with_their_counts(client, url: str, column: str,
                                          expected: dict[str, str]) -> None:
    rows = csv_rows(client.get(url, headers=CSV).text)
    assert {row[column]: row["commitments"] for row in rows} == expected
    items = client.get(url, headers=JSON).json()["items"]
    assert [item[column] for item in items] == [row[column] for row in rows]


def test_institutions_filtered_by_member(client) -> None:
    rows = csv_rows(client.get("/institutions?member=peru&format=csv").text)
    assert {row["name"]: (row["led"], row["supported"]) for row in rows} == {
        "National Water Authority": ("1", "20"),
        "Ministerio de Economía": (str(PERU_COMMITMENTS - 1), "0")}
    assert {row["member"] for row in rows} == {"Peru"}
    assert csv_rows(client.get("/institutions?member=france&format=csv").text) == []


def test_labels_follow_the_reader_language(client) -> None:
    rows = csv_rows(client.get("/policy-areas?lang=es&format=csv").text)
    assert "open-data (es)" in {row["name"] for row in rows}


def test_rdf_is_a_paged_hydra_collection(client, release) -> None:
    published, _ = release
    base = published.base
    response = client.get("/commitments?member=peru&sort=title", headers=TURTLE)
    assert response.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=response.text, format="turtle")
    collection = URIRef(f"{base}commitments?member=peru&sort=title")
    assert (collection, RDF.type, HYDRA.Collection) in graph
    assert int(graph.value(collection, HYDRA.totalItems)) == PERU_COMMITMENTS
    first_page = {str(m).rsplit("/", 1)[-1] for m in graph.objects(collection, HYDRA.member)}
    assert first_page == set(html_ids(client, "/commitments?member=peru&sort=title")[:50])
    view = graph.value(collection, HYDRA.view)
    assert (view, RDF.type, HYDRA.PartialCollectionView) in graph
    following = graph.value(view, HYDRA.next)
    assert parse_qs(urlsplit(str(following)).query) == {
        "member": ["peru"], "sort": ["title"], "page": ["2"]}
    assert graph.value(URIRef(f"{base}id/commitment/PE0009"), RDFS.label) is not None
    second = Graph().parse(data=client.get(
        "/commitments?member=peru&sort=title&page=2&format=jsonld").text, format="json-ld")
    assert len(set(second.objects(collection, HYDRA.member))) == PERU_COMMITMENTS - 50
    second_view = second.value(collection, HYDRA.view)
    assert second.value(second_view, HYDRA.previous) is not None
    assert second.value(second_view, HYDRA.next) is None


def test_every_listing_page_links_its_downloads_with_its_filters(client) -> None:
    for url in ("/commitments?member=peru&sort=title&order=desc", "/members",
                "/action-plans?member=peru", "/institutions?member=peru", "/policy-areas",
                "/search?q=water"):
        tree = HTMLParser(client.get(url, headers=HTML).text)
        links = {a.text(): a.attributes["href"] for a in tree.css("#downloads a")}
        assert set(links) >= {"CSV", "JSON", "Turtle", "JSON-LD"}, url
        query = parse_qs(urlsplit(links["CSV"]).query)
        assert query.pop("format") == ["csv"]
        assert query == parse_qs(urlsplit(url).query), url
        assert client.get(links["CSV"]).headers["content-type"].startswith("text/csv")


def test_format_and_accept_errors(client) -> None:
    bad = client.get("/commitments?format=xlsx", headers=JSON)
    assert bad.status_code == 400 and "format" in bad.text
    assert client.get("/members", headers={"accept": "image/png"}).status_code == 406
    assert client.get("/commitments?member=Peru%20x", headers=CSV).status_code == 400
    assert client.get("/commitments?page=9", headers=TURTLE).status_code == 404


def test_negotiated_answers_vary_and_browsers_get_the_page(client) -> None:
    page = client.get("/commitments", headers=HTML)
    assert page.headers["content-type"].startswith("text/html")
    assert "Accept" in page.headers["vary"]
    data = client.get("/commitments", headers=CSV)
    assert "Accept" in data.headers["vary"]
    assert data.headers["etag"] != page.headers["etag"]
    assert "attachment" in data.headers["content-disposition"]
    head = client.head("/commitments", headers=CSV)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-type"].startswith("text/csv")
    again = client.get("/commitments", headers={**CSV, "if-none-match": data.headers["etag"]})
    assert again.status_code == 304


def test_json_is_one_valid_document_when_empty(client) -> None:
    document = json.loads(client.get("/search?q=nothingatall&format=json").text)
    assert document["total"] == 0 and document["items"] == []
