"""How disagreements between sources appear in the SPARQL default graph.

Each source's statements stay, as the source said them, in its own named graph. The
default graph is the union of the named graphs except where sources state different values
of a **single-valued** property of one resource: an ``owl:FunctionalProperty`` of the
ontology, or a property a shape allows once on the resource's class (``sh:maxCount 1``,
e.g. ``schema:startDate`` of a commitment). There the default graph keeps the value of the
first source in the **precedence of sources**:

1. OGP's commitments export (CSV): OGP's own structured data, one column per fact;
2. commitment pages (flattened text or saved HTML): many values there are read from prose
   or names (an action plan's end year from its title "2018-2020");
3. anything else.

The same holds for a node's classes where sources classify it into two classes the ontology
declares disjoint (``owl:disjointWith``; subclasses count): a member a page takes for an OGP
Local member and the export for a country; the default graph keeps the classes of the first
source, and drops the other side's. (Institutions are classified once, by the build, before
mapping: they never disagree.)

Sources of one kind carry no date we could trust to say which is newer, so they are ordered
by their IRI (``source/{kind}-{sha256}``): arbitrary, but the same in every build. Every
value not kept is described, with the sources that state it, as an ``ogp:Disagreement``
(with one ``ogp:Claim`` per value, ``ogp:keptClaim`` the one kept) in the named graph
``{base}graph/disagreements``, which the default graph includes; the build report lists each
one. Then the default graph is validated with the same shapes as every source graph, and a
build whose default graph violates them is not published (``release/default_graph.py``).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS

from ogpgraph.graph.static_files import ONTOLOGY_FILE, load_graph
from ogpgraph.graph.terms import curie, ontology_namespace, prefixes_for
from ogpgraph.graph.uris import Uris
from ogpgraph.records.model import SourceRecords
from ogpgraph.validation.run import SUPPORT_GRAPHS, data_shapes

KIND_PRECEDENCE = ("csv", "page", "commitment-list")
DISAGREEMENTS_GRAPH = "disagreements"

# graphs derived from the source graphs, never a source of claims (the history is added to
# the store after the decisions, in a full build; an incremental build's store has it)
DERIVED_GRAPHS = (DISAGREEMENTS_GRAPH, "history")

Term = ox.NamedNode | ox.BlankNode | ox.Literal
Subject = ox.NamedNode | ox.BlankNode
Triple = tuple[Subject, ox.NamedNode, Term]
RDF_TYPE = ox.NamedNode(str(RDF.type))


@dataclass(frozen=True)
class Decision:
    """What the precedence decided for one resource and one single-valued property (or one
    disjointness of classes): the values left out of the default graph, the quads that
    describe the disagreement, and its build-report line. ``order`` sorts decisions as a
    full build finds them: properties in IRI order, then the disjointness pairs; resources
    in IRI order within each."""

    order: tuple[int, str, str]
    subject: str
    dropped: tuple[Triple, ...]
    quads: tuple[ox.Quad, ...]
    warning: str


@dataclass
class Resolution:
    """The triples the default graph leaves out, the disagreement quads it adds, and one
    build-report line per disagreement: the decisions' in their order."""

    decisions: list[Decision] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.decisions.sort(key=lambda d: d.order)

    @property
    def dropped(self) -> list[Triple]:
        return [t for d in self.decisions for t in d.dropped]

    @property
    def quads(self) -> list[ox.Quad]:
        return [q for d in self.decisions for q in d.quads]

    @property
    def warnings(self) -> list[str]:
        return [d.warning for d in self.decisions]

    def replacing(self, subjects: set[str], decisions: list[Decision]) -> Resolution:
        """This resolution with the decisions about ``subjects`` replaced by ``decisions``
        (an incremental build's: the resources whose statements changed)."""
        kept = [d for d in self.decisions if d.subject not in subjects]
        return Resolution(kept + decisions)


@lru_cache(maxsize=8)
def single_valued(base: str) -> dict[str, tuple[str, ...]]:
    """Predicate IRI -> the classes whose instances may have one value of it; an empty
    tuple: any subject (an ``owl:FunctionalProperty``)."""
    found: dict[str, set[str]] = defaultdict(set)
    shapes, roots = data_shapes(base)
    for root in roots:
        for node in root.properties:
            prop = shapes[node]
            if prop.path is not None and any(c.component == "MaxCount" and c.value == 1
                                              for c in prop.constraints):
                found[str(prop.path)].update(str(c) for c in root.target_classes)
    single = {p: tuple(sorted(classes)) for p, classes in found.items()}
    for prop in load_graph(ONTOLOGY_FILE, base).subjects(RDF.type, OWL.FunctionalProperty):
        single[str(prop)] = ()
    return single


@lru_cache(maxsize=64)
def _below(base: str, cls: str) -> tuple[str, ...]:
    """The class and its subclasses (the ontology's rdfs:subClassOf, transitively)."""
    ontology = load_graph(ONTOLOGY_FILE, base)
    found, todo = {URIRef(cls)}, [URIRef(cls)]
    while todo:
        for sub in ontology.subjects(RDFS.subClassOf, todo.pop()):
            if isinstance(sub, URIRef) and sub not in found:
                found.add(sub)
                todo.append(sub)
    return tuple(sorted(str(c) for c in found))


@lru_cache(maxsize=8)
def disjoint_pairs(base: str) -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    """Each owl:disjointWith pair as (the class and its subclasses, the same for the other)."""
    ontology = load_graph(ONTOLOGY_FILE, base)
    pairs = {tuple(sorted((a, b), key=str)) for a, b in ontology.subject_objects(OWL.disjointWith)
             if isinstance(a, URIRef) and isinstance(b, URIRef)}
    return tuple((_below(base, str(a)), _below(base, str(b))) for a, b in sorted(pairs, key=str))


def source_order(all_records: list[SourceRecords], base: str) -> dict[str, tuple[int, str]]:
    """Source graph IRI -> its rank (lower first)."""
    uris = Uris(base)
    order = {}
    for records in all_records:
        source = records.source
        iri = str(uris.source(source.kind, source.sha256))
        kind = KIND_PRECEDENCE.index(source.kind) if source.kind in KIND_PRECEDENCE \
            else len(KIND_PRECEDENCE)
        order[iri] = (kind, iri)
    return order


class _Resolver:
    """Decides, resource by resource, reading each resource's statements from the store's
    source graphs (never its default graph, where a published store keeps the union)."""

    def __init__(self, store: ox.Store, all_records: list[SourceRecords], base: str) -> None:
        self.store, self.base = store, base
        self.ranks = source_order(all_records, base)
        uris = Uris(base)
        self.paths = {str(uris.source(r.source.kind, r.source.sha256)): r.source.path
                      for r in all_records}
        self.skipped = {str(uris.graph(name)) for name in (*SUPPORT_GRAPHS, *DERIVED_GRAPHS)}

    def values(self, subject: Subject, predicate: str) -> dict[Term, set[str]]:
        """Value -> the source graphs stating it."""
        by_value: dict[Term, set[str]] = defaultdict(set)
        for quad in self.store.quads_for_pattern(subject, ox.NamedNode(predicate), None, None):
            graph = quad.graph_name
            if isinstance(graph, ox.NamedNode) and graph.value not in self.skipped:
                by_value[quad.object].add(graph.value)
        return by_value

    def typed(self, subject: Subject, classes: tuple[str, ...]) -> bool:
        """Whether any graph types ``subject`` with one of ``classes`` or a subclass."""
        allowed = {c for cls in classes for c in _below(self.base, cls)}
        return any(isinstance(q.graph_name, ox.NamedNode) and q.object.value in allowed
                   for q in self.store.quads_for_pattern(subject, RDF_TYPE, None, None))

    def value_decision(self, subject: Subject, predicate: str,
                       classes: tuple[str, ...]) -> Decision | None:
        by_value = self.values(subject, predicate)
        if len(by_value) < 2 or (classes and not self.typed(subject, classes)):
            return None
        return _decide(subject, ox.NamedNode(predicate), by_value, self.ranks, self.paths,
                       self.base)

    def class_decision(self, index: int, subject: Subject,
                       typed: dict[Term, set[str]]) -> Decision | None:
        one, other = disjoint_pairs(self.base)[index]
        sides = [{t: g for t, g in typed.items() if t.value in side} for side in (one, other)]
        if not all(sides):
            return None
        return _decide_classes(index, subject, sides, self.ranks, self.paths, self.base)

    def decisions_for(self, subject: Subject) -> list[Decision]:
        """Every decision about one resource, its statements read once."""
        said: dict[str, dict[Term, set[str]]] = defaultdict(lambda: defaultdict(set))
        for quad in self.store.quads_for_pattern(subject, None, None, None):
            graph = quad.graph_name
            if isinstance(graph, ox.NamedNode) and graph.value not in self.skipped:
                said[quad.predicate.value][quad.object].add(graph.value)
        found = []
        for predicate, classes in single_valued(self.base).items():
            by_value = said.get(predicate, {})
            if len(by_value) > 1 and (not classes or self.typed(subject, classes)):
                found.append(_decide(subject, ox.NamedNode(predicate), by_value, self.ranks,
                                     self.paths, self.base))
        for index in range(len(disjoint_pairs(self.base))):
            decision = self.class_decision(index, subject, said.get(RDF_TYPE.value, {}))
            if decision is not None:
                found.append(decision)
        return found


def resolve_disagreements(store: ox.Store, all_records: list[SourceRecords], base: str,
                          subjects: set[str] | None = None) -> Resolution:
    """Find every single-valued property stated with several values across the source
    graphs of ``store`` and decide what the default graph keeps (see module docstring).
    ``subjects``: only these resources (an incremental build's changed ones)."""
    resolver = _Resolver(store, all_records, base)
    if subjects is not None:
        return Resolution([d for iri in sorted(subjects)
                           for d in resolver.decisions_for(ox.NamedNode(iri))])
    decisions: list[Decision] = []
    for predicate, classes in sorted(single_valued(base).items()):
        for subject in _several_values(store, predicate, resolver.skipped):
            found = resolver.value_decision(subject, predicate, classes)
            if found is not None:
                decisions.append(found)
    for index, (one, other) in enumerate(disjoint_pairs(base)):
        typed = _typed_on_either_side(store, (*one, *other), resolver.skipped)
        for subject in sorted(typed, key=str):
            found = resolver.class_decision(index, subject, typed[subject])
            if found is not None:
                decisions.append(found)
    return Resolution(decisions)


def _not_in(graphs: set[str]) -> str:
    return "FILTER (?g NOT IN (" + ", ".join(f"<{g}>" for g in sorted(graphs)) + "))"


def _several_values(store: ox.Store, predicate: str, skipped: set[str]) -> list[Subject]:
    """The subjects with several values of ``predicate`` across the source graphs: one
    GROUP BY (joining it back to the statements in SPARQL evaluates it per row, so the
    values are then read from the index, subject by subject)."""
    return sorted((row["s"] for row in store.query(  # type: ignore[union-attr]
        f"SELECT ?s WHERE {{ GRAPH ?g {{ ?s <{predicate}> ?o }} {_not_in(skipped)} }}"
        " GROUP BY ?s HAVING (COUNT(DISTINCT ?o) > 1)")), key=str)


def _typed_on_either_side(store: ox.Store, classes: tuple[str, ...], skipped: set[str]
                          ) -> dict[Subject, dict[Term, set[str]]]:
    typed: dict[Subject, dict[Term, set[str]]] = defaultdict(lambda: defaultdict(set))
    values = " ".join(f"<{c}>" for c in classes)
    for row in store.query(f"SELECT ?s ?t ?g WHERE {{ GRAPH ?g {{ ?s a ?t }} VALUES ?t "
                           f"{{ {values} }} {_not_in(skipped)} }}"):  # type: ignore[union-attr]
        typed[row["s"]][row["t"]].add(row["g"].value)  # type: ignore[index]
    return typed


LAST = (len(KIND_PRECEDENCE) + 1, "")


def _decide_classes(index: int, subject: Subject, sides: list[dict[Term, set[str]]],
                    ranks: dict[str, tuple[int, str]], paths: dict[str, str],
                    base: str) -> Decision:
    """A node typed on both sides of a disjointness in different sources: the side of the
    first source stays in the default graph, the other side's rdf:type statements go."""
    first = [min(ranks.get(g, LAST) for gs in side.values() for g in gs) for side in sides]
    kept, dropped = (sides[0], sides[1]) if first[0] <= first[1] else (sides[1], sides[0])
    ordered = sorted(kept, key=str) + sorted(dropped, key=str)
    quads = _describe(subject, RDF_TYPE, ordered, {**kept, **dropped}, base, kept=len(kept))
    prefixes = prefixes_for(base) | {"id": f"{base}id/"}
    warning = (
        f"{_show(subject, prefixes)}: sources disagree on its class: the default graph "
        f"keeps {', '.join(_show(t, prefixes) for t in sorted(kept, key=str))} "
        f"({', '.join(sorted(paths.get(g, g) for gs in kept.values() for g in gs))}); "
        "its named graphs keep their own: "
        + ", ".join(f"{_show(t, prefixes)} ({', '.join(sorted(paths.get(g, g) for g in gs))})"
                    for t, gs in sorted(dropped.items(), key=lambda item: str(item[0]))))
    return Decision((1, f"{index:04d}", str(subject)), subject.value,
                    tuple((subject, RDF_TYPE, t) for t in sorted(dropped, key=str)),
                    tuple(quads), warning)


def _decide(subject: Subject, predicate: ox.NamedNode, by_value: dict[Term, set[str]],
            ranks: dict[str, tuple[int, str]], paths: dict[str, str], base: str) -> Decision:
    def rank(value: Term) -> tuple[tuple[int, str], str]:
        return min(ranks.get(g, LAST) for g in by_value[value]), str(value)

    ordered = sorted(by_value, key=rank)
    kept = ordered[0]
    prefixes = prefixes_for(base) | {"id": f"{base}id/"}

    def said(value: Term) -> str:
        sources = ", ".join(sorted(paths.get(g, g) for g in by_value[value]))
        return f"{_show(value, prefixes)} ({sources})"

    warning = (f"{_show(subject, prefixes)}: sources disagree on {_show(predicate, prefixes)}: "
               f"the default graph keeps {said(kept)}; each named graph keeps its own: "
               + "; ".join(said(v) for v in ordered[1:]))
    return Decision((0, predicate.value, str(subject)), subject.value,
                    tuple((subject, predicate, value) for value in ordered[1:]),
                    tuple(_describe(subject, predicate, ordered, by_value, base)), warning)


def _show(term: Term, prefixes: dict[str, str]) -> str:
    if isinstance(term, ox.NamedNode):
        return curie(term.value, prefixes) or f"<{term.value}>"
    return str(term)


def _describe(subject: ox.NamedNode | ox.BlankNode, predicate: ox.NamedNode,
              ordered: list[Term], by_value: dict[Term, set[str]], base: str,
              kept: int = 1) -> list[ox.Quad]:
    """The ogp:Disagreement and its claims (the first ``kept`` are kept), in the
    disagreements graph."""
    ogp = ontology_namespace(base)
    graph = ox.NamedNode(str(Uris(base).graph(DISAGREEMENTS_GRAPH)))
    digest = hashlib.sha256(f"{subject} {predicate}".encode()).hexdigest()[:16]
    node = ox.NamedNode(f"{base}id/disagreement/{digest}")
    prefixes = prefixes_for(base) | {"id": f"{base}id/"}
    label = (f"Sources disagree on {_show(predicate, prefixes)} of "
             f"{_show(subject, prefixes)}")

    def iri(term: URIRef) -> ox.NamedNode:
        return ox.NamedNode(str(term))

    quads = [ox.Quad(node, iri(RDF.type), iri(ogp.Disagreement), graph),
             ox.Quad(node, iri(RDFS.label), ox.Literal(label, language="en"), graph),
             ox.Quad(node, iri(ogp.disputedResource), subject, graph),
             ox.Quad(node, iri(ogp.disputedProperty), predicate, graph)]
    for n, value in enumerate(ordered, start=1):
        claim = ox.NamedNode(f"{node.value}-{n}")
        quads += [ox.Quad(node, iri(ogp.claim), claim, graph),
                  ox.Quad(claim, iri(RDF.type), iri(ogp.Claim), graph),
                  ox.Quad(claim, iri(RDFS.label), ox.Literal(
                      f"{_show(value, prefixes)}{' (kept)' if n <= kept else ''}",
                      language="en"), graph)]
        prop = ogp.claimedLiteral if isinstance(value, ox.Literal) else ogp.claimedResource
        quads.append(ox.Quad(claim, iri(prop), value, graph))
        quads += [ox.Quad(claim, iri(PROV.wasDerivedFrom), ox.NamedNode(g), graph)
                  for g in sorted(by_value[value])]
        if n <= kept:
            quads.append(ox.Quad(node, iri(ogp.keptClaim), claim, graph))
    return quads
