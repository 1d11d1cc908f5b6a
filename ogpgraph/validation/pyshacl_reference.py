"""SHACL validation of the mapped data against ``shapes/ogp-shapes.ttl``.

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
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from pyshacl import validate as shacl_validate
from rdflib import BNode, ConjunctiveGraph, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDFS, SKOS
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node

from ogpgraph.config import DEFAULT_BASE_URI
from ogpgraph.graph.static_files import ONTOLOGY_FILE, SHAPES_FILE, VOCABULARIES_FILE, load_graph
from ogpgraph.graph.terms import SH, prefixes_for

SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


@dataclass(frozen=True)
class ValidationResult:
    """One sh:ValidationResult, flattened."""

    focus: Node
    path: Node | None
    value: Node | None
    message: str
    severity: str  # "Violation", "Warning" or "Info"
    shape: Node | None  # the sh:sourceShape, e.g. ogpsh:CommitmentIdentifier
    component: str = ""  # local name of sh:sourceConstraintComponent, e.g. "MinCountConstraint…"


@dataclass
class ValidationOutcome:
    conforms: bool  # no violation (warnings allowed)
    violations: list[ValidationResult] = field(default_factory=list)
    warnings: list[ValidationResult] = field(default_factory=list)
    report_graph: Graph = field(default_factory=Graph)
    base: str = DEFAULT_BASE_URI

    def report_text(self) -> str:
        """A plain-text report: one line per result, violations first."""
        if not self.violations and not self.warnings:
            return "Conforms: no violations, no warnings."
        head = (
            f"{'Conforms' if self.conforms else 'Does not conform'}: "
            f"{len(self.violations)} violation(s), {len(self.warnings)} warning(s)."
        )
        lines = [head]
        for result in self.violations + self.warnings:
            lines.append(_result_line(result, self.base))
        return "\n".join(lines)


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


def merge_outcomes(outcomes: Iterable[ValidationOutcome]) -> ValidationOutcome:
    """One outcome for several validations (e.g. one per source graph); repeated results once."""
    collected = list(outcomes)
    base = collected[0].base if collected else DEFAULT_BASE_URI
    report = Graph()
    violations: list[ValidationResult] = []
    warnings: list[ValidationResult] = []
    seen: set[ValidationResult] = set()
    for outcome in collected:
        report += outcome.report_graph
        for results, merged in ((outcome.violations, violations), (outcome.warnings, warnings)):
            for result in results:
                if result not in seen:
                    seen.add(result)
                    merged.append(result)
    return ValidationOutcome(not violations, violations, warnings, report, base)


def validate_in_batches(
    dataset: Dataset, batch_size: int = 50, base: str = DEFAULT_BASE_URI
) -> ValidationOutcome:
    """Validate a dataset a few named graphs at a time, to bound memory on large builds.

    Each batch is validated on its own, so it only works for graphs that are self-contained
    (a source graph states the types and labels of what it references, as the mapping writes
    them); cardinalities across graphs in different batches (one commitment with two action
    plans in two sources) are not seen. Use :func:`validate` when in doubt.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    graphs = sorted(dataset.graphs(), key=lambda g: str(g.identifier))
    return merge_outcomes(
        _validate_triples((t for g in batch for t in g), base)
        for batch in _chunks(graphs, batch_size)
    )


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


def _chunks(items: list[Graph], size: int) -> Iterator[list[Graph]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _short(term: Node | None, base: str) -> str:
    if term is None:
        return ""
    if isinstance(term, Literal):
        text = str(term)
        return repr(text if len(text) <= 60 else text[:57] + "...")
    if isinstance(term, BNode):
        return "[]"
    text = str(term)
    prefixes = {**prefixes_for(base), "id": f"{base}id/", "ogpsh": f"{base}shapes#"}
    for prefix, namespace in sorted(prefixes.items(), key=lambda kv: -len(kv[1])):
        if text.startswith(namespace) and isinstance(term, URIRef):
            return f"{prefix}:{text[len(namespace):]}"
    return f"<{text}>"


def _result_line(result: ValidationResult, base: str) -> str:
    where = _short(result.focus, base)
    if result.path is not None:
        where += f" {_short(result.path, base)}"
    value = f" (value: {_short(result.value, base)})" if result.value is not None else ""
    return f"{result.severity}: {where}: {result.message}{value}"
