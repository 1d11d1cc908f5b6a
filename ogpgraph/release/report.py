"""The release's SHACL validation report (``validation-report.ttl``), as sorted N-Triples.

A ``sh:ValidationReport`` with one blank-node ``sh:ValidationResult`` per distinct result,
as ``validation.run.report_graph`` describes them, but written directly: each result's
blank node is named after a hash of what it says, so the same results give the same bytes
without canonicalising the whole graph (which took minutes at 100,000 commitments), and
an incremental build writes what a full one writes.
"""

from __future__ import annotations

import hashlib

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from ogpgraph.graph.terms import SH
from ogpgraph.validation.outcome import SEVERITIES, ValidationResult


def _term(node: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, BNode):
        return ox.BlankNode(str(node))
    assert isinstance(node, Literal)
    if node.language:
        return ox.Literal(str(node), language=node.language)
    if node.datatype is not None:
        return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
    return ox.Literal(str(node))


def _iri(node: URIRef) -> ox.NamedNode:
    return ox.NamedNode(str(node))


def result_label(result: ValidationResult) -> str:
    fields = (result.focus, result.path, result.value, result.message, result.severity,
              result.shape, result.component)
    text = "\0".join("" if f is None else f"{type(f).__name__}:{f}" for f in fields)
    return "r" + hashlib.sha256(text.encode()).hexdigest()[:24]


def report_ntriples(results: list[ValidationResult]) -> bytes:
    """The report of ``results`` (each distinct one once) as sorted N-Triples."""
    report = ox.BlankNode("report")
    unique = set(results)
    conforms = all(r.severity != "Violation" for r in unique)
    triples = [ox.Triple(report, _iri(RDF.type), _iri(SH.ValidationReport)),
               ox.Triple(report, _iri(SH.conforms),
                         ox.Literal("true" if conforms else "false",
                                    datatype=ox.NamedNode(str(Literal(True).datatype))))]
    severities = {name: iri for iri, name in SEVERITIES.items()}
    for result in unique:
        item = ox.BlankNode(result_label(result))
        triples += [
            ox.Triple(report, _iri(SH.result), item),
            ox.Triple(item, _iri(RDF.type), _iri(SH.ValidationResult)),
            ox.Triple(item, _iri(SH.focusNode), _term(result.focus)),
            ox.Triple(item, _iri(SH.resultSeverity),
                      _iri(severities.get(result.severity, SH.Violation))),
            ox.Triple(item, _iri(SH.sourceConstraintComponent), _iri(SH[result.component])),
            ox.Triple(item, _iri(SH.resultMessage), ox.Literal(result.message))]
        for predicate, value in ((SH.resultPath, result.path), (SH.value, result.value),
                                 (SH.sourceShape, result.shape)):
            if value is not None:
                triples.append(ox.Triple(item, _iri(predicate), _term(value)))
    text = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    return b"".join(sorted(text.splitlines(keepends=True)))
