"""Which label an IRI shows: the rules shared by the build (listing index) and the web layer.

A label is the first of skos:prefLabel, rdfs:label, dcterms:title, foaf:name that has a
value; among that property's values the reader's language wins, then English, then an
untagged value, then any.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDFS, SKOS
from rdflib.term import Node

LANGUAGES = ("en", "es", "fr")
DEFAULT_LANG = "en"
LABEL_PROPERTIES: tuple[URIRef, ...] = (SKOS.prefLabel, RDFS.label, DCTERMS.title, FOAF.name)


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
