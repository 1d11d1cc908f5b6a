"""Labels for IRIs in the reader's language, with fallback.

The reader's language comes from ``?lang=en|es|fr``, else ``Accept-Language``, else English.
A label is the first of skos:prefLabel, rdfs:label, dcterms:title, foaf:name that has a
value; among that property's values the reader's language wins, then English, then an
untagged value, then any. Two exceptions:

* an action plan or IRM report is called by the name a source gives it ("Peru, Second
  Action Plan, 2015-16", untagged) before the label the mapping makes up from its key when
  a source names none ("Peru action plan (2015)", tagged English);
* the standard vocabularies' terms we use (``dcterms:identifier``, ``schema:startDate``…)
  have no labels in the store: theirs are in :data:`TERM_LABELS`, in our three languages.

IRIs with no label at all fall back to a readable tail of the IRI.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from urllib.parse import unquote

from fastapi import Request
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, RDFS, SKOS
from rdflib.term import Node

from ogpgraph.graph.labels import (  # noqa: F401 - part of this module's interface
    DEFAULT_LANG,
    LABEL_PROPERTIES,
    LANGUAGES,
    best_label,
    pick_literal,
)
from ogpgraph.graph.static_files import ONTOLOGY_FILE, load_graph
from ogpgraph.graph.terms import SCHEMA
from ogpgraph.store.base import GraphStore

_BATCH = 200  # IRIs per VALUES block: keeps each query small
# resources whose sources give names, and for which the mapping makes one up otherwise
_NAMED_BY_SOURCES = re.compile(r"/id/(?:action-plan|irm-report)/[^/]+$")

# The reused vocabularies' terms, as (en, es, fr). English follows the vocabularies' own
# rdfs:label (DCMI, SKOS, FOAF, PROV), in lower case as ours; schema.org's labels are its
# property names ("startDate"), so they are spelt out.
TERM_LABELS: dict[URIRef, tuple[str, str, str]] = {
    RDF.type: ("type", "tipo", "type"),
    RDFS.label: ("label", "etiqueta", "libellé"),
    RDFS.comment: ("comment", "comentario", "commentaire"),
    RDFS.seeAlso: ("see also", "véase también", "voir aussi"),
    DCTERMS.identifier: ("identifier", "identificador", "identifiant"),
    DCTERMS.title: ("title", "título", "titre"),
    DCTERMS.description: ("description", "descripción", "description"),
    DCTERMS.isPartOf: ("is part of", "es parte de", "fait partie de"),
    DCTERMS.hasPart: ("has part", "tiene parte", "a pour partie"),
    DCTERMS.issued: ("date issued", "fecha de publicación", "date de publication"),
    DCTERMS.modified: ("date modified", "fecha de modificación", "date de modification"),
    DCTERMS.license: ("license", "licencia", "licence"),
    DCTERMS.source: ("source", "fuente", "source"),
    SCHEMA.startDate: ("start date", "fecha de inicio", "date de début"),
    SCHEMA.endDate: ("end date", "fecha de finalización", "date de fin"),
    SCHEMA.position: ("position", "posición", "position"),
    FOAF.page: ("page", "página", "page"),
    FOAF.primaryTopic: ("primary topic", "tema principal", "sujet principal"),
    PROV.wasDerivedFrom: ("was derived from", "derivado de", "dérivé de"),
    PROV.generatedAtTime: ("generated at", "generado el", "généré le"),
    SKOS.prefLabel: ("preferred label", "etiqueta preferida", "libellé préférentiel"),
    SKOS.altLabel: ("alternative label", "etiqueta alternativa", "libellé alternatif"),
    SKOS.hiddenLabel: ("hidden label", "etiqueta oculta", "libellé caché"),
    SKOS.notation: ("notation", "notación", "notation"),
    SKOS.definition: ("definition", "definición", "définition"),
    SKOS.inScheme: ("is in scheme", "está en el esquema", "est dans le schéma"),
    SKOS.topConceptOf: ("is top concept in scheme", "es concepto principal del esquema",
                        "est concept de tête du schéma"),
    SKOS.hasTopConcept: ("has top concept", "tiene concepto principal",
                         "a pour concept de tête"),
    SKOS.broader: ("has broader", "tiene más amplio", "a pour plus large"),
    SKOS.narrower: ("has narrower", "tiene más específico", "a pour plus précis"),
    SKOS.related: ("has related", "tiene relacionado", "a pour associé"),
}


def term_label(iri: URIRef, lang: str) -> Literal | None:
    """A reused vocabulary term's label in ``lang`` (else English), or None."""
    names = TERM_LABELS.get(iri)
    if names is None:
        return None
    code = lang if lang in LANGUAGES else DEFAULT_LANG
    return Literal(names[LANGUAGES.index(code)], lang=code)


def stated_name(iri: URIRef, by_property: dict[URIRef, list[Node]]) -> Literal | None:
    """An action plan's or IRM report's own name as a source states it (untagged), if any;
    several: the longest, which says most ("Peru, Second Action Plan, 2015-16")."""
    if not _NAMED_BY_SOURCES.search(str(iri)):
        return None
    stated = [v for v in by_property.get(RDFS.label, ())
              if isinstance(v, Literal) and not v.language]
    return max(stated, key=lambda v: (len(str(v)), str(v))) if stated else None


def reader_lang(request: Request) -> str:
    """``?lang=`` if supported, else the best supported language of Accept-Language."""
    asked = (request.query_params.get("lang") or "").strip().lower()
    if asked in LANGUAGES:
        return asked
    return lang_from_accept_language(request.headers.get("accept-language"))


def lang_from_accept_language(header: str | None) -> str:
    """``es-PE,es;q=0.9,en;q=0.8`` -> ``es``; unsupported or missing -> ``en``."""
    best, best_q = DEFAULT_LANG, 0.0
    for position, item in enumerate((header or "").split(",")):
        tag, _, params = item.strip().partition(";")
        primary = tag.strip().lower().split("-", 1)[0]
        q = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        q -= position * 1e-6  # equal q: the earlier tag wins
        if primary in LANGUAGES and q > best_q:
            best, best_q = primary, q
    return best


def fallback_label(iri: str) -> str:
    """A readable tail: ``…/id/policy-area/open-data`` -> ``open-data``; ``…#Commitment``."""
    tail = iri.rstrip("/#")
    for sep in ("#", "/"):
        if sep in tail:
            tail = tail.rsplit(sep, 1)[1]
            break
    return unquote(tail) or iri




def fetch_labels(store: GraphStore, iris: Iterable[Node], lang: str) -> dict[URIRef, Literal]:
    """Labels (as literals, so their language tag can be shown) of the IRIs that have one."""
    wanted: Sequence[URIRef] = sorted({i for i in iris if isinstance(i, URIRef)})
    found: dict[URIRef, dict[URIRef, list[Node]]] = {}
    props = ", ".join(f"<{p}>" for p in LABEL_PROPERTIES)
    for start in range(0, len(wanted), _BATCH):
        values = " ".join(f"<{iri}>" for iri in wanted[start:start + _BATCH])
        rows = store.select(
            # FILTER, not VALUES, on ?p: Oxigraph then scans each subject once (~70x faster)
            f"SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?s {{ {values} }} ?s ?p ?o "
            f"FILTER(?p IN ({props})) }}"
        )
        for row in rows:
            found.setdefault(row["s"], {}).setdefault(row["p"], []).append(row["o"])
    labels: dict[URIRef, Literal] = {}
    for iri, by_property in found.items():
        chosen = stated_name(iri, by_property) or best_label(by_property, lang)
        if chosen is not None:
            labels[iri] = chosen
    for iri in wanted:
        if iri not in labels and (known := term_label(iri, lang)) is not None:
            labels[iri] = known
    return labels


def label_texts(store: GraphStore, iris: Iterable[Node], lang: str) -> dict[URIRef, str]:
    """Like :func:`fetch_labels` but plain strings, with the IRI-tail fallback filled in."""
    wanted = {i for i in iris if isinstance(i, URIRef)}
    labels = fetch_labels(store, wanted, lang)
    return {iri: str(labels[iri]) if iri in labels else fallback_label(iri) for iri in wanted}


def label_of(store: GraphStore, iri: URIRef, lang: str) -> str:
    return label_texts(store, [iri], lang)[iri]


def ontology_labels(base: str, iris: Iterable[Node], lang: str) -> dict[URIRef, Literal]:
    """Labels of our ontology's terms (classes for a filter, properties), read from the
    ontology file itself: the authority on them, parsed once per base."""
    namespace = f"{base}ontology#"
    graph = load_graph(ONTOLOGY_FILE, base)
    found: dict[URIRef, Literal] = {}
    for iri in iris:
        if isinstance(iri, URIRef) and str(iri).startswith(namespace):
            chosen = best_label({p: list(graph.objects(iri, p)) for p in LABEL_PROPERTIES},
                                lang)
            if chosen is not None:
                found[iri] = chosen
    return found
