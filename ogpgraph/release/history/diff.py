"""Comparing one resource's facts in two releases: what changed, and who said so."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib.namespace import DCTERMS, RDFS, SKOS

from ogpgraph.release.history.model import Change, ChangeKind, Facts, PropertyChange

# in this order, the fact that names a resource best (English first, then any language)
LABEL_PREDICATES = tuple(f"<{p}>" for p in (DCTERMS.title, RDFS.label, SKOS.prefLabel,
                                              DCTERMS.identifier))


def by_property(facts: Facts) -> dict[str, dict[str, set[str]]]:
    """predicate -> object -> the graphs stating it."""
    grouped: dict[str, dict[str, set[str]]] = {}
    for (predicate, obj), graphs in facts.items():
        grouped.setdefault(predicate, {})[obj] = graphs
    return grouped


def sources_of(values: dict[str, set[str]], wanted: set[str]) -> tuple[str, ...]:
    return tuple(sorted({g for value in wanted for g in values.get(value, ())}))


def property_changes(old: Facts, new: Facts) -> tuple[PropertyChange, ...]:
    """The properties whose set of values differs, in IRI order. A value merely stated by
    one more (or one fewer) source is no change of value."""
    before, after = by_property(old), by_property(new)
    changes = []
    for predicate in sorted(before.keys() | after.keys()):
        old_values, new_values = before.get(predicate, {}), after.get(predicate, {})
        if old_values.keys() == new_values.keys():
            continue
        gone = set(old_values) - set(new_values)
        came = set(new_values) - set(old_values)
        changes.append(PropertyChange(
            property=predicate[1:-1], old=tuple(sorted(old_values)), new=tuple(sorted(new_values)),
            old_sources=sources_of(old_values, gone), new_sources=sources_of(new_values, came)))
    return tuple(changes)


def all_sources(facts: Facts) -> tuple[str, ...]:
    return tuple(sorted({g for graphs in facts.values() for g in graphs}))


def label_of(iri: str, facts: Facts) -> str:
    """A name for the resource from its own facts: English title or label first."""
    grouped = by_property(facts)
    for predicate in LABEL_PREDICATES:
        values = sorted(grouped.get(predicate, {}))
        if values:
            english = [v for v in values if v.endswith('"@en')]
            return literal_text((english or values)[0])
    return iri.rstrip("/").rsplit("/", 1)[-1]


def literal_text(term: str) -> str:
    """The lexical form of an N-Triples literal, or the term itself."""
    parsed = parse_term(term)
    return parsed.value if isinstance(parsed, ox.Literal) else term


def parse_term(term: str) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An N-Triples term back as a pyoxigraph term."""
    [triple] = ox.parse(f"<urn:s> <urn:p> {term} .", ox.RdfFormat.N_TRIPLES)
    return triple.object  # type: ignore[return-value]


@dataclass(frozen=True)
class Context:
    """What a change needs beyond the two sets of facts."""

    base: str
    member_of: Callable[[str, Facts], str | None]


def compare(iri: str, old: Facts, new: Facts, context: Context) -> Change | None:
    """The change of ``iri`` between two releases, or None if its values are the same."""
    kind: ChangeKind
    if not old and not new:
        return None
    if not old:
        kind, properties = "added", ()
        new_sources, old_sources = all_sources(new), ()
    elif not new:
        kind, properties = "removed", ()
        new_sources, old_sources = (), all_sources(old)
    else:
        properties = property_changes(old, new)
        if not properties:
            return None
        kind = "modified"
        new_sources = tuple(sorted({s for p in properties for s in p.new_sources}))
        old_sources = tuple(sorted({s for p in properties for s in p.old_sources}))
    facts = new or old
    return Change(resource=iri, kind=kind, resource_kind=resource_kind(iri, context.base),
                  member=context.member_of(iri, facts), label=label_of(iri, facts),
                  new_sources=new_sources, old_sources=old_sources, properties=properties,
                  state=tuple(sorted(f"{p} {o}" for p, o in new)))


def resource_kind(iri: str, base: str) -> str:
    """``{base}id/commitment/PE0055`` -> ``commitment``; a concept scheme is its own kind."""
    return iri[len(f"{base}id/"):].split("/", 1)[0]
