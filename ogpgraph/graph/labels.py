"""Which label an IRI shows: the rules shared by the build (listing index) and the web layer,
and the names the mapping makes up for action plans no source names.

A label is the first of skos:prefLabel, rdfs:label, dcterms:title, foaf:name that has a
value; among that property's values the reader's language wins, then English, then an
untagged value, then any. One exception (:func:`chosen_label`): an action plan or IRM
report is called by the name a source gives it ("Peru, Second Action Plan, 2015-16",
untagged, as sources write names) before the name the mapping makes up from its key when
a source names none (:func:`made_up_plan_name`, tagged English), whatever the reader's
language: the union of the sources' graphs holds both where one source names the plan
(a commitment page) and another does not (OGP's CSV export has no plan names, nor does
a page's list of the member's other commitments).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDFS, SKOS
from rdflib.term import Node

LANGUAGES = ("en", "es", "fr")
DEFAULT_LANG = "en"
LABEL_PROPERTIES: tuple[URIRef, ...] = (SKOS.prefLabel, RDFS.label, DCTERMS.title, FOAF.name)
# resources whose sources give names, and for which the mapping makes one up otherwise
NAMED_BY_SOURCES = re.compile(r"/id/(?:action-plan|irm-report)/[^/]+$")


def pick_literal(values: Iterable[Node], lang: str) -> Literal | None:
    """The value best suited to a reader of ``lang``: lang, en, untagged, then any."""
    literals = [v for v in values if isinstance(v, Literal)]
    if not literals:
        return None

    def rank(lit: Literal) -> tuple[int, str]:
        tag = (lit.language or "").lower()
        primary = tag.split("-", 1)[0]
        order = 0 if primary == lang else 1 if primary == DEFAULT_LANG else 2 if not tag else 3
        return order, str(lit)

    return min(literals, key=rank)


def best_label(values_by_property: dict[URIRef, list[Node]], lang: str) -> Literal | None:
    """Apply the property order, then the language order."""
    for prop in LABEL_PROPERTIES:
        chosen = pick_literal(values_by_property.get(prop, ()), lang)
        if chosen is not None:
            return chosen
    return None


def plan_name(iri: str, values_by_property: dict[URIRef, list[Node]], lang: str
              ) -> Literal | None:
    """An action plan's or IRM report's name (None for any other IRI): the name a source
    states (untagged), else the name the mapping made up (tagged), in the reader's language
    if it has one; among several, the longest, which says most ("Peru, Second Action Plan,
    2015-16"; "Testland Action Plan 2014-2016" rather than "Testland Action Plan 2014",
    made from a row that gave no end year)."""
    if not NAMED_BY_SOURCES.search(str(iri)):
        return None
    names = [v for v in values_by_property.get(RDFS.label, ()) if isinstance(v, Literal)]
    stated = [v for v in names if not v.language]
    if not stated and (preferred := pick_literal(names, lang)) is not None:
        stated = [v for v in names if v.language == preferred.language]
    return max(stated, key=lambda v: (len(str(v)), str(v))) if stated else None


def chosen_label(iri: str, values_by_property: dict[URIRef, list[Node]], lang: str
                 ) -> Literal | None:
    """The label ``iri`` shows to a reader of ``lang``: an action plan's or IRM report's
    :func:`plan_name`, else :func:`best_label`."""
    return plan_name(iri, values_by_property, lang) or best_label(values_by_property, lang)


def made_up_plan_name(member: str, cycle_year: int | None, end_year: int | None) -> str:
    """The name of an action plan no source names, in the form OGP's own site gives plans
    today ("Buenos Aires Action Plan 2018-2020", "Kosovo Action Plan 2023-2025"):
    ``Albania Action Plan 2012-2014``; ``Albania Action Plan 2012`` without an end year; the
    commitments OGP shows as "Not Attached": ``Makueni Kenya: commitments not attached to an
    action plan``."""
    if not cycle_year:
        return f"{member}: commitments not attached to an action plan"
    years = f"{cycle_year}-{end_year}" if end_year and end_year != cycle_year else f"{cycle_year}"
    return f"{member} Action Plan {years}"
