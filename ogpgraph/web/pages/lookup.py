"""Which IRIs exist, and the nearest ones to an IRI that does not ("did you mean")."""

from __future__ import annotations

import difflib

from rdflib import URIRef

from ogpgraph.web.pages.kind import Target
from ogpgraph.web.pages.registry import PAGE_KINDS, is_scheme_kind
from ogpgraph.web.published import PublishedBuild
from ogpgraph.web.reader_labels import fallback_label, fetch_labels


def iri_of(base: str, target: Target) -> URIRef:
    return URIRef(f"{base}id/{target.path}")


def is_known(published: PublishedBuild, target: Target) -> bool:
    """Subject of a triple; a SKOS concept or scheme may also be only an object."""
    iri = iri_of(published.base, target)
    if is_scheme_kind(target.kind):
        return published.store.ask(f"ASK {{ {{ <{iri}> ?p ?o }} UNION {{ ?s ?p <{iri}> }} }}")
    return published.store.ask(f"ASK {{ <{iri}> ?p ?o }}")


def suggestions(published: PublishedBuild, path: str, lang: str) -> list[tuple[str, str]]:
    """Nearest identifiers of the same kind (or nearest kinds): (IRI, label) pairs."""
    base = published.base
    kind, _, key = path.partition("/")
    if kind not in PAGE_KINDS:
        near = difflib.get_close_matches(kind, list(PAGE_KINDS), n=5, cutoff=0.5)
        return [(f"{base}id/{k}", k) for k in near]
    prefix = f"{base}id/{kind}/"
    rows = published.store.select(
        f'SELECT DISTINCT ?s WHERE {{ ?s a ?t FILTER(STRSTARTS(STR(?s), "{prefix}")) }} '
        f"LIMIT 50000")
    keys = {str(r["s"])[len(prefix):]: r["s"] for r in rows}
    folded = {k.lower(): k for k in keys}
    near = difflib.get_close_matches(key.lower(), list(folded), n=5, cutoff=0.5)
    iris = [keys[folded[k]] for k in near]
    labels = fetch_labels(published.store, iris, lang)
    return [(str(i), str(labels.get(i, fallback_label(str(i))))) for i in iris]
