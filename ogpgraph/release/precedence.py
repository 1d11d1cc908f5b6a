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

Term = ox.NamedNode | ox.BlankNode | ox.Literal
Triple = tuple[ox.NamedNode | ox.BlankNode, ox.NamedNode, Term]


@dataclass
class Resolution:
    """The triples the default graph leaves out, the disagreement quads it adds, and one
    build-report line per disagreement."""

    dropped: list[Triple] = field(default_factory=list)
    quads: list[ox.Quad] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


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


def resolve_disagreements(store: ox.Store, all_records: list[SourceRecords],
                          base: str) -> Resolution:
    """Find every single-valued property stated with several values across the source
    graphs of ``store`` and decide what the default graph keeps (see module docstring)."""
    ranks = source_order(all_records, base)
    paths = {str(Uris(base).source(r.source.kind, r.source.sha256)): r.source.path
             for r in all_records}
    resolution = Resolution()
    support = ", ".join(f"<{Uris(base).graph(name)}>" for name in (*SUPPORT_GRAPHS,
                                                                    DISAGREEMENTS_GRAPH))
    for predicate, classes in sorted(single_valued(base).items()):
        claims = _claims(store, predicate, classes, support)
        for subject, by_value in sorted(claims.items(), key=lambda item: str(item[0])):
            _decide(subject, ox.NamedNode(predicate), by_value, ranks, paths, base, resolution)
    for one, other in disjoint_pairs(base):
        _decide_classes(store, one, other, support, ranks, paths, base, resolution)
    return resolution


@lru_cache(maxsize=8)
def disjoint_pairs(base: str) -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    """Each owl:disjointWith pair as (the class and its subclasses, the same for the other)."""
    ontology = load_graph(ONTOLOGY_FILE, base)

    def below(cls: URIRef) -> tuple[str, ...]:
        found, todo = {cls}, [cls]
        while todo:
            for sub in ontology.subjects(RDFS.subClassOf, todo.pop()):
                if isinstance(sub, URIRef) and sub not in found:
                    found.add(sub)
                    todo.append(sub)
        return tuple(sorted(str(c) for c in found))

    pairs = {tuple(sorted((a, b), key=str)) for a, b in ontology.subject_objects(OWL.disjointWith)
             if isinstance(a, URIRef) and isinstance(b, URIRef)}
    return tuple((below(a), below(b)) for a, b in sorted(pairs, key=str))


def _decide_classes(store: ox.Store, one: tuple[str, ...], other: tuple[str, ...],
                    support: str, ranks: dict[str, tuple[int, str]], paths: dict[str, str],
                    base: str, resolution: Resolution) -> None:
    """Nodes typed on both sides of a disjointness in different sources: the side of the
    first source stays in the default graph, the other side's rdf:type statements go."""
    values = " ".join(f"<{c}>" for c in (*one, *other))
    typed: dict[ox.NamedNode | ox.BlankNode, dict[Term, set[str]]] = defaultdict(
        lambda: defaultdict(set))
    for row in store.query(f"SELECT ?s ?t ?g WHERE {{ GRAPH ?g {{ ?s a ?t }} VALUES ?t "
                           f"{{ {values} }} FILTER (?g NOT IN ({support})) }}",
                           use_default_graph_as_union=True):  # type: ignore[union-attr]
        typed[row["s"]][row["t"]].add(row["g"].value)  # type: ignore[index]
    last = (len(KIND_PRECEDENCE) + 1, "")
    for subject in sorted(typed, key=str):
        by_class = typed[subject]
        sides = [{t: g for t, g in by_class.items() if t.value in side} for side in (one, other)]
        if not all(sides):
            continue
        first = [min(ranks.get(g, last) for gs in side.values() for g in gs) for side in sides]
        kept, dropped = (sides[0], sides[1]) if first[0] <= first[1] else (sides[1], sides[0])
        resolution.dropped += [(subject, ox.NamedNode(str(RDF.type)), t)
                               for t in sorted(dropped, key=str)]
        ordered = sorted(kept, key=str) + sorted(dropped, key=str)
        resolution.quads += _describe(subject, ox.NamedNode(str(RDF.type)), ordered,
                                      {**kept, **dropped}, base, kept=len(kept))
        prefixes = prefixes_for(base) | {"id": f"{base}id/"}
        resolution.warnings.append(
            f"{_show(subject, prefixes)}: sources disagree on its class: the default graph "
            f"keeps {', '.join(_show(t, prefixes) for t in sorted(kept, key=str))} "
            f"({', '.join(sorted(paths.get(g, g) for gs in kept.values() for g in gs))}); "
            "its named graphs keep their own: "
            + ", ".join(f"{_show(t, prefixes)} ({', '.join(sorted(paths.get(g, g) for g in gs))})"
                        for t, gs in sorted(dropped.items(), key=lambda item: str(item[0]))))


def _claims(store: ox.Store, predicate: str, classes: tuple[str, ...], support: str
            ) -> dict[ox.NamedNode | ox.BlankNode, dict[Term, set[str]]]:
    """Subject -> value -> the graphs stating it, for subjects with several values. The
    subjects come from one GROUP BY; their values are then read from the index, subject by
    subject (joining the GROUP BY back to the statements in SPARQL evaluates it per row)."""
    subjects = [row["s"] for row in store.query(  # type: ignore[union-attr]
        f"SELECT ?s WHERE {{ GRAPH ?g {{ ?s <{predicate}> ?o }} FILTER (?g NOT IN ({support})) }}"
        " GROUP BY ?s HAVING (COUNT(DISTINCT ?o) > 1)", use_default_graph_as_union=True)]
    skipped = {part.strip(" <>") for part in support.split(",")}
    found: dict[ox.NamedNode | ox.BlankNode, dict[Term, set[str]]] = {}
    for subject in subjects:
        if classes and not _typed(store, subject, classes):
            continue
        by_value: dict[Term, set[str]] = defaultdict(set)
        for quad in store.quads_for_pattern(subject, ox.NamedNode(predicate), None):
            graph = quad.graph_name
            if isinstance(graph, ox.NamedNode) and graph.value not in skipped:
                by_value[quad.object].add(graph.value)
        if len(by_value) > 1:
            found[subject] = by_value
    return found


def _typed(store: ox.Store, subject: ox.NamedNode | ox.BlankNode,
           classes: tuple[str, ...]) -> bool:
    values = " ".join(f"<{c}>" for c in classes)
    return bool(store.query(f"ASK {{ {subject} a ?t . ?t <{RDFS.subClassOf}>* ?c "
                            f"VALUES ?c {{ {values} }} }}", use_default_graph_as_union=True))


def _decide(subject: ox.NamedNode | ox.BlankNode, predicate: ox.NamedNode,
            by_value: dict[Term, set[str]], ranks: dict[str, tuple[int, str]],
            paths: dict[str, str], base: str, resolution: Resolution) -> None:
    last = (len(KIND_PRECEDENCE) + 1, "")

    def rank(value: Term) -> tuple[tuple[int, str], str]:
        return min(ranks.get(g, last) for g in by_value[value]), str(value)

    ordered = sorted(by_value, key=rank)
    kept = ordered[0]
    resolution.dropped += [(subject, predicate, value) for value in ordered[1:]]
    resolution.quads += _describe(subject, predicate, ordered, by_value, base)
    prefixes = prefixes_for(base) | {"id": f"{base}id/"}

    def said(value: Term) -> str:
        sources = ", ".join(sorted(paths.get(g, g) for g in by_value[value]))
        return f"{_show(value, prefixes)} ({sources})"

    resolution.warnings.append(
        f"{_show(subject, prefixes)}: sources disagree on {_show(predicate, prefixes)}: the "
        f"default graph keeps {said(kept)}; each named graph keeps its own: "
        + "; ".join(said(v) for v in ordered[1:]))


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
