"""Pages that speak human: property names as the vocabularies' labels in the reader's
language, dates in words, booleans as yes/no, datatypes only in the "all properties" table,
and an action plan called by the name its source gives it."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from rdflib import Literal
from rdflib.namespace import XSD
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from ogpgraph.config import Settings
from ogpgraph.store.oxigraph_store import OxigraphStore
from ogpgraph.web.app import create_app
from ogpgraph.web.published import PublishedBuild
from ogpgraph.web.reader_values import human_value

B = "http://127.0.0.1:8000/"
DATA = f"""
@prefix ogp: <{B}ontology#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix schema: <https://schema.org/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
<{B}graph/ontology> {{
  ogp:actionPlan rdfs:label "action plan"@en, "plan de acción"@es, "plan d'action"@fr .
  ogp:member rdfs:label "member"@en, "miembro"@es, "membre"@fr .
  ogp:starred rdfs:label "starred"@en, "estelar"@es, "étoilé"@fr .
  ogp:verifiable rdfs:label "verifiable"@en, "verificable"@es, "vérifiable"@fr .
}}
<{B}id/source/page-0001> {{
  <{B}id/commitment/PE0055> a ogp:Commitment ; dcterms:identifier "PE0055" ;
    dcterms:title "Management of Citizen Participation"@en ;
    ogp:member <{B}id/member/peru> ; ogp:actionPlan <{B}id/action-plan/peru-2015> ;
    schema:startDate "2015-08"^^xsd:gYearMonth ; schema:endDate "2017-06-30"^^xsd:date ;
    ogp:starred false ; ogp:assessment <{B}id/assessment/PE0055-mid-term> .
  <{B}id/assessment/PE0055-mid-term> a ogp:Assessment ; ogp:verifiable true ;
    ogp:assessedCommitment <{B}id/commitment/PE0055> .
  <{B}id/member/peru> a ogp:Member ; rdfs:label "Peru"@en .
  <{B}id/action-plan/peru-2015> a ogp:ActionPlan ; rdfs:label "Peru, Second Action Plan, 2015-16" .
}}
<{B}id/source/page-0002> {{
  <{B}id/action-plan/peru-2015> rdfs:label "Peru action plan (2015)"@en .
}}
"""


@pytest.fixture(scope="module")
def client() -> TestClient:
    store = ox.Store()
    store.load(DATA.encode(), format=ox.RdfFormat.TRIG)
    store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")  # the union
    manifest = {"build_id": "reader", "built_at": "2024-05-01T12:00:00+00:00"}
    published = PublishedBuild(store=OxigraphStore(store), base=B, manifest=manifest)
    return TestClient(create_app(Settings(base_uri=B), published))


def page(client: TestClient, lang: str) -> HTMLParser:
    response = client.get("/doc/commitment/PE0055.html", headers={"accept-language": lang})
    assert response.status_code == 200
    return HTMLParser(response.text)


def summary(tree: HTMLParser) -> dict[str, str]:
    """The first list of properties (above the description): name -> value as shown."""
    dl = tree.css_first("article dl.props")
    return {dt.text(strip=True): dd.text(strip=True)
            for dt, dd in zip(dl.css("dt"), dl.css("dd"), strict=True)}


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", {"Member": "Peru", "Action plan": "Peru, Second Action Plan, 2015-16",
            "Start date": "August 2015", "End date": "June 30, 2017",
            "Identifier": "PE0055", "Starred": "no"}),
    ("es", {"Miembro": "Peruen", "Plan de acción": "Peru, Second Action Plan, 2015-16",
            "Fecha de inicio": "agosto de 2015", "Fecha de finalización": "30 de junio de 2017",
            "Identificador": "PE0055", "Estelar": "no"}),
    ("fr", {"Membre": "Peruen", "Plan d'action": "Peru, Second Action Plan, 2015-16",
            "Date de début": "août 2015", "Date de fin": "30 juin 2017",
            "Identifiant": "PE0055", "Étoilé": "non"}),
])
def test_the_summary_speaks_the_readers_language(client, lang: str,
                                                 expected: dict[str, str]) -> None:
    assert summary(page(client, lang)) == expected


def test_booleans_of_assessments_read_yes_or_no(client) -> None:
    text = page(client, "es").css_first("#irm-h").parent.text()
    assert "Verificable" in text and "sí" in text and "true" not in text


def test_datatypes_only_in_the_all_properties_table(client) -> None:
    tree = page(client, "en")
    all_properties = tree.css_first("#all-h").parent
    assert {n.text() for n in all_properties.css(".datatype")} >= {
        "xsd:gYearMonth", "xsd:date", "xsd:boolean"}
    outside = [n for n in tree.css(".datatype") if n not in all_properties.css(".datatype")]
    assert len(tree.css(".datatype")) == len(all_properties.css(".datatype")) and not outside
    names = {dt.text(strip=True) for dt in all_properties.css("dt")}
    assert "Start dateschema:startDate" in names  # the label, and the CURIE beside it
    dates = {t.attributes["datetime"]: t.text() for t in all_properties.css("time")}
    assert dates == {"2015-08": "August 2015", "2017-06-30": "June 30, 2017"}


def test_no_code_names_are_shown(client) -> None:
    tree = page(client, "en")
    shown = {dt.text(strip=True) for dt in tree.css("dt")}
    assert not shown & {"startDate", "endDate", "identifier", "starred"}


def test_the_action_plan_is_called_by_its_own_name(client) -> None:
    text = page(client, "en").body.text()
    assert "Peru, Second Action Plan, 2015-16" in text
    assert "Peru action plan (2015)" not in text
    plan = client.get("/doc/action-plan/peru-2015.html").text
    assert "<h1>Peru, Second Action Plan, 2015-16" in plan


@pytest.mark.parametrize(("literal", "lang", "shown"), [
    (Literal("2015-08", datatype=XSD.gYearMonth), "es", ("agosto de 2015", "2015-08")),
    (Literal("2015", datatype=XSD.gYear), "fr", ("2015", "2015")),
    (Literal("1", datatype=XSD.boolean), "fr", ("oui", None)),
    (Literal("2015-13", datatype=XSD.gYearMonth), "en", ("2015-13", None)),
    (Literal("soon", datatype=XSD.date), "en", ("soon", None)),
    (Literal("42", datatype=XSD.integer), "en", ("42", None)),
])
def test_human_values(literal: Literal, lang: str, shown: tuple[str, str | None]) -> None:
    assert human_value(literal, lang) == shown
