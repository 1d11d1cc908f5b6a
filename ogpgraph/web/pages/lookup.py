"""Which IRIs exist, and the nearest ones to an IRI that does not ("did you mean").

Suggestions come from the listing index built with the release (``identifiers`` table:
a bounded number of indexed reads, whatever the size of the dataset), never from a scan
of the store; their labels from its ``labels`` table in the reader's language, else the
English label kept with the identifier.
"""

from __future__ import annotations

import difflib

from rdflib import URIRef

from ogpgraph.release.listings.identifiers import nearest_identifiers
from ogpgraph.web.pages.kind import Target
from ogpgraph.web.pages.registry import PAGE_KINDS, is_scheme_kind
from ogpgraph.web.published import PublishedBuild
from ogpgraph.web.reader_labels import fallback_label


def iri_of(base: str, target: Target) -> URIRef:
    return URIRef(f"{base}id/{target.path}")


def is_known(published: PublishedBuild, target: Target) -> bool:
    """Subject of a triple; a SKOS concept or scheme may also be only an object. A typed
    subject is found in the listing index of the same release (no round trip to the
    store); anything else is asked of the store."""
    iri = iri_of(published.base, target)
    if target.key and _indexed(published, target, str(iri)):
        return True
    if is_scheme_kind(target.kind):
        return published.store.ask(f"ASK {{ {{ <{iri}> ?p ?o }} UNION {{ ?s ?p <{iri}> }} }}")
    return published.store.ask(f"ASK {{ <{iri}> ?p ?o }}")


def _indexed(published: PublishedBuild, target: Target, iri: str) -> bool:
    try:
        index = published.listings
    except FileNotFoundError:  # a remote store's release folder without its index
        return False
    return index.has_identifier(target.kind, target.key, iri)


def suggestions(published: PublishedBuild, path: str, lang: str) -> list[tuple[str, str]]:
    """Nearest identifiers of the same kind (or nearest kinds): (IRI, label) pairs."""
    base = published.base
    kind, _, key = path.partition("/")
    if kind not in PAGE_KINDS:
        near = difflib.get_close_matches(kind, list(PAGE_KINDS), n=5, cutoff=0.5)
        return [(f"{base}id/{k}", k) for k in near]
    if not key:
        return []
    index = published.listings
    found = nearest_identifiers(index, kind, key)
    labels = index.labels([iri for iri, _ in found], lang)
    return [(iri, labels[iri][0] if iri in labels else label or fallback_label(iri))
            for iri, label in found]
