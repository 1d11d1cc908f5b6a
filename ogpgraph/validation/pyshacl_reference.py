"""SHACL validation with pyshacl: the reference the SPARQL-compiled validator is tested
against (``validation/run.py`` is what the build runs), and the vocabularies' own shapes.

The data shapes are ``shapes/ogp-shapes.ttl``.

The data is validated together with the ontology's subclass axioms (so ``sh:class
ogp:Institution`` accepts an ``ogp:GovernmentBody``: pyshacl follows ``rdfs:subClassOf`` found
in the data graph) and the vocabularies' ``skos:inScheme`` statements (so scheme restrictions
can see each concept's scheme). A dataset is validated as the union of its graphs: a commitment
read from two sources is one resource. The shapes for the vocabularies themselves (targeting
``skos:Concept``) run in :func:`validate_vocabularies`, not on every data graph.

Warnings (prose without a language tag, no lead institution) never make the data fail:
``conforms`` is true when there is no ``sh:Violation``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from pyshacl import validate as shacl_validate
from rdflib import ConjunctiveGraph, Dataset, Graph
from rdflib.namespace import RDFS, SKOS
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node

from ogpgraph.config import DEFAULT_BASE_URI
from ogpgraph.graph.static_files import ONTOLOGY_FILE, SHAPES_FILE, VOCABULARIES_FILE, load_graph
from ogpgraph.graph.terms import SH
from ogpgraph.validation.outcome import SEVERITIES, ValidationOutcome, ValidationResult


def validate(data: Graph | Dataset, base: str = DEFAULT_BASE_URI) -> ValidationOutcome:
    """Validate a graph or dataset (all its graphs together) against the data shapes."""
    return _validate_triples(_triples(data), base)


def validate_vocabularies(
    base: str = DEFAULT_BASE_URI, vocabularies: Graph | None = None
) -> ValidationOutcome:
    """Validate the SKOS vocabularies themselves (one English prefLabel per concept, ...):
    ``ontology/vocabularies.ttl`` unless another vocabulary graph is given."""
    graph = _PreparedQueryGraph()
    graph += vocabularies if vocabularies is not None else load_graph(VOCABULARIES_FILE, base)
    graph += load_graph(ONTOLOGY_FILE, base)
    return _run(graph, _shapes(base, vocabulary=True), base)


class _PreparedQueryGraph(Graph):
    """pyshacl re-parses a SPARQL constraint's text for every focus node, which costs about
    70 ms each and dominated validation time; the text is the same each time (the focus node
    comes in initBindings), so parse each distinct text once."""

    def query(self, query_object: str | Query, *args: Any, **kwargs: Any) -> Any:
        if isinstance(query_object, str):
            query_object = _prepared(query_object)
        return super().query(query_object, *args, **kwargs)


@lru_cache(maxsize=64)
def _prepared(text: str) -> Query:
    return prepareQuery(text)


@lru_cache(maxsize=8)
def _support_triples(base: str) -> tuple[tuple[Node, Node, Node], ...]:
    """What the data shapes read besides the data: the ontology's subclass axioms (sh:class
    accepts subclass instances through rdfs:subClassOf in the data graph) and each concept's
    skos:inScheme (scheme restrictions). A slice, not the whole files: copying ~2,000 triples
    into every validated graph was most of the cost of validating one small source."""
    ontology = load_graph(ONTOLOGY_FILE, base)
    vocabularies = load_graph(VOCABULARIES_FILE, base)
    return (*ontology.triples((None, RDFS.subClassOf, None)),
            *vocabularies.triples((None, SKOS.inScheme, None)))


@lru_cache(maxsize=16)
def _shapes(base: str, vocabulary: bool) -> Graph:
    """The shapes graph with only one group of targets left: the shapes for the vocabularies
    (targeting skos classes) or those for the data. pyshacl's use_shapes would skip our named
    property shapes, so the other group's sh:targetClass statements are dropped instead."""
    shapes = load_graph(SHAPES_FILE, base)
    vocabulary_classes = {SKOS.Concept, SKOS.ConceptScheme}
    selected = Graph()
    for triple in shapes:
        _, predicate, obj = triple
        if predicate == SH.targetClass and (obj in vocabulary_classes) != vocabulary:
            continue
        selected.add(triple)
    return selected


def _triples(data: Graph | Dataset) -> Iterator[tuple[Node, Node, Node]]:
    if isinstance(data, ConjunctiveGraph):  # Dataset too: every named graph, not just default
        for s, p, o, _ in data.quads((None, None, None, None)):
            yield s, p, o
    else:
        yield from data


def _validate_triples(triples: Iterable[tuple[Node, Node, Node]], base: str) -> ValidationOutcome:
    graph = _PreparedQueryGraph()
    for triple in triples:
        graph.add(triple)
    for triple in _support_triples(base):
        graph.add(triple)
    return _run(graph, _shapes(base, vocabulary=False), base)


def _run(graph: Graph, shapes: Graph, base: str) -> ValidationOutcome:
    _conforms, report_graph, _text = shacl_validate(
        graph,
        shacl_graph=shapes,
        inference="none",
        advanced=False,  # no SPARQL targets or rules: constraints run per focus node
        allow_warnings=True,
        inplace=True,  # the graph is our own copy: spare pyshacl another one
    )
    results = _results(report_graph)
    violations = [r for r in results if r.severity == "Violation"]
    warnings = [r for r in results if r.severity != "Violation"]
    return ValidationOutcome(not violations, violations, warnings, report_graph, base)


def _results(report: Graph) -> list[ValidationResult]:
    results = []
    # only the report's own results: those of nested shapes (sh:node) hang below sh:detail
    for node in report.objects(None, SH.result):
        severity = report.value(node, SH.resultSeverity)
        component = report.value(node, SH.sourceConstraintComponent)
        messages = sorted(str(m) for m in report.objects(node, SH.resultMessage))
        path = report.value(node, SH.resultPath)
        results.append(
            ValidationResult(
                focus=report.value(node, SH.focusNode),
                path=path,
                value=report.value(node, SH.value),
                message=messages[0] if messages else "",
                severity=SEVERITIES.get(severity, str(severity)),
                shape=report.value(node, SH.sourceShape),
                component=str(component).removeprefix(str(SH)) if component else "",
            )
        )
    return sorted(results, key=lambda r: (str(r.focus), str(r.path), r.message))



