"""Look-ups from labels found in sources to concept keys of our SKOS vocabularies.

The vocabularies live in ``ontology/vocabularies.ttl``; every concept is
``{base}id/{scheme}/{key}`` and every ``skos:prefLabel``, ``skos:altLabel`` and
``skos:hiddenLabel`` (in any language) and ``skos:notation`` is indexed after
normalisation (case, accents, punctuation, ``&``), so ``Anti Corruption and Integrity``,
``Anti-Corruption and Integrity`` and ``Anticorrupción`` all find their concept.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from ogpgraph.config import DEFAULT_BASE_URI, VOCABULARIES_FILE

# Values that mean "not assessed / no data": they yield no value at all.
NOT_ASSESSED = {
    "", "nd", "nr", "na", "n a", "none given", "pending irm review", "no irm data",
    "revision pendiente de irm", "revision pendiente del irm", "sin datos del irm",
    "en attente de revue de l irm", "en attente de l examen irm", "examen irm en attente",
    "pas de donnees irm", "not applicable", "no early results to report yet",
}


@lru_cache(maxsize=65_536)
def normalise(label: str) -> str:
    text = unicodedata.normalize("NFKD", label)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.casefold().replace("&", " and ")
    return re.sub(r"[^0-9a-z]+", " ", text).strip()


def is_not_assessed(value: str | None) -> bool:
    return value is None or normalise(value) in NOT_ASSESSED


@lru_cache(maxsize=1)
def _vocabularies() -> Graph:
    """ontology/vocabularies.ttl as written (under the default base: keys, not IRIs)."""
    return Graph().parse(VOCABULARIES_FILE, format="turtle")


@lru_cache(maxsize=1)
def _index() -> dict[str, dict[str, str]]:
    """scheme -> normalised label -> concept key."""
    graph = _vocabularies()
    prefix = f"{DEFAULT_BASE_URI}id/"
    index: dict[str, dict[str, str]] = {}
    for predicate in (SKOS.hiddenLabel, SKOS.altLabel, SKOS.notation, SKOS.prefLabel):
        for concept, label in graph.subject_objects(predicate):
            if not isinstance(concept, URIRef) or not str(concept).startswith(prefix):
                continue
            parts = str(concept)[len(prefix):].split("/")
            if len(parts) != 2:
                continue
            scheme, key = parts
            # prefLabels are indexed last so that they win over any clashing alt label
            index.setdefault(scheme, {})[normalise(str(label))] = key
    return index


def lookup(scheme: str, label: str | None) -> str | None:
    """The concept key for a label in a scheme, or None (unknown or not assessed)."""
    if is_not_assessed(label):
        return None
    return _index().get(scheme, {}).get(normalise(label or ""))


def keys(scheme: str) -> set[str]:
    return set(_index().get(scheme, {}).values())


def known_label(label: str) -> bool:
    """True when the label names a concept of any scheme."""
    norm = normalise(label)
    return any(norm in labels for labels in _index().values())


def find_in(scheme: str, text: str) -> str | None:
    """The concept whose label occurs in the text (longest label wins), e.g. the report kind
    in ``United Kingdom End-of-Term Report 2016-2018``."""
    norm = f" {normalise(text)} "
    best: tuple[int, str] | None = None
    for label, key in _index().get(scheme, {}).items():
        if label and f" {label} " in norm and (best is None or len(label) > best[0]):
            best = (len(label), key)
    return best[1] if best else None


@lru_cache(maxsize=1)
def _notations() -> dict[tuple[str, str], str]:
    graph = _vocabularies()
    prefix = f"{DEFAULT_BASE_URI}id/"
    found: dict[tuple[str, str], str] = {}
    for concept, notation in graph.subject_objects(SKOS.notation):
        parts = str(concept)[len(prefix):].split("/")
        if str(concept).startswith(prefix) and len(parts) == 2:
            found[(parts[0], parts[1])] = str(notation)
    return found


def notation(scheme: str, key: str) -> str | None:
    """The concept's skos:notation: the numeric code OGP's export uses for it, where any."""
    return _notations().get((scheme, key))
