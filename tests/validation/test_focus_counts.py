"""Focus nodes are counted with the checks' own target pattern: subclasses of a target class
count, ``sh:targetSubjectsOf`` counts, the ontology and vocabularies graphs do not, and a
node in two data graphs is one node. A count that guessed (``?s a <target>``) would differ."""

from __future__ import annotations

from rdflib import RDF, RDFS, Graph, Literal, URIRef
from test_shacl_sparql import OGP, SOURCE, B, store_with

from ogpgraph.validation.outcome import ShapeCoverage, ValidationOutcome
from ogpgraph.validation.run import validate_store

OTHER_SOURCE = URIRef(f"{B}id/source/csv-0123456789abcdef")
PERU, LIMA = URIRef(f"{B}id/member/peru"), URIRef(f"{B}id/member/lima")
SHAPES = f"{B}shapes#"


def _coverage(graphs: dict[URIRef, Graph],
              ) -> tuple[dict[str, ShapeCoverage], ValidationOutcome]:
    outcome = validate_store(store_with(graphs), B, coverage=True)
    return {str(c.shape).removeprefix(SHAPES): c for c in outcome.coverage or []}, outcome


def test_subclasses_and_subjects_of_are_counted_as_the_checks_see_them() -> None:
    graph = Graph()
    graph.add((PERU, RDF.type, OGP.Country))  # a subclass of the target class ogp:Member
    graph.add((LIMA, RDF.type, OGP.LocalMember))
    graph.add((URIRef(f"{B}id/action-plan/peru-2015"), OGP.member, PERU))
    coverage, outcome = _coverage({SOURCE: graph})
    assert coverage["MemberShape"].focus_nodes == 2
    assert coverage["MemberFunctional"].focus_nodes == 1  # sh:targetSubjectsOf ogp:member
    assert coverage["CommitmentShape"].focus_nodes == 0
    # both members lack a name: each focus node counted is one the checks reported
    unnamed = {r.focus for r in outcome.violations if r.shape == URIRef(f"{SHAPES}MemberLabel")}
    assert unnamed == {PERU, LIMA}
    assert coverage["MemberShape"].violations == 2


def test_a_node_in_two_graphs_is_one_focus_node_and_support_graphs_do_not_count() -> None:
    graph = Graph()
    graph.add((PERU, RDF.type, OGP.Country))
    graph.add((PERU, RDFS.label, Literal("Peru")))
    coverage, _ = _coverage({SOURCE: graph, OTHER_SOURCE: graph})
    assert coverage["MemberShape"].focus_nodes == 1
    assert coverage["MemberShape"].violations == 0
    # the ontology graph types its classes (owl:Class), none of them counts as data
    assert sum(c.focus_nodes for c in coverage.values()) == 1 + coverage[
        "CountryDisjointWithLocalMember"].focus_nodes == 2


def test_no_data_is_zero_focus_nodes() -> None:
    outcome = validate_store(store_with({}), B, coverage=True)
    assert outcome.conforms and outcome.focus_nodes == 0
    assert validate_store(store_with({}), B).focus_nodes is None  # not counted unless asked
