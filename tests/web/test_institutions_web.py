"""Institutions on the web, over a build of ../shared/ogp: the listing's type facet, the
institution page, the 301 from a merged spelling's old IRI, and the example query "institutions
that lead most commitments" answering whole institutions."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ogpgraph.config import DEFAULT_BASE_URI as B
from ogpgraph.config import Settings
from ogpgraph.records.institutions import doubts
from ogpgraph.web.app import create_app
from ogpgraph.web.browse_listings import BrowseService
from ogpgraph.web.published import PublishedBuild, load_published
from ogpgraph.web.sparql.examples import example_queries

OGP = f"{B}ontology#"
HTML = {"Accept": "text/html"}


@pytest.fixture(scope="module")
def published(shared_build_dir: Path) -> PublishedBuild:
    return load_published(shared_build_dir, B)


@pytest.fixture(scope="module")
def client(published: PublishedBuild):
    settings = Settings(base_uri=B, query_workers=1)
    with TestClient(create_app(settings=settings, published=published)) as client:
        yield client


def test_the_listing_filters_by_type(published: PublishedBuild, client: TestClient) -> None:
    service = BrowseService(published.store, B, published.listings)
    options = {o.value: o.count for o in service.institution_type_options()}
    assert options["Legislature"] > 0 and options["GovernmentBody"] > options["Legislature"]
    legislatures = service.institutions(type_="Legislature").total
    sparql = published.store.select(f"SELECT (COUNT(DISTINCT ?i) AS ?n) WHERE {{ ?i a "
                                    f"<{OGP}Legislature> }}")
    assert legislatures == int(sparql[0]["n"]) == options["Legislature"]
    page = client.get("/institutions", params={"type": "Legislature"}, headers=HTML)
    assert page.status_code == 200
    assert f"({legislatures} in all)" in page.text or f"{legislatures}" in page.text
    assert '<option value="Legislature" selected>' in page.text
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td>", page.text)
    assert rows and all("legislature" in kind.lower() for _, kind in rows)
    assert client.get("/institutions", params={"type": "no such"}).status_code == 400


def test_the_institution_page(client: TestClient) -> None:
    senate = client.get("/doc/institution/chile/senado.html")
    assert senate.status_code == 200
    text = senate.text
    assert "Legislature" in text or "legislature" in text
    assert "Fiscalía (Senado)" in text  # its units
    assert "Works most often with" in text
    piracicaba = client.get("/doc/institution/brazil/municipal-chamber-of-piracicaba.html").text
    assert "BR0122" in piracicaba and "BR0106" in piracicaba  # the commitments it supports
    assert "supports" in piracicaba
    assert "Chamber of Deputies" in piracicaba  # named on the same commitments


def test_a_merged_spelling_answers_301(published: PublishedBuild, client: TestClient) -> None:
    old, new = published.listings.rows("SELECT old, new FROM redirects ORDER BY old LIMIT 1")[0]
    assert old != new
    path = old.removeprefix(f"{B}id/")
    answer = client.get(f"/id/{path}", follow_redirects=False)
    assert answer.status_code == 301
    assert answer.headers["location"] == new
    doc = client.get(f"/doc/{path}.html", follow_redirects=False)
    assert doc.status_code == 301
    assert doc.headers["location"] == new.replace("/id/", "/doc/") + ".html"
    assert client.get(f"/id/{path}-no-such", follow_redirects=False).status_code == 404


def test_the_lead_institutions_example_gives_whole_institutions(client: TestClient) -> None:
    query = next(e for e in example_queries(B) if e.slug == "lead-institutions").query
    rows = json.loads(client.get("/sparql", params={"query": query}).text)["results"][
        "bindings"]
    assert len(rows) == 25
    names = [r["name"]["value"] for r in rows]
    assert [n for n in names if doubts(n)] == [], names
    assert len({r["institution"]["value"] for r in rows}) == 25


def test_the_ontology_page_documents_the_new_terms(client: TestClient) -> None:
    page = client.get("/ontology", headers=HTML)
    assert page.status_code == 200
    for term in ("ExecutiveBody", "Legislature", "NonGovernmentalOrganization",
                 "AcademicInstitution", "acronym", "Disagreement", "keptClaim"):
        assert f"ontology#{term}" in page.text or f'id="{term}"' in page.text, term
