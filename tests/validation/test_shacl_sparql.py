"""The SPARQL-compiled SHACL validator gives the same results as pyshacl.

Every graph is validated both ways: pyshacl (`ogpgraph.validation.pyshacl_reference.validate`)
on the rdflib graph, and `validate_store` on an Oxigraph store holding it as one named graph
beside the ontology and vocabularies graphs, as the build loads them.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from test_shapes import (
    COMMITMENT,
    OTHER_BASE,
    VALID_VARIANTS,
    VIOLATIONS,
    WARNINGS,
    broken,
    valid_graph,
)

from ogpgraph.config import DEFAULT_BASE_URI
from ogpgraph.graph.static_files import ONTOLOGY_FILE, VOCABULARIES_FILE, rebased_text
from ogpgraph.graph.terms import SH
from ogpgraph.validation.outcome import ValidationOutcome
from ogpgraph.validation.pyshacl_reference import validate
from ogpgraph.validation.run import validate_store, validate_store_graphs
from ogpgraph.validation.shapes import UnsupportedShape, read_shapes

B = DEFAULT_BASE_URI
SOURCE = URIRef(f"{B}id/source/page-0123456789abcdef")
OGP = Namespace(f"{B}ontology#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
ACTION_PLAN = URIRef(f"{B}id/action-plan/peru-2015")
SOURCE_DOC = URIRef(f"{B}id/source/page-0123456789abcdef")


def store_with(graphs: dict[URIRef, Graph], base: str = B) -> ox.Store:
    store = ox.Store()
    for iri, graph in graphs.items():
        store.load(input=graph.serialize(format="nt", encoding="utf-8"),
                   format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(str(iri)))
    for name, path in (("ontology", ONTOLOGY_FILE), ("vocabularies", VOCABULARIES_FILE)):
        store.load(input=rebased_text(path, base).encode("utf-8"), format=ox.RdfFormat.TURTLE,
                   to_graph=ox.NamedNode(f"{base}graph/{name}"))
    return store


def keys(outcome: ValidationOutcome) -> set[tuple]:
    return {(r.focus, r.shape, r.component, r.severity, r.path)
            for r in outcome.violations + outcome.warnings}


def both(graph: Graph, base: str = B) -> tuple[ValidationOutcome, ValidationOutcome]:
    return validate_store(store_with({SOURCE: graph}, base), base), validate(graph, base)


CASES = [(f"violation: {c[0]}", c[1]) for c in VIOLATIONS] + \
    [(f"warning: {c[0]}", c[1]) for c in WARNINGS] + \
    [(f"valid variant: {c[0]}", c[1]) for c in VALID_VARIANTS]


@pytest.mark.parametrize("update", [c[1] for c in CASES], ids=[c[0] for c in CASES])
def test_same_results_as_pyshacl_on_each_case(update: str) -> None:
    mine, pyshacl = both(broken(update))
    assert keys(mine) == keys(pyshacl)
    assert mine.conforms == pyshacl.conforms
    # messages are the shapes' own (sorted first, as validation.py flattens pyshacl's)
    assert sorted(r.message for r in mine.violations + mine.warnings) == \
        sorted(r.message for r in pyshacl.violations + pyshacl.warnings)


def test_complete_commitment_conforms() -> None:
    mine, _ = both(valid_graph())
    assert mine.conforms and mine.violations == [] and mine.warnings == []


# (id, triple to swap in on the subject, predicate; path, component expected)
ILL_TYPED = [
    ("gYear with a letter", ACTION_PLAN, OGP.cycleYear, Literal("20x5", datatype=XSD.gYear),
     "DatatypeConstraintComponent"),
    ("integer not a number", COMMITMENT, OGP.commitmentNumber,
     Literal("seven", datatype=XSD.integer), "DatatypeConstraintComponent"),
    # normalize=False: rdflib would otherwise rewrite these lexical forms into valid ones
    ("boolean 'yes'", COMMITMENT, OGP.starred,
     Literal("yes", datatype=XSD.boolean, normalize=False), "DatatypeConstraintComponent"),
    ("dateTime without T", SOURCE_DOC, URIRef("http://www.w3.org/ns/prov#generatedAtTime"),
     Literal("2024-07-03 12:00", datatype=XSD.dateTime, normalize=False),
     "DatatypeConstraintComponent"),
    ("date of February 30th (every sh:or branch fails)", COMMITMENT,
     URIRef("https://schema.org/endDate"), Literal("2016-02-30", datatype=XSD.date),
     "OrConstraintComponent"),
    ("gYearMonth month 13", COMMITMENT, URIRef("https://schema.org/endDate"),
     Literal("2016-13", datatype=XSD.gYearMonth), "OrConstraintComponent"),
    ("page given as text (nodeKind)", COMMITMENT, URIRef("http://xmlns.com/foaf/0.1/page"),
     Literal("https://www.opengovpartnership.org/"), "NodeKindConstraintComponent"),
    ("identifier with a language tag (datatype xsd:string)", SOURCE_DOC,
     URIRef("http://purl.org/dc/terms/identifier"), Literal("sha256:" + "0" * 64, lang="en"),
     "DatatypeConstraintComponent"),
    ("checksum of upper-case hex (pattern)", SOURCE_DOC,
     URIRef("http://purl.org/dc/terms/identifier"), Literal("sha256:" + "A" * 64),
     "PatternConstraintComponent"),
    ("ISO code as an IRI (datatype and pattern)", URIRef(f"{B}id/member/peru"), OGP.isoCode,
     URIRef(f"{B}PER"), "PatternConstraintComponent"),
    ("region from another scheme (sh:node)", URIRef(f"{B}id/member/peru"), OGP.region,
     URIRef(f"{B}id/status/active"), "NodeConstraintComponent"),
    ("region as text (sh:node's nodeKind)", URIRef(f"{B}id/member/peru"), OGP.region,
     Literal("Americas"), "NodeConstraintComponent"),
    ("starred formula as a number (sh:in)", URIRef(f"{B}id/assessment/PE0055-mid-term"),
     OGP.starredFormula, Literal(2015), "InConstraintComponent"),
    ("action plan number zero (minInclusive)", ACTION_PLAN, OGP.actionPlanNumber, Literal(0),
     "MinInclusiveConstraintComponent"),
    ("end year before cycle (SPARQL)", ACTION_PLAN, OGP.endYear,
     Literal("2014", datatype=XSD.gYear), "SPARQLConstraintComponent"),
]


@pytest.mark.parametrize(("subject", "predicate", "value", "component"),
                         [c[1:] for c in ILL_TYPED], ids=[c[0] for c in ILL_TYPED])
def test_ill_typed_and_malformed_values_are_caught(subject: URIRef, predicate: URIRef,
                                                   value: object, component: str) -> None:
    graph = valid_graph()
    graph.remove((subject, predicate, None))
    graph.add((subject, predicate, value))  # type: ignore[arg-type]
    mine, pyshacl = both(graph)
    assert not mine.conforms
    expected = {k for k in keys(mine) if k[0] == subject and k[2] == component and
                k[3] == "Violation" and k[4] == predicate}
    assert expected, mine.report_text()
    # pyshacl trusts rdflib's parsing, which accepts "20x5"^^xsd:gYear, "yes"^^xsd:boolean,
    # "2016-13"^^xsd:gYearMonth...: SHACL wants those ill-typed literals reported, so the
    # only difference allowed is the expected result itself
    assert keys(pyshacl) <= keys(mine)
    assert keys(mine) - keys(pyshacl) <= expected


def test_each_graph_is_validated_on_its_own_and_results_name_their_graph() -> None:
    other = URIRef(f"{B}id/source/csv-fedcba9876543210")
    second = Graph()
    second.add((COMMITMENT, RDF.type, OGP.Commitment))
    second.add((COMMITMENT, URIRef("http://purl.org/dc/terms/identifier"), Literal("PE0056")))
    store = store_with({SOURCE: valid_graph(), other: second})
    results = validate_store_graphs(store, B)
    # one identifier in each graph: no maxCount violation across graphs, but the second graph
    # lacks the commitment's title, action plan, member...
    assert {graph for graph, _ in results} == {other}
    assert not any(r.component == "MaxCountConstraintComponent" for _, r in results)
    assert any(r.shape == URIRef(f"{B}shapes#CommitmentTitle") for _, r in results)
    # only the graphs asked for
    assert validate_store_graphs(store, B, graphs=[str(SOURCE)]) == []
    assert validate_store(store, B, graphs=[str(other)]).conforms is False


def test_class_lookups_read_the_union_of_graphs() -> None:
    # the member's type comes from another graph: sh:class looks values up in every graph
    graph = valid_graph()
    member = URIRef(f"{B}id/member/peru")
    typing = Graph()
    for triple in graph.triples((member, None, None)):
        typing.add(triple)
        graph.remove(triple)
    outcome = validate_store(store_with({SOURCE: graph,
                                         URIRef(f"{B}id/source/csv-1"): typing}), B)
    assert outcome.conforms, outcome.report_text()


def test_report_graph_is_a_shacl_validation_report() -> None:
    store = store_with({SOURCE: broken("DELETE WHERE { c:PE0055 ogp:actionPlan ?x }")})
    outcome = validate_store(store, B)
    report = outcome.report_graph
    [node] = report.subjects(RDF.type, SH.ValidationReport)
    assert report.value(node, SH.conforms) == Literal(False)
    [result] = report.objects(node, SH.result)
    assert report.value(result, SH.focusNode) == COMMITMENT
    assert report.value(result, SH.resultPath) == OGP.actionPlan
    assert report.value(result, SH.resultSeverity) == SH.Violation
    assert report.value(result, SH.sourceShape) == URIRef(f"{B}shapes#CommitmentActionPlan")
    assert report.value(result, SH.sourceConstraintComponent) == SH.MinCountConstraintComponent
    assert "exactly one action plan" in str(report.value(result, SH.resultMessage))
    assert validate_store(store, B, report=False).report_graph.__len__() == 0


def test_rebased_shapes() -> None:
    mine, pyshacl = both(valid_graph(OTHER_BASE), OTHER_BASE)
    assert mine.conforms and mine.warnings == [] and keys(pyshacl) == set()
    graph = valid_graph(OTHER_BASE)
    commitment = URIRef(f"{OTHER_BASE}id/commitment/PE0055")
    graph.add((commitment, URIRef(f"{OTHER_BASE}ontology#policyArea"),
               URIRef(f"{B}id/policy-area/open-data")))
    mine, pyshacl = both(graph, OTHER_BASE)
    shape = URIRef(f"{OTHER_BASE}shapes#CommitmentPolicyArea")
    assert [r.shape for r in mine.violations] == [shape]
    assert keys(mine) == keys(pyshacl)


SHAPES_HEAD = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


@pytest.mark.parametrize("shape", [
    "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:closed true .",
    "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:equals ex:q ] .",
    "ex:S a sh:NodeShape ; sh:targetClass ex:C ;"
    " sh:property [ sh:path [ sh:inversePath ex:p ] ; sh:minCount 1 ] .",
    "ex:S a sh:NodeShape ; sh:targetNode ex:n ; sh:nodeKind sh:IRI .",
    "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minCount 'x' ] .",
], ids=["closed", "equals", "inverse path", "targetNode", "non-integer count"])
def test_unsupported_shapes_are_refused_when_read(shape: str) -> None:
    shapes = Graph().parse(data=SHAPES_HEAD + shape, format="turtle")
    with pytest.raises(UnsupportedShape):
        read_shapes(shapes)


def test_unsupported_datatype_is_refused_when_compiled() -> None:
    shapes = read_shapes(Graph().parse(data=SHAPES_HEAD + (
        "ex:S a sh:NodeShape ; sh:targetClass ex:C ;"
        " sh:property [ sh:path ex:p ; sh:datatype xsd:hexBinary ] ."), format="turtle"))
    roots = tuple(s for s in shapes.values() if s.target_classes)
    with pytest.raises(UnsupportedShape, match="hexBinary"):
        validate_store_graphs(ox.Store(), B, shapes=(shapes, roots))


def test_deactivated_shapes_and_severity_are_respected() -> None:
    shapes = read_shapes(Graph().parse(data=SHAPES_HEAD + """
        ex:S a sh:NodeShape ; sh:targetClass ex:C ;
            sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:deactivated true ] ,
                        [ sh:path ex:q ; sh:minCount 2 ; sh:severity sh:Info ] ,
                        [ sh:path ex:r ; sh:maxCount 0 ; sh:message "no r" ] .
        """, format="turtle"))
    roots = tuple(s for s in shapes.values() if s.target_classes)
    data = Graph().parse(data="""@prefix ex: <http://example.org/> .
        ex:a a ex:C ; ex:q 1 ; ex:r 2 .""", format="turtle")
    results = [r for _, r in validate_store_graphs(store_with({SOURCE: data}), B,
                                                   shapes=(shapes, roots))]
    assert {(r.path, r.severity, r.component) for r in results} == {
        (URIRef("http://example.org/q"), "Info", "MinCountConstraintComponent"),
        (URIRef("http://example.org/r"), "Violation", "MaxCountConstraintComponent"),
    }
    assert [r.message for r in results if r.severity == "Violation"] == ["no r"]


def graphs_of_build(build_dir: Path) -> tuple[ox.Store, list[str]]:
    store = ox.Store()
    with gzip.open(build_dir / "current" / "dumps" / "ogpgraph.nq.gz", "rb") as stream:
        store.load(input=stream.read(), format=ox.RdfFormat.N_QUADS)
    support = {f"{B}graph/ontology", f"{B}graph/vocabularies"}
    names = sorted(g.value for g in store.named_graphs() if g.value not in support)
    return store, names


def assert_same_as_pyshacl_per_graph(build_dir: Path) -> None:
    store, names = graphs_of_build(build_dir)
    assert names
    mine: dict[str, set] = {name: set() for name in names}
    for graph, result in validate_store_graphs(store, B):
        mine[str(graph)].add((result.focus, result.shape, result.component, result.severity,
                              result.path))
    for name in names:
        data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(name))
        expected = keys(validate(Graph().parse(data=data, format="nt"), B))
        assert mine[name] == expected, name
    outcome = validate_store(store, B)
    assert outcome.conforms, outcome.report_text()


def test_default_build_gives_pyshacl_results_per_graph(default_build_dir: Path) -> None:
    assert_same_as_pyshacl_per_graph(default_build_dir)


def test_shared_build_gives_pyshacl_results_per_graph(shared_build_dir: Path) -> None:
    assert_same_as_pyshacl_per_graph(shared_build_dir)
