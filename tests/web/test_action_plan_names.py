"""An action plan is called by its own name wherever it is named — the listing (page, CSV,
JSON, RDF), member, commitment, institution and IRM report pages, HTML titles, "did you
mean" — from a real build of the fixture sources: the name a source gives it ("Peru, Second
Action Plan, 2015-16", PE0055's page; "United Kingdom – Third National Action Plan 2016-18",
UK0063's page) even where another source of the same build made one up; a made-up name only
where no source names the plan (OGP's CSV export, a page's list of other commitments), in
one form, OGP's own ("Testland Action Plan 2016-2018")."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient
from rdflib import Graph
from rdflib.namespace import RDFS
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from ogpgraph.config import DEFAULT_BASE_URI

PLAN = f"{DEFAULT_BASE_URI}id/action-plan/"
NAMES = {  # every action plan of the fixture build, by its name
    "peru-2012": "Peru Action Plan 2012",  # named by no source, no end year known
    "peru-2015": "Peru, Second Action Plan, 2015-16",  # PE0055's page
    "peru-2017": "Peru Action Plan 2017",
    "testland-2014": "Testland Action Plan 2014-2016",  # CSV: one row says 2016, one NA
    "testland-2016": "Testland Action Plan 2016-2018",
    "united-kingdom-2016": "United Kingdom – Third National Action Plan 2016-18",
    "villa-prueba-testland-2020": "Villa Prueba, Testland Action Plan 2020-2022",
}
MADE_UP_BEFORE = ("action plan (", "not attached to a plan")  # the old made-up form


def html(client: TestClient, path: str, lang: str = "en") -> HTMLParser:
    response = client.get(path, headers={"accept": "text/html", "accept-language": lang})
    assert response.status_code == 200, path
    return HTMLParser(response.text)


def test_the_listing_names_every_plan(fixture_client: TestClient) -> None:
    for lang in ("en", "es", "fr"):
        rows = html(fixture_client, "/action-plans", lang).css("table tbody tr")
        shown = {row.css_first("td a").attributes["href"].rsplit("/", 1)[-1]: row.css_first(
            "td a").text() for row in rows}
        assert shown == {f"{key}.html": name for key, name in NAMES.items()}, lang


def test_the_listing_as_data_names_every_plan(fixture_client: TestClient) -> None:
    text = fixture_client.get("/action-plans?format=csv").text
    by_iri = {row["iri"]: row["name"] for row in csv.DictReader(io.StringIO(text))}
    assert by_iri == {f"{PLAN}{key}": name for key, name in NAMES.items()}
    items = fixture_client.get("/action-plans?format=json").json()["items"]
    assert {item["iri"]: item["name"] for item in items} == by_iri
    graph = Graph().parse(data=fixture_client.get("/action-plans?format=ttl").text,
                          format="turtle")
    assert {str(s): str(o) for s, o in graph.subject_objects(RDFS.label)
            if str(s).startswith(PLAN)} == by_iri
    member_only = fixture_client.get("/action-plans?member=peru&format=csv").text
    assert [row["name"] for row in csv.DictReader(io.StringIO(member_only))] == [
        NAMES["peru-2017"], NAMES["peru-2015"], NAMES["peru-2012"]]


def test_pages_name_the_plan_as_the_listing_does(fixture_client: TestClient) -> None:
    member = html(fixture_client, "/doc/member/peru.html", "es")
    plans = [a.text() for a in member.css("#plans-h ~ ul a")]
    assert plans == [NAMES["peru-2012"], NAMES["peru-2015"], NAMES["peru-2017"]]
    commitment = html(fixture_client, "/doc/commitment/PE0055.html", "fr")
    summary = {dt.text(strip=True): dd.text(strip=True) for dt, dd in zip(
        commitment.css("article dl.props")[0].css("dt"),
        commitment.css("article dl.props")[0].css("dd"), strict=True)}
    assert summary["Plan d'action"] == NAMES["peru-2015"]
    listed = html(fixture_client, "/doc/commitment/PE0001.html")
    assert listed.css_first("article dl.props dd a[href$='peru-2012.html']").text() == \
        NAMES["peru-2012"]
    assert html(fixture_client, "/doc/commitment/XA0002.html").css_first(
        "a[href$='testland-2014.html']").text() == NAMES["testland-2014"]
    plan = html(fixture_client, "/doc/action-plan/testland-2016.html")
    assert plan.css_first("title").text() == f"{NAMES['testland-2016']} · ogpgraph"
    assert plan.css_first("h1").text(strip=True).startswith(NAMES["testland-2016"])
    institution = html(fixture_client, "/doc/institution/peru/proetica.html")
    assert [a.text() for a in institution.css("table a[href*='/action-plan/']")] == [
        NAMES["peru-2015"]]
    report = html(fixture_client, "/doc/irm-report/peru-2015-mid-term.html")
    assert report.css_first("a[href$='peru-2015.html']").text() == NAMES["peru-2015"]


def test_did_you_mean_names_the_plan(fixture_client: TestClient) -> None:
    response = fixture_client.get("/doc/action-plan/peru-2016.html",
                                  headers={"accept": "text/html"})
    assert response.status_code == 404
    suggested = [a.text() for a in HTMLParser(response.text).css(".suggestions a")]
    assert NAMES["peru-2015"] in suggested


def test_no_page_shows_the_old_made_up_form(fixture_client: TestClient) -> None:
    for path in ("/action-plans", "/doc/member/peru.html", "/doc/member/testland.html",
                 "/doc/commitment/PE0001.html", "/action-plans?format=csv"):
        text = fixture_client.get(path, headers={"accept-language": "es"}).text
        assert not any(old in text for old in MADE_UP_BEFORE), path


def test_a_plan_named_by_its_source_gets_no_made_up_name(fixture_build) -> None:
    """PE0055's page names its plan; the commitment list on the same page refers to it
    without the name: the source's graph holds the name only, no made-up one beside it."""
    from ogpgraph.web.published import load_published

    published = load_published(fixture_build, DEFAULT_BASE_URI)
    labels = {str(row["l"]) for row in published.store.select(
        f"SELECT ?l WHERE {{ <{PLAN}peru-2015> <{RDFS.label}> ?l }}")}
    assert labels == {NAMES["peru-2015"]}
