"""Which name an action plan shows, and the one the mapping makes up when no source names
it: OGP's own form ("Kosovo Action Plan 2023-2025"), never "Peru action plan (2015)"."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDFS, SKOS

from ogpgraph.graph.labels import chosen_label, made_up_plan_name

PLAN = "http://127.0.0.1:8000/id/action-plan/peru-2015"


@pytest.mark.parametrize(("member", "cycle", "end", "expected"), [
    ("Albania", 2012, 2014, "Albania Action Plan 2012-2014"),
    ("Peru", 2017, None, "Peru Action Plan 2017"),
    ("Peru", 2017, 2017, "Peru Action Plan 2017"),
    ("Buenos Aires, Argentina", 2018, 2020, "Buenos Aires, Argentina Action Plan 2018-2020"),
    ("Makueni Kenya", None, None, "Makueni Kenya: commitments not attached to an action plan"),
])
def test_made_up_names_take_ogps_form(member: str, cycle: int | None, end: int | None,
                                      expected: str) -> None:
    assert made_up_plan_name(member, cycle, end) == expected


@pytest.mark.parametrize("lang", ["en", "es", "fr"])
def test_a_sources_name_wins_over_a_made_up_one_in_every_language(lang: str) -> None:
    labels = {RDFS.label: [Literal("Peru Action Plan 2015-2017", lang="en"),
                           Literal("Peru, Second Action Plan, 2015-16"),
                           Literal("Plan 2015")]}
    assert chosen_label(PLAN, labels, lang) == Literal("Peru, Second Action Plan, 2015-16")


def test_of_made_up_names_the_one_that_says_most() -> None:
    labels = {RDFS.label: [Literal("Testland Action Plan 2014", lang="en"),
                           Literal("Testland Action Plan 2014-2016", lang="en")]}
    assert str(chosen_label(PLAN, labels, "es")) == "Testland Action Plan 2014-2016"


def test_other_resources_follow_the_reader_language_rule() -> None:
    concept = "http://127.0.0.1:8000/id/policy-area/open-data"
    labels = {SKOS.prefLabel: [Literal("Open Data", lang="en"),
                               Literal("Datos abiertos", lang="es")],
              RDFS.label: [Literal("open data, untagged and longer")]}
    assert str(chosen_label(concept, labels, "es")) == "Datos abiertos"
    assert str(chosen_label(URIRef(concept), labels, "fr")) == "Open Data"
