"""Home, browse listings, filters, pagination and search over the known browse fixture."""

from __future__ import annotations

import json
import re

import pytest
from browse_fixtures import PERU_COMMITMENTS, TRICKY_TITLE, make_client, write_release
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from ogpgraph.web.browse_listings import (
    BadFilter,
    BrowseService,
    CommitmentFilters,
    PageOutOfRange,
)
from ogpgraph.web.charts import Bar, bar_chart

HTML = {"accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory):
    return write_release(tmp_path_factory.mktemp("browse") / "release")


@pytest.fixture(scope="module")
def client(release):
    return make_client(release[0])


def ids_on(html: str) -> list[str]:
    """Commitment identifiers linked from a listing table or result list, in order."""
    tree = HTMLParser(html)
    return [a.text() for a in tree.css("main a[href*='/doc/commitment/']")
            if re.fullmatch(r"[A-Z]+\d+", a.text())]


def jsonld_of(html: str) -> dict:
    node = HTMLParser(html).css_first('script[type="application/ld+json"]')
    assert node is not None, "no JSON-LD in the page"
    return json.loads(node.text())


@pytest.mark.parametrize(("url", "status", "needle"), [
    ("/", 200, "Commitments per policy area"),
    ("/members", 200, "Buenos Aires, Argentina"),
    ("/action-plans", 200, "peru action plan 2015"),
    ("/action-plans?member=france", 200, "france action plan 2018"),
    ("/commitments", 200, "Page 1 of 2"),
    ("/institutions", 200, "National Water Authority"),
    ("/institutions?member=france", 200, "Nothing to list"),
    ("/policy-areas", 200, "Water And Sanitation"),
    ("/search", 200, "Search commitments"),
    ("/search?q=water", 200, "Water tariffs online"),
    ("/commitments?page=3", 404, "no page 3"),
    ("/members?page=2", 404, "no page 2"),
    ("/commitments?page=0", 400, "page: should be greater than or equal to 1 (got &#39;0&#39;)"),
    ("/commitments?cycle=abc", 400, "cycle: should be a valid integer"),
    ("/commitments?member=Peru%20x", 400, "not a valid key"),
    ("/commitments?policy_area=%3E%7D", 400, "not a valid key"),
    ("/commitments?sort=secret", 400, "sort"),
    ("/commitments?order=sideways", 400, "order"),
    ("/institutions?member=..%2F..", 400, "not a valid key"),
])
def test_routes(client, url: str, status: int, needle: str) -> None:
    response = client.get(url, headers=HTML)
    assert response.status_code == status, response.text[:300]
    # every answer to a browser is a page, errors included (never FastAPI's JSON)
    assert response.headers["content-type"].startswith("text/html")
    assert '<html lang="en">' in response.text
    assert needle in response.text


def test_home_counts_chart_and_links(client, release) -> None:
    published, expected = release
    page = client.get("/", headers=HTML)
    text = page.text
    assert f"<strong>{expected.commitments}</strong>" in text
    assert "<svg" in text and 'role="group"' in text  # its bars are links
    assert text.count("commitments?policy_area=") == 3  # one bar per used policy area
    tree = HTMLParser(text)
    hrefs = {a.attributes.get("href") for a in tree.css("a")}
    base = published.base
    for target in ("sparql", "downloads", ".well-known/void", "commitments", "members"):
        assert f"{base}{target}" in hrefs
    alternate = tree.css_first('link[rel="alternate"]')
    assert alternate is not None and alternate.attributes["href"] == f"{base}.well-known/void"
    data = jsonld_of(text)
    assert data["@type"] == "Dataset"
    assert len(data["distribution"]) == len(published.manifest["dumps"])


def test_pagination_keeps_filters_and_pages_differ(client) -> None:
    first = client.get("/commitments?member=peru&sort=title", headers=HTML).text
    assert "Page 1 of 2" in first and f"{PERU_COMMITMENTS} in all" in first
    next_link = HTMLParser(first).css_first('a[rel="next"]')
    assert next_link is not None
    href = next_link.attributes["href"]
    assert "member=peru" in href and "sort=title" in href and "page=2" in href
    second = client.get(href, headers=HTML).text
    assert "Page 2 of 2" in second
    assert HTMLParser(second).css_first('a[rel="next"]') is None
    assert HTMLParser(second).css_first('a[rel="prev"]') is not None
    one, two = ids_on(first), ids_on(second)
    assert len(one) == 50 and len(two) == PERU_COMMITMENTS - 50
    assert not set(one) & set(two)
    assert set(one) | set(two) == {f"PE{n:04d}" for n in range(1, PERU_COMMITMENTS + 1)}


def test_sorting(client) -> None:
    by_id = ids_on(client.get("/commitments", headers=HTML).text)
    assert by_id == sorted(by_id)
    descending = ids_on(client.get("/commitments?sort=id&order=desc", headers=HTML).text)
    assert descending[0] == "PE0060"
    by_title = ids_on(client.get("/commitments?sort=title", headers=HTML).text)
    assert by_title[:2] == ["PE0007", "FR0001"]  # "Datos…" < "Engagement 1" < "He said…"
    by_cycle = ids_on(client.get("/commitments?sort=cycle&order=desc", headers=HTML).text)
    assert by_cycle[0] == "BUE0001"  # the 2019 plan


@pytest.mark.parametrize(("query", "attribute"), [
    ("member=peru&cycle=2015", "peru_2015"),
    ("policy_area=open-data", "open_data"),
    ("starred=true", "starred"),
    ("completion=substantial", "at_least_substantial"),
])
def test_filter_counts_are_true(client, release, query: str, attribute: str) -> None:
    expected = getattr(release[1], attribute)
    text = client.get(f"/commitments?{query}", headers=HTML).text
    assert f"{expected} in all" in text
    assert len(ids_on(text)) == min(expected, 50)


def test_starred_false_is_the_complement(client, release) -> None:
    published, expected = release
    text = client.get("/commitments?starred=false", headers=HTML).text
    assert f"{expected.commitments - expected.starred} in all" in text


def test_members_and_institutions_counts(client) -> None:
    members = client.get("/members", headers=HTML).text
    assert "3 members: 2 national, 1 local" in members
    rows = {tr.css("td")[0].text(): [td.text() for td in tr.css("td")]
            for tr in HTMLParser(members).css("tbody tr")}
    assert rows["Peru"][1:] == ["National", str(PERU_COMMITMENTS)]
    assert rows["Buenos Aires, Argentina"][1:] == ["Local", "1"]
    institutions = HTMLParser(client.get("/institutions?member=peru", headers=HTML).text)
    # columns: institution, type, member, led, supported
    counts = {tr.css("td")[0].text(): [td.text() for td in tr.css("td")[3:]]
              for tr in institutions.css("tbody tr")}
    assert counts["National Water Authority"] == ["1", "20"]
    assert counts["Ministerio de Economía"] == [str(PERU_COMMITMENTS - 1), "0"]


def test_policy_areas_counts(client) -> None:
    text = client.get("/policy-areas", headers=HTML).text
    tree = HTMLParser(text)
    counts = {tr.css("td")[0].text(): tr.css("td")[-1].text() for tr in tree.css("tbody tr")}
    assert counts == {"Open Data": "20", "Water And Sanitation": "20", "Anti Corruption": "20"}
    assert jsonld_of(text)["numberOfItems"] == 3


def test_search_ranking_title_then_institution_then_description(client) -> None:
    found = ids_on(client.get("/search?q=WATER", headers=HTML).text)
    assert found[0] == "BUE0001"  # title
    assert found[-1] == "PE0008"  # description only
    assert "PE0010" in found[1:-1]  # led by the National Water Authority


@pytest.mark.parametrize(("query", "expected"), [
    ("educacion", ["PE0007"]),
    ("EDUCACIÓN", ["PE0007"]),
    ("datos   abiertos", ["PE0007"]),
    ('"hi" \\', ["PE0009"]),
    ('said "HI"', ["PE0009"]),
    ('") } ; DELETE WHERE { ?s ?p ?o } #', []),
    ("\\u0022", []),
    (".*", []),
    ("(", []),
    ("[a-z]", []),
])
def test_search_is_accent_insensitive_and_escaped(client, query: str, expected: list[str]
                                                  ) -> None:
    response = client.get("/search", params={"q": query}, headers=HTML)
    assert response.status_code == 200
    assert ids_on(response.text) == expected


@pytest.mark.parametrize(("query", "expected"), [
    ("abiertos datos", ["PE0007"]),  # every word, in any order (not a phrase)
    ("educ", []),  # whole words only
    ("water tariffs", ["BUE0001"]),
    ("water nothing", []),
])
def test_search_matches_words(client, query: str, expected: list[str]) -> None:
    response = client.get("/search", params={"q": query}, headers=HTML)
    assert ids_on(response.text) == expected


def test_search_shows_where_it_matched_and_a_snippet(client) -> None:
    text = client.get("/search?q=drinking", headers=HTML).text
    assert ids_on(text) == ["PE0008"]
    assert "matched in description" in text and "Improve drinking water quality." in text


def test_search_query_is_shown_escaped(client) -> None:
    text = client.get("/search", params={"q": "<b>x</b>"}, headers=HTML).text
    assert "<b>x</b>" not in text
    assert "&lt;b&gt;x&lt;/b&gt;" in text


def test_search_pages(client) -> None:
    first = client.get("/search?q=commitment", headers=HTML).text
    assert "Page 1 of 2" in first
    second = client.get("/search?q=commitment&page=2", headers=HTML).text
    assert not set(ids_on(first)) & set(ids_on(second))
    assert client.get("/search?q=commitment&page=3", headers=HTML).status_code == 404


INJECTIONS = ('"}} DROP ALL ; #', "x\" } ; DELETE WHERE { ?s ?p ?o } #",
              "'); DROP TABLE commitments; --", 'water" OR 1=1 --', "NEAR(water tariffs)",
              "water*", "title:water")


def test_search_writes_nothing(release, client) -> None:
    """Searches, injections among them, change neither the store nor the listing index:
    compared quad by quad (the store's counts are cached) and byte by byte."""
    published, _ = release
    store = published.store.store  # the union in memory, as served
    quads_before = set(store)
    index_before = published.layout.listings_path.read_bytes()
    for text in INJECTIONS:
        response = client.get("/search", params={"q": text}, headers=HTML)
        assert response.status_code == 200, text
    assert len(quads_before) == published.manifest["triples"]
    assert set(store) == quads_before
    assert published.layout.listings_path.read_bytes() == index_before


def test_tricky_title_is_escaped_in_html(client) -> None:
    text = client.get("/commitments", headers=HTML).text
    assert "He said &#34;hi&#34; \\ then left" in text
    assert TRICKY_TITLE not in text.split("<script")[0]


def test_listing_jsonld_matches_the_page(client) -> None:
    text = client.get("/commitments?member=peru&page=2", headers=HTML).text
    data = jsonld_of(text)
    assert data["@type"] == "ItemList" and data["numberOfItems"] == PERU_COMMITMENTS
    positions = [item["position"] for item in data["itemListElement"]]
    assert positions == list(range(51, PERU_COMMITMENTS + 1))


def test_etag_and_304(client) -> None:
    first = client.get("/commitments?member=peru", headers=HTML)
    assert "Accept-Language" in first.headers["vary"]
    etag = first.headers["etag"]
    assert first.headers["last-modified"]
    again = client.get("/commitments?member=peru", headers={**HTML, "if-none-match": etag})
    assert again.status_code == 304 and again.content == b""
    other = client.get("/commitments?member=france", headers={**HTML, "if-none-match": etag})
    assert other.status_code == 200
    spanish = client.get("/commitments?member=peru",
                         headers={**HTML, "accept-language": "es", "if-none-match": etag})
    assert spanish.status_code == 200  # another language, another representation


def test_reader_language_picks_labels(client) -> None:
    text = client.get("/policy-areas?lang=es", headers=HTML).text
    assert '<html lang="es">' in text
    assert "open-data (es)" in text


# --- pure helpers ---------------------------------------------------------------------------

def test_service_errors(release) -> None:
    published, _ = release
    svc = BrowseService(published.store, published.base)
    with pytest.raises(PageOutOfRange):
        svc.commitments(CommitmentFilters(), page=99)
    with pytest.raises(BadFilter):
        svc.commitments(CommitmentFilters(member="x> } ; #"))
    assert svc.commitments(CommitmentFilters(member="nowhere")).total == 0


def test_chart_escapes_and_scales() -> None:
    svg = str(bar_chart([Bar("<script>x</script>", 10, "/a?b=1&c=2"), Bar("Small", 5)],
                        "A & B"))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert 'href="/a?b=1&amp;c=2"' in svg
    widths = [int(w) for w in re.findall(r'<rect [^>]*width="(\d+)"', svg)]
    assert widths[0] == 2 * widths[1]
    assert "<title" in svg and "A &amp; B" in svg


def test_empty_chart() -> None:
    assert "<svg" in str(bar_chart([], "Nothing"))
