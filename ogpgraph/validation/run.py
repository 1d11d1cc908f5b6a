"""Running the compiled checks on a pyoxigraph store and flattening rows into results."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS
from rdflib.term import Node

from ogpgraph.graph.convert import to_rdflib
from ogpgraph.graph.static_files import SHAPES_FILE, load_graph
from ogpgraph.graph.terms import SH
from ogpgraph.validation.compile import Check, Compiler
from ogpgraph.validation.outcome import (
    SEVERITIES,
    ShapeCoverage,
    ValidationOutcome,
    ValidationResult,
)
from ogpgraph.validation.shapes import Shape, read_shapes

# shapes for the vocabularies themselves: not run on the data graphs (see validation._shapes)
VOCABULARY_CLASSES = {SKOS.Concept, SKOS.ConceptScheme}
SUPPORT_GRAPHS = ("ontology", "vocabularies")

GraphResult = tuple[URIRef, ValidationResult]


@lru_cache(maxsize=8)
def data_shapes(base: str) -> tuple[dict[Node, Shape], tuple[Shape, ...]]:
    """All shapes of the (rebased) shapes file, and the roots run on the data: shapes with a
    target class other than the SKOS ones, or targeting the subjects of a property.
    Compiling every shape, even those never run here, refuses an unsupported component
    anywhere in the file."""
    shapes = read_shapes(load_graph(SHAPES_FILE, base))
    roots = []
    for shape in sorted(shapes.values(), key=lambda s: str(s.node)):
        targets = tuple(c for c in shape.target_classes if c not in VOCABULARY_CLASSES)
        if targets or shape.target_subjects_of:
            roots.append(replace(shape, target_classes=targets))
    return shapes, tuple(roots)


def validate_store_graphs(store: ox.Store, base: str, graphs: list[str] | None = None,
                          shapes: tuple[dict[Node, Shape], tuple[Shape, ...]] | None = None,
                          ) -> list[GraphResult]:
    """Every result with the named graph it was found in; each data graph (all named graphs but
    the ontology and vocabularies, or those given) is validated on its own."""
    _, per_root = _run_checks(store, base, graphs, shapes)
    return _sorted({found for _, root_found in per_root for found in root_found})


def validate_store(store: ox.Store, base: str, graphs: list[str] | None = None,
                   report: bool = True, coverage: bool = False) -> ValidationOutcome:
    """SHACL validation of the store's data graphs against shapes/ogp-shapes.ttl, in SPARQL.
    ``report=False`` leaves the report graph empty (rdflib needs ~0.3 ms a result for it);
    ``coverage=True`` also counts, per shape, the focus nodes its targets select."""
    compiler, per_root = _run_checks(store, base, graphs)
    results = _sorted({found for _, root_found in per_root for found in root_found})
    outcome = outcome_of(results, base, report)
    if coverage:
        outcome.coverage = [_coverage(store, compiler, root, found)
                            for root, found in per_root]
    return outcome


def _run_checks(store: ox.Store, base: str, graphs: list[str] | None,
                shapes: tuple[dict[Node, Shape], tuple[Shape, ...]] | None = None,
                ) -> tuple[Compiler, list[tuple[Shape, set[GraphResult]]]]:
    """The compiler of this store's checks, and what each root shape's checks found."""
    all_shapes, roots = shapes or data_shapes(base)
    if graphs is None:
        support = ", ".join(f"<{base}graph/{name}>" for name in SUPPORT_GRAPHS)
        graph_filter = f"FILTER (?g NOT IN ({support}))"
    else:
        graph_filter = "VALUES ?g { " + " ".join(f"<{g}>" for g in graphs) + " }"
    compiler = Compiler(all_shapes, _subclass_lookup(store), graph_filter)
    # compile everything before running anything: an unsupported shape fails fast
    checks = [(root, compiler.checks(root)) for root in roots]
    per_root: list[tuple[Shape, set[GraphResult]]] = []
    for root, root_checks in checks:
        found: set[GraphResult] = set()
        for check in root_checks:
            for row in store.query(check.query, use_default_graph_as_union=True):
                found.add(_result(check, row))
        per_root.append((root, found))
    return compiler, per_root


def _sorted(found: Iterable[GraphResult]) -> list[GraphResult]:
    return sorted(found, key=lambda gr: (str(gr[0]), str(gr[1].focus), str(gr[1].shape),
                                         str(gr[1].path), str(gr[1].value), gr[1].component))


def _coverage(store: ox.Store, compiler: Compiler, root: Shape,
              found: set[GraphResult]) -> ShapeCoverage:
    """How many nodes the root shape's own target pattern selects (the pattern every one of
    its checks starts from), and its results, each counted once across graphs."""
    query = compiler.focus_count_query(root)
    focus = 0
    if query is not None:
        focus = int(next(iter(store.query(query, use_default_graph_as_union=True)))["n"].value)
    unique = {result for _, result in found}
    violations = sum(1 for result in unique if result.severity == "Violation")
    return ShapeCoverage(root.node, focus, violations, len(unique) - violations,
                         tuple(root.target_classes) + tuple(root.target_subjects_of))


def outcome_of(results: Iterable[GraphResult], base: str, report: bool = True,
               ) -> ValidationOutcome:
    """One outcome for all graphs: a result found in several graphs counts once."""
    unique = sorted({r for _, r in results},
                    key=lambda r: (str(r.focus), str(r.path), r.message, str(r.value)))
    violations = [r for r in unique if r.severity == "Violation"]
    warnings = [r for r in unique if r.severity != "Violation"]
    graph = report_graph(unique) if report else Graph()
    return ValidationOutcome(not violations, violations, warnings, graph, base)


def report_graph(results: list[ValidationResult]) -> Graph:
    """A sh:ValidationReport of the results (blank-node results, one message each)."""
    report = Graph()
    report.bind("sh", SH)
    node = BNode()
    conforms = all(r.severity != "Violation" for r in results)
    quads = [(node, RDF.type, SH.ValidationReport, report),
             (node, SH.conforms, Literal(conforms), report)]
    severities = {name: iri for iri, name in SEVERITIES.items()}
    result_type, focus, severity, component, message = (
        SH.ValidationResult, SH.focusNode, SH.resultSeverity, SH.sourceConstraintComponent,
        SH.resultMessage)
    optional = (SH.resultPath, SH.value, SH.sourceShape)
    for result in results:
        item = BNode()
        quads += [(node, SH.result, item, report), (item, RDF.type, result_type, report),
                  (item, focus, result.focus, report),
                  (item, severity, severities.get(result.severity, SH.Violation), report),
                  (item, component, SH[result.component], report),
                  (item, message, Literal(result.message), report)]
        for predicate, value in zip(optional, (result.path, result.value, result.shape),
                                    strict=True):
            if value is not None:
                quads.append((item, predicate, value, report))
    report.addN(quads)
    return report


def _subclass_lookup(store: ox.Store):
    cache: dict[URIRef, list[URIRef]] = {}

    def subclasses(rdf_class: URIRef) -> list[URIRef]:
        """The class and its subclasses, read from every graph (the ontology's axioms)."""
        if rdf_class not in cache:
            rows = store.query(
                f"SELECT DISTINCT ?c WHERE {{ ?c <http://www.w3.org/2000/01/rdf-schema#"
                f"subClassOf>* <{rdf_class}> }}", use_default_graph_as_union=True)
            cache[rdf_class] = sorted({URIRef(row["c"].value) for row in rows} | {rdf_class})
        return cache[rdf_class]

    return subclasses


def _result(check: Check, row: ox.QuerySolution) -> GraphResult:
    bound = {}
    for name in ("g", "this", "value", "path"):
        try:
            value = row[name]
        except (KeyError, IndexError):
            value = None
        bound[name] = to_rdflib(value) if value is not None else None
    shape = check.shape
    path = bound["path"] if check.sparql is not None and bound["path"] is not None else shape.path
    messages = [str(m) for m in shape.messages]
    if check.sparql is not None:
        messages += [str(m) for m in check.sparql.messages if str(m) not in messages]
        messages = [_substitute(m, row) for m in messages]
    if not messages:
        messages = [_generic_message(check.component, bound["value"])]
    result = ValidationResult(
        focus=bound["this"], path=path, value=bound["value"], message=sorted(messages)[0],
        severity=SEVERITIES.get(shape.severity, str(shape.severity)), shape=shape.node,
        component=check.component,
    )
    return bound["g"], result  # type: ignore[return-value]


def _substitute(message: str, row: ox.QuerySolution) -> str:
    """{?var} / {$var} in a SPARQL constraint's message, as pyshacl fills them in."""
    def value(match: re.Match[str]) -> str:
        try:
            term = row[match.group(1)]
        except (KeyError, IndexError):
            return match.group(0)
        return match.group(0) if term is None else str(to_rdflib(term))

    return re.sub(r"\{[?$](\w+)\}", value, message)


def _generic_message(component: str, value: Node | None) -> str:
    name = re.sub(r"(?<!^)(?=[A-Z])", " ", component.removesuffix("ConstraintComponent")).lower()
    return f"Violates the {name} constraint" + (f" (value {value})" if value is not None else "")
