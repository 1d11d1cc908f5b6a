"""Labels for IRIs in the reader's language, with fallback.

The reader's language comes from ``?lang=en|es|fr``, else ``Accept-Language``, else English.
A label is the first of skos:prefLabel, rdfs:label, dcterms:title, foaf:name that has a
value; among that property's values the reader's language wins, then English, then an
untagged value, then any. Two exceptions:

* an action plan or IRM report is called by the name a source gives it ("Peru, Second
  Action Plan, 2015-16", untagged) before the name the mapping makes up from its key when
  no source names it ("Peru Action Plan 2015-2017", tagged English):
  :func:`ogpgraph.graph.labels.chosen_label`, the rule the listing index follows too;
* the standard vocabularies' terms we use (``dcterms:identifier``, ``schema:startDate``…)
  have no labels in the store: theirs are in :data:`TERM_LABELS`, in our three languages.

IRIs with no label at all fall back to a readable tail of the IRI.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from urllib.parse import unquote

from fastapi import Request
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, RDFS, SKOS
from rdflib.term import Node

from ogpgraph.graph.labels import (  # noqa: F401 - part of this module's interface
    DEFAULT_LANG,
    LABEL_PROPERTIES,
    LANGUAGES,
    best_label,
    chosen_label,
    pick_literal,
    plan_name,
)
from ogpgraph.graph.static_files import ONTOLOGY_FILE, load_graph
from ogpgraph.graph.terms import ORG, SCHEMA
from ogpgraph.store.base import GraphStore

_BATCH = 200  # IRIs per VALUES block: keeps each query small
LABEL_CACHE_SIZE = 200_000  # (IRI, language) entries of one release's label cache

# The reused vocabularies' terms, as (en, es, fr). English follows the vocabularies' own
# rdfs:label (DCMI, SKOS, FOAF, PROV), in lower case as ours; schema.org's labels are its
# property names ("startDate"), so they are spelt out.
TERM_LABELS: dict[URIRef, tuple[str, str, str]] = {
    RDF.type: ("type", "tipo", "type"),
    RDFS.label: ("label", "etiqueta", "libellé"),
    RDFS.comment: ("comment", "comentario", "commentaire"),
    RDFS.seeAlso: ("see also", "véase también", "voir aussi"),
    RDFS.isDefinedBy: ("is defined by", "definido por", "défini par"),
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
    SKOS.note: ("note", "nota", "note"),
    SKOS.Concept: ("concept", "concepto", "concept"),
    SKOS.ConceptScheme: ("concept scheme", "esquema de conceptos", "schéma de concepts"),
    DCTERMS.subject: ("subject", "tema", "sujet"),
    ORG.subOrganizationOf: ("sub-organization of", "suborganización de",
                            "sous-organisation de"),
    ORG.Organization: ("organization", "organización", "organisation"),
    PROV.Entity: ("entity", "entidad", "entité"),
    PROV.Activity: ("activity", "actividad", "activité"),
    PROV.used: ("used", "usó", "a utilisé"),
    PROV.wasGeneratedBy: ("was generated by", "generado por", "généré par"),
    PROV.startedAtTime: ("started at", "iniciado el", "commencé le"),
    PROV.endedAtTime: ("ended at", "terminado el", "terminé le"),
}


def term_label(iri: URIRef, lang: str) -> Literal | None:
    """A reused vocabulary term's label in ``lang`` (else English), or None."""
    names = TERM_LABELS.get(iri)
    if names is None:
        return None
    code = lang if lang in LANGUAGES else DEFAULT_LANG
    return Literal(names[LANGUAGES.index(code)], lang=code)


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




class LabelCache:
    """Labels already chosen in one release, by IRI and reader's language (None: the IRI
    has none). A release never changes, so an entry stays right for the release's life,
    and a new release comes with a new cache (``PublishedBuild.label_cache``). Pages ask
    mostly for the same terms (properties, classes, concepts, the sources): from a remote
    engine, a page then needs no label query at all. Bounded: emptied when full."""

    def __init__(self, capacity: int = LABEL_CACHE_SIZE) -> None:
        self.capacity = capacity
        self._entries: dict[tuple[URIRef, str], Literal | None] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def lookup(self, iris: Iterable[URIRef], lang: str
               ) -> tuple[dict[URIRef, Literal], set[URIRef]]:
        """The labels known for ``iris`` and the IRIs not seen yet."""
        found: dict[URIRef, Literal] = {}
        missing: set[URIRef] = set()
        entries = self._entries
        for iri in iris:
            key = (iri, lang)
            if key not in entries:
                missing.add(iri)
            elif (label := entries[key]) is not None:
                found[iri] = label
        return found, missing

    def remember(self, iris: Iterable[URIRef], lang: str, labels: dict[URIRef, Literal]
                 ) -> None:
        """``labels`` as found for ``iris``: the IRIs without one are remembered too."""
        iris = list(iris)
        if len(self._entries) + len(iris) > self.capacity:
            self._entries = {}  # replaced, not cleared: a reader meanwhile keeps the old one
        entries = self._entries
        for iri in iris:
            entries[(iri, lang)] = labels.get(iri)


def fetch_labels(store: GraphStore, iris: Iterable[Node], lang: str,
                 cache: LabelCache | None = None) -> dict[URIRef, Literal]:
    """Labels (as literals, so their language tag can be shown) of the IRIs that have one;
    with ``cache`` (the release's), only the IRIs it has not seen are asked for."""
    wanted_set = {i for i in iris if isinstance(i, URIRef)}
    if cache is None:
        return _query_labels(store, wanted_set, lang)
    known, missing = cache.lookup(wanted_set, lang)
    if missing:
        found = _query_labels(store, missing, lang)
        cache.remember(missing, lang, found)
        known.update(found)
    return known


def _query_labels(store: GraphStore, iris: set[URIRef], lang: str) -> dict[URIRef, Literal]:
    wanted: Sequence[URIRef] = sorted(iris)
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
        chosen = chosen_label(iri, by_property, lang)
        if chosen is not None:
            labels[iri] = chosen
    for iri in wanted:
        if iri not in labels and (known := term_label(iri, lang)) is not None:
            labels[iri] = known
    return labels


def document_labels(store: GraphStore, graph: Graph, iris: Iterable[Node], lang: str,
                    cache: LabelCache | None = None, looked_up: Iterable[URIRef] = (),
                    known: Mapping[URIRef, Mapping[URIRef, list[Node]]] | None = None,
                    ) -> dict[URIRef, Literal]:
    """:func:`fetch_labels` for a page of a resource document (``resource_document``):
    every subject of its graph comes with all its label properties, and so does every IRI
    in ``looked_up`` (the graph's, or ``known``'s, where it has any), so those labels are
    chosen from them and only the others (properties, classes) asked for, from ``cache``
    where it has them."""
    wanted = {i for i in iris if isinstance(i, URIRef)}
    described = ({s for s in graph.subjects() if isinstance(s, URIRef)}
                 | set(looked_up)) & wanted
    labels = fetch_labels(store, wanted - described, lang, cache)
    known = known or {}
    for iri in described:
        by_property = {p: values for p in LABEL_PROPERTIES
                       if (values := list(graph.objects(iri, p)) + list(
                           known.get(iri, {}).get(p, ())))}
        chosen = chosen_label(iri, by_property, lang) or term_label(iri, lang)
        if chosen is not None:
            labels[iri] = chosen
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
