"""What the listing index is made from: whole-dataset SPARQL over the union graph, read
once into plain Python maps (subject IRI -> objects) that the table writers share."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from ogpgraph.graph.terms import prefixes_for
from ogpgraph.release.listings.schema import SNIPPET_CHARS

Objects = dict[str, list[Any]]  # subject IRI -> distinct objects (pyoxigraph terms)


class StoreReader:
    """Whole-dataset SPARQL over the union graph (or a store's default graph)."""

    def __init__(self, store: ox.Store, base: str, union: bool = True) -> None:
        self.store = store
        self.union = union
        self.prologue = "".join(f"PREFIX {k}: <{v}>\n" for k, v in prefixes_for(base).items())

    def rows(self, query: str) -> Iterator[list[Any]]:
        solutions = self.store.query(self.prologue + query,
                                     use_default_graph_as_union=self.union)
        names = [v.value for v in solutions.variables]  # type: ignore[union-attr]
        for solution in solutions:  # type: ignore[union-attr]
            yield [solution[name] for name in names]

    def subjects(self, rdf_class: str) -> set[str]:
        return {s.value for s, in self.rows(f"SELECT DISTINCT ?s WHERE {{ ?s a {rdf_class} }}")}

    def pairs(self, predicate: str) -> Objects:
        """Subject IRI -> distinct objects of ``predicate`` (terms kept for literals)."""
        found: Objects = defaultdict(list)
        for s, o in self.rows(f"SELECT DISTINCT ?s ?o WHERE {{ ?s {predicate} ?o }}"):
            if isinstance(s, ox.NamedNode):
                found[s.value].append(o)
        return found


@dataclass
class DatasetFacts:
    """The classes and properties the listings need, read once."""

    commitments: set[str]
    members: set[str]
    local_members: set[str]
    plans: set[str]
    institutions: set[str]
    schemes: set[str]
    values: dict[str, Objects]  # property CURIE -> its subject -> objects
    assessments: dict[str, set[str]] = field(default_factory=dict)  # commitment -> its

    def of(self, prop: str, subject: str) -> list[Any]:
        return self.values[prop].get(subject, [])

    def label_key(self, iris: Iterable[str]) -> str:
        keys = [t.value.lower() for i in iris for t in self.of("rdfs:label", i)]
        return min(keys, default="")

    def ranks(self, concept: str) -> list[int]:
        found = (int_or_none(t.value) for t in self.of("ogp:rank", concept))
        return [r for r in found if r is not None]


PROPERTIES = ("dcterms:identifier", "dcterms:title", "ogp:shortTitle", "dcterms:description",
              "ogp:member", "ogp:actionPlan", "ogp:cycleYear", "ogp:policyArea",
              "ogp:leadInstitution", "ogp:supportingInstitution", "ogp:starred",
              "ogp:completion", "ogp:rank", "rdfs:label", "skos:notation", "skos:inScheme")


def read_facts(read: StoreReader) -> DatasetFacts:
    facts = DatasetFacts(
        commitments=read.subjects("ogp:Commitment"), members=read.subjects("ogp:Member"),
        local_members=read.subjects("ogp:LocalMember"), plans=read.subjects("ogp:ActionPlan"),
        institutions=read.subjects("ogp:Institution"),
        schemes=read.subjects("skos:ConceptScheme"),
        values={prop: read.pairs(prop) for prop in PROPERTIES})
    assessments: dict[str, set[str]] = defaultdict(set)
    for c, objects in read.pairs("ogp:assessment").items():
        assessments[c].update(o.value for o in objects)
    for a, objects in read.pairs("ogp:assessedCommitment").items():
        for c in objects:
            assessments[c.value].add(a)
    facts.assessments = assessments
    return facts


def strs(terms: Iterable[Any]) -> list[str]:
    return sorted(t.value for t in terms)


def first(terms: Iterable[Any]) -> str | None:
    values = strs(terms)
    return values[0] if values else None


def is_true(term: Any) -> bool:
    return isinstance(term, ox.Literal) and term.value in ("true", "1")


def snippet(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= SNIPPET_CHARS:
        return text
    return text[:SNIPPET_CHARS].rsplit(" ", 1)[0] + " …"


def int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None
