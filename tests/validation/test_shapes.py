"""The SHACL shapes: a complete commitment conforms; each breakage gives the expected result."""

from __future__ import annotations

import pytest
from rdflib import RDF, Dataset, Graph, Literal, Namespace, URIRef

from ogpgraph.config import DEFAULT_BASE_URI
from ogpgraph.graph.static_files import VOCABULARIES_FILE, load_graph
from ogpgraph.graph.terms import OGP, SH
from ogpgraph.validation.outcome import ValidationOutcome
from ogpgraph.validation.pyshacl_reference import validate, validate_vocabularies

B = DEFAULT_BASE_URI
COMMITMENT = URIRef(f"{B}id/commitment/PE0055")
MILESTONE = URIRef(f"{B}id/milestone/PE0055-1")
ASSESSMENT = URIRef(f"{B}id/assessment/PE0055-mid-term")
# plain namespaces: pytest trips over rdflib's DefinedNamespace objects at module level
DCTERMS = Namespace("http://purl.org/dc/terms/")
SDO = Namespace("https://schema.org/")

# One commitment with everything the mapping can say about it, written under the default base.
VALID = """@prefix ogp: <http://127.0.0.1:8000/ontology#> .
@prefix id: <http://127.0.0.1:8000/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix schema: <https://schema.org/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix inst: <http://127.0.0.1:8000/id/institution/peru/> .
@prefix diog: <http://127.0.0.1:8000/id/did-it-open-government/> .

<http://127.0.0.1:8000/id/commitment/PE0055> a ogp:Commitment ;
    dcterms:identifier "PE0055" ;
    dcterms:title "Management of Citizen Participation"@en ;
    ogp:shortTitle "Citizen participation"@en ;
    dcterms:description "Fortalecer la gestión de la participación ciudadana."@es ;
    ogp:theme "Citizen Participation" ;
    ogp:commitmentNumber 7 ;
    ogp:actionPlan <http://127.0.0.1:8000/id/action-plan/peru-2015> ;
    ogp:member <http://127.0.0.1:8000/id/member/peru> ;
    ogp:leadInstitution inst:presidencia-del-consejo-de-ministros ;
    ogp:supportingInstitution inst:proetica ;
    ogp:policyArea <http://127.0.0.1:8000/id/policy-area/capacity-building>,
        <http://127.0.0.1:8000/id/policy-area/legislation-and-regulation> ;
    ogp:milestone <http://127.0.0.1:8000/id/milestone/PE0055-1> ;
    schema:startDate "2015-08"^^xsd:gYearMonth ;
    schema:endDate "2016-07-31"^^xsd:date ;
    ogp:status <http://127.0.0.1:8000/id/status/inactive> ;
    foaf:page <https://www.opengovpartnership.org/members/peru/commitments/PE0055/> ;
    ogp:starred false ;
    ogp:assessment <http://127.0.0.1:8000/id/assessment/PE0055-mid-term> .

<http://127.0.0.1:8000/id/milestone/PE0055-1> a ogp:Milestone ;
    dcterms:description "Conformación de un grupo de trabajo."@es ;
    schema:position 1 ;
    dcterms:isPartOf <http://127.0.0.1:8000/id/commitment/PE0055> .

<http://127.0.0.1:8000/id/member/peru> a ogp:Member, ogp:Country ;
    rdfs:label "Peru"@en ;
    ogp:region <http://127.0.0.1:8000/id/region/americas> ;
    ogp:isoCode "PER" .

<http://127.0.0.1:8000/id/action-plan/peru-2015> a ogp:ActionPlan ;
    rdfs:label "Peru, Second Action Plan, 2015-16"@en ;
    ogp:member <http://127.0.0.1:8000/id/member/peru> ;
    ogp:cycleYear "2015"^^xsd:gYear ;
    ogp:endYear "2017"^^xsd:gYear ;
    ogp:actionPlanNumber 2 ;
    dcterms:identifier "AP_PER02" .

inst:presidencia-del-consejo-de-ministros a ogp:Institution, ogp:GovernmentBody ;
    rdfs:label "Presidencia del Consejo de Ministros" ;
    ogp:member <http://127.0.0.1:8000/id/member/peru> .

inst:proetica a ogp:CivilSocietyOrganization ;
    rdfs:label "Proética" ;
    ogp:member <http://127.0.0.1:8000/id/member/peru> .

<http://127.0.0.1:8000/id/irm-report/peru-2015-mid-term> a ogp:IRMReport ;
    rdfs:label "Peru Mid-Term Progress Report 2015-2017"@en ;
    ogp:reportKind <http://127.0.0.1:8000/id/report-kind/mid-term> ;
    dcterms:issued "2017"^^xsd:gYear ;
    ogp:actionPlan <http://127.0.0.1:8000/id/action-plan/peru-2015> ;
    ogp:member <http://127.0.0.1:8000/id/member/peru> .

<http://127.0.0.1:8000/id/assessment/PE0055-mid-term> a ogp:Assessment ;
    rdfs:label "PE0055 in Peru Mid-Term Progress Report 2015-2017"@en ;
    ogp:assessedCommitment <http://127.0.0.1:8000/id/commitment/PE0055> ;
    ogp:report <http://127.0.0.1:8000/id/irm-report/peru-2015-mid-term> ;
    ogp:specificity <http://127.0.0.1:8000/id/specificity/medium> ;
    ogp:potentialImpact <http://127.0.0.1:8000/id/potential-impact/minor> ;
    ogp:ambition <http://127.0.0.1:8000/id/ambition/moderate> ;
    ogp:potentialForResults <http://127.0.0.1:8000/id/potential-for-results/modest> ;
    ogp:completion <http://127.0.0.1:8000/id/completion/not-started> ;
    ogp:changeInCompletion <http://127.0.0.1:8000/id/change-in-completion/no-change> ;
    ogp:didItOpenGovernment diog:did-not-change ;
    ogp:didItOpenGovernmentAccessToInformation diog:marginal ;
    ogp:didItOpenGovernmentCivicParticipation diog:major ;
    ogp:didItOpenGovernmentPublicAccountability diog:worsens ;
    ogp:earlyResults <http://127.0.0.1:8000/id/early-results/moderate> ;
    ogp:ogpValue <http://127.0.0.1:8000/id/ogp-value/civic-participation> ;
    ogp:verifiable true ;
    ogp:relevantToOGPValues true ;
    ogp:starred false ;
    ogp:carriedForward false ;
    ogp:starredFormula "2015" .

<http://127.0.0.1:8000/id/source/page-0123456789abcdef> a ogp:SourceDocument, prov:Entity ;
    dcterms:title "PE0055.txt" ;
    prov:wasDerivedFrom <https://www.opengovpartnership.org/members/peru/commitments/PE0055/> ;
    prov:generatedAtTime "2024-07-03T12:00:00Z"^^xsd:dateTime ;
    dcterms:identifier "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" .
"""

PREFIXES = """
PREFIX ogp: <http://127.0.0.1:8000/ontology#>
PREFIX id: <http://127.0.0.1:8000/id/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX schema: <https://schema.org/>
PREFIX c: <http://127.0.0.1:8000/id/commitment/>
PREFIX a: <http://127.0.0.1:8000/id/assessment/>
PREFIX m: <http://127.0.0.1:8000/id/milestone/>
PREFIX ap: <http://127.0.0.1:8000/id/action-plan/>
PREFIX mem: <http://127.0.0.1:8000/id/member/>
PREFIX pa: <http://127.0.0.1:8000/id/policy-area/>
PREFIX ov: <http://127.0.0.1:8000/id/ogp-value/>
PREFIX pi: <http://127.0.0.1:8000/id/potential-impact/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""


def valid_graph(base: str = B) -> Graph:
    return Graph().parse(data=VALID.replace(DEFAULT_BASE_URI, base), format="turtle")


def broken(update: str) -> Graph:
    graph = valid_graph()
    graph.update(PREFIXES + update)
    return graph


def matching(outcome: ValidationOutcome, severity: str, focus: URIRef, path: URIRef,
             component: str) -> list:
    results = outcome.violations if severity == "Violation" else outcome.warnings
    return [
        r for r in results
        if r.focus == focus and r.path == path and r.component == component
    ]


def test_complete_commitment_conforms_without_violations_or_warnings() -> None:
    outcome = validate(valid_graph())
    assert outcome.conforms, outcome.report_text()
    assert outcome.violations == []
    assert outcome.warnings == []
    assert outcome.report_text().startswith("Conforms")


# Variants the sources produce that must still conform without warnings.
VALID_VARIANTS = [
    ("start and end in the same month at different precisions",
     "DELETE WHERE { c:PE0055 schema:startDate ?s . c:PE0055 schema:endDate ?e } ;"
     ' INSERT DATA { c:PE0055 schema:startDate "2016-07"^^xsd:gYearMonth ;'
     ' schema:endDate "2016-07-31"^^xsd:date }'),
    ("start and end as years",
     "DELETE WHERE { c:PE0055 schema:startDate ?s . c:PE0055 schema:endDate ?e } ;"
     ' INSERT DATA { c:PE0055 schema:startDate "2015"^^xsd:gYear ;'
     ' schema:endDate "2015"^^xsd:gYear }'),
    ("no dates at all",
     "DELETE WHERE { c:PE0055 schema:startDate ?s . c:PE0055 schema:endDate ?e }"),
    ("local member with a five-letter prefix",
     'DELETE WHERE { c:PE0055 dcterms:identifier ?x } ;'
     ' INSERT DATA { c:PE0055 dcterms:identifier "KEMKC0001" }'),
    ("titles in two languages",
     'INSERT DATA { c:PE0055 dcterms:title "Gestión de la participación ciudadana"@es }'),
    ("member typed only ogp:Member, without region or ISO code",
     "DELETE WHERE { mem:peru ogp:region ?r } ; DELETE WHERE { mem:peru ogp:isoCode ?i } ;"
     " DELETE DATA { mem:peru a ogp:Country }"),
    ("assessment with no values besides its report and commitment",
     "DELETE { a:PE0055-mid-term ?p ?o } WHERE { a:PE0055-mid-term ?p ?o"
     " FILTER (?p NOT IN (ogp:report, ogp:assessedCommitment,"
     " <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>)) }"),
]


@pytest.mark.parametrize("update", [case[1] for case in VALID_VARIANTS],
                         ids=[case[0] for case in VALID_VARIANTS])
def test_variant_conforms(update: str) -> None:
    graph = broken(update)
    assert set(graph) != set(valid_graph())  # the update did change something
    outcome = validate(graph)
    assert outcome.conforms, outcome.report_text()
    assert outcome.warnings == []


# (id, SPARQL update breaking the valid graph, focus, path, constraint component)
VIOLATIONS = [
    ("missing identifier", "DELETE WHERE { c:PE0055 dcterms:identifier ?x }",
     COMMITMENT, DCTERMS.identifier, "MinCountConstraintComponent"),
    ("two identifiers", 'INSERT DATA { c:PE0055 dcterms:identifier "PE0056" }',
     COMMITMENT, DCTERMS.identifier, "MaxCountConstraintComponent"),
    ("identifier not matching pattern",
     'DELETE WHERE { c:PE0055 dcterms:identifier ?x } ;'
     ' INSERT DATA { c:PE0055 dcterms:identifier "pe-55" }',
     COMMITMENT, DCTERMS.identifier, "PatternConstraintComponent"),
    ("identifier with too few digits",
     'DELETE WHERE { c:PE0055 dcterms:identifier ?x } ;'
     ' INSERT DATA { c:PE0055 dcterms:identifier "PE055" }',
     COMMITMENT, DCTERMS.identifier, "PatternConstraintComponent"),
    ("no title", "DELETE WHERE { c:PE0055 dcterms:title ?x }",
     COMMITMENT, DCTERMS.title, "MinCountConstraintComponent"),
    ("no action plan", "DELETE WHERE { c:PE0055 ogp:actionPlan ?x }",
     COMMITMENT, OGP.actionPlan, "MinCountConstraintComponent"),
    ("two action plans",
     "INSERT DATA { c:PE0055 ogp:actionPlan ap:peru-2017 ."
     " ap:peru-2017 a ogp:ActionPlan ;"
     ' rdfs:label "Peru 2017" ; ogp:member mem:peru }',
     COMMITMENT, OGP.actionPlan, "MaxCountConstraintComponent"),
    ("action plan of another member",
     "DELETE WHERE { ap:peru-2015 ogp:member ?m } ;"
     " INSERT DATA { ap:peru-2015 ogp:member mem:chile ."
     ' mem:chile a ogp:Member ; rdfs:label "Chile" }',
     COMMITMENT, OGP.actionPlan, "SPARQLConstraintComponent"),
    ("action plan ending before its cycle",
     "DELETE WHERE { ap:peru-2015 ogp:endYear ?x } ;"
     ' INSERT DATA { ap:peru-2015 ogp:endYear "2014"^^xsd:gYear }',
     URIRef(f"{B}id/action-plan/peru-2015"), OGP.endYear, "SPARQLConstraintComponent"),
    ("no member", "DELETE WHERE { c:PE0055 ogp:member ?x }",
     COMMITMENT, OGP.member, "MinCountConstraintComponent"),
    ("start after end",
     "DELETE WHERE { c:PE0055 schema:startDate ?x } ;"
     ' INSERT DATA { c:PE0055 schema:startDate "2016-08-01"^^xsd:date }',
     COMMITMENT, SDO.startDate, "SPARQLConstraintComponent"),
    ("start year after end month",
     "DELETE WHERE { c:PE0055 schema:startDate ?x } ;"
     ' INSERT DATA { c:PE0055 schema:startDate "2017"^^xsd:gYear }',
     COMMITMENT, SDO.startDate, "SPARQLConstraintComponent"),
    ("institution without member",
     "DELETE WHERE { inst:proetica ogp:member ?x }",
     URIRef(f"{B}id/institution/peru/proetica"), OGP.member, "MinCountConstraintComponent"),
    ("member ISO code not alpha-3",
     'DELETE WHERE { mem:peru ogp:isoCode ?x } ; INSERT DATA { mem:peru ogp:isoCode "PE" }',
     URIRef(f"{B}id/member/peru"), OGP.isoCode, "PatternConstraintComponent"),
    ("date with wrong datatype",
     "DELETE WHERE { c:PE0055 schema:endDate ?x } ;"
     ' INSERT DATA { c:PE0055 schema:endDate "July 2016" }',
     COMMITMENT, SDO.endDate, "OrConstraintComponent"),
    ("two start dates", 'INSERT DATA { c:PE0055 schema:startDate "2015-09"^^xsd:gYearMonth }',
     COMMITMENT, SDO.startDate, "MaxCountConstraintComponent"),
    ("policy area not in the scheme",
     "INSERT DATA { c:PE0055 ogp:policyArea pa:not-a-policy-area }",
     COMMITMENT, OGP.policyArea, "NodeConstraintComponent"),
    ("policy area from another scheme",
     "INSERT DATA { c:PE0055 ogp:policyArea ov:access-to-information }",
     COMMITMENT, OGP.policyArea, "NodeConstraintComponent"),
    ("completion value from the wrong scheme",
     "DELETE WHERE { a:PE0055-mid-term ogp:completion ?x } ;"
     " INSERT DATA { a:PE0055-mid-term ogp:completion pi:moderate }",
     ASSESSMENT, OGP.completion, "NodeConstraintComponent"),
    ("verifiable not a boolean",
     "DELETE WHERE { a:PE0055-mid-term ogp:verifiable ?x } ;"
     ' INSERT DATA { a:PE0055-mid-term ogp:verifiable "Yes" }',
     ASSESSMENT, OGP.verifiable, "DatatypeConstraintComponent"),
    ("supporting institution not an Institution",
     "INSERT DATA { c:PE0055 ogp:supportingInstitution mem:peru }",
     COMMITMENT, OGP.supportingInstitution, "ClassConstraintComponent"),
    ("starred formula not allowed",
     "DELETE WHERE { a:PE0055-mid-term ogp:starredFormula ?x } ;"
     ' INSERT DATA { a:PE0055-mid-term ogp:starredFormula "2019" }',
     ASSESSMENT, OGP.starredFormula, "InConstraintComponent"),
    ("milestone without position", "DELETE WHERE { m:PE0055-1 schema:position ?x }",
     MILESTONE, SDO.position, "MinCountConstraintComponent"),
    ("milestone position zero",
     "DELETE WHERE { m:PE0055-1 schema:position ?x } ;"
     " INSERT DATA { m:PE0055-1 schema:position 0 }",
     MILESTONE, SDO.position, "MinInclusiveConstraintComponent"),
    ("assessment without report", "DELETE WHERE { a:PE0055-mid-term ogp:report ?x }",
     ASSESSMENT, OGP.report, "MinCountConstraintComponent"),
]


@pytest.mark.parametrize(
    ("update", "focus", "path", "component"),
    [case[1:] for case in VIOLATIONS],
    ids=[case[0] for case in VIOLATIONS],
)
def test_breakage_is_a_violation(update: str, focus: URIRef, path: URIRef,
                                 component: str) -> None:
    outcome = validate(broken(update))
    assert not outcome.conforms
    found = matching(outcome, "Violation", focus, path, component)
    assert found, outcome.report_text()
    assert all(r.severity == "Violation" and r.message for r in found)


WARNINGS = [
    ("no lead institution", "DELETE WHERE { c:PE0055 ogp:leadInstitution ?x }",
     COMMITMENT, OGP.leadInstitution, "MinCountConstraintComponent"),
    ("title without language tag",
     "DELETE WHERE { c:PE0055 dcterms:title ?x } ;"
     ' INSERT DATA { c:PE0055 dcterms:title "Management of Citizen Participation" }',
     COMMITMENT, DCTERMS.title, "DatatypeConstraintComponent"),
    ("milestone text without language tag",
     "DELETE WHERE { m:PE0055-1 dcterms:description ?x } ;"
     ' INSERT DATA { m:PE0055-1 dcterms:description "Conformación de un grupo de trabajo." }',
     MILESTONE, DCTERMS.description, "DatatypeConstraintComponent"),
]


@pytest.mark.parametrize(
    ("update", "focus", "path", "component"),
    [case[1:] for case in WARNINGS],
    ids=[case[0] for case in WARNINGS],
)
def test_breakage_is_only_a_warning(update: str, focus: URIRef, path: URIRef,
                                    component: str) -> None:
    outcome = validate(broken(update))
    assert outcome.conforms, outcome.report_text()
    assert outcome.violations == []
    assert matching(outcome, "Warning", focus, path, component), outcome.report_text()
    assert "Warning" in outcome.report_text()


def test_report_graph_and_text_carry_the_shape_message() -> None:
    outcome = validate(broken("DELETE WHERE { c:PE0055 ogp:actionPlan ?x }"))
    [result] = outcome.violations
    assert result.shape == URIRef(f"{B}shapes#CommitmentActionPlan")
    assert "exactly one action plan" in result.message
    assert (None, SH.resultSeverity, SH.Violation) in outcome.report_graph
    text = outcome.report_text()
    assert "id:commitment/PE0055" in text and "exactly one action plan" in text


def test_subclass_instances_satisfy_class_constraints() -> None:
    # Proética is only typed ogp:CivilSocietyOrganization; the ontology makes it an Institution
    graph = valid_graph()
    proetica = URIRef(f"{B}id/institution/peru/proetica")
    assert (proetica, None, OGP.Institution) not in graph
    assert validate(graph).conforms


def test_dataset_is_validated_as_the_union_of_its_graphs() -> None:
    dataset = Dataset()
    source = dataset.graph(URIRef(f"{B}id/source/page-0123456789abcdef"))
    other = dataset.graph(URIRef(f"{B}id/source/csv-fedcba9876543210"))
    for triple in valid_graph():
        source.add(triple)
    assert validate(dataset).conforms
    # a second source giving the same commitment another identifier breaks the cardinality
    other.add((COMMITMENT, DCTERMS.identifier, Literal("PE0056")))
    outcome = validate(dataset)
    assert matching(outcome, "Violation", COMMITMENT, DCTERMS.identifier,
                    "MaxCountConstraintComponent")


OTHER_BASE = "https://example.org/ogp/"


def test_shapes_and_vocabularies_are_rebased() -> None:
    graph = valid_graph(OTHER_BASE)
    outcome = validate(graph, base=OTHER_BASE)
    assert outcome.conforms, outcome.report_text()
    assert outcome.warnings == []
    # the same data checked against the default base has no ogp: terms the shapes know about
    assert validate(graph).violations == []
    assert validate(graph).warnings == []


def test_rebased_shapes_reject_a_concept_of_the_default_base() -> None:
    graph = valid_graph(OTHER_BASE)
    commitment = URIRef(f"{OTHER_BASE}id/commitment/PE0055")
    graph.add((commitment, URIRef(f"{OTHER_BASE}ontology#policyArea"),
               URIRef(f"{B}id/policy-area/open-data")))
    outcome = validate(graph, base=OTHER_BASE)
    assert not outcome.conforms
    [result] = outcome.violations
    assert result.focus == commitment
    assert result.path == URIRef(f"{OTHER_BASE}ontology#policyArea")
    assert result.shape == URIRef(f"{OTHER_BASE}shapes#CommitmentPolicyArea")
    assert "https://example.org/ogp/" in outcome.report_text() or "id:" in outcome.report_text()


SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")


def test_vocabularies_conform_to_their_shapes() -> None:
    outcome = validate_vocabularies()
    assert outcome.conforms, outcome.report_text()
    assert outcome.warnings == []


@pytest.mark.parametrize(
    ("triple", "path", "component"),
    [
        ((URIRef(f"{B}id/completion/limited"), SKOS.prefLabel, Literal("Partial", lang="en")),
         SKOS.prefLabel, "QualifiedMaxCountConstraintComponent"),
        ((URIRef(f"{B}id/completion/limited"), SKOS.inScheme, URIRef(f"{B}id/ambition")),
         SKOS.inScheme, "MaxCountConstraintComponent"),
        ((URIRef(f"{B}id/completion/limited"), OGP.rank, Literal("3")),
         OGP.rank, "MaxCountConstraintComponent"),
    ],
)
def test_broken_vocabulary_is_reported(triple: tuple, path: URIRef, component: str) -> None:
    vocabularies = Graph()
    vocabularies += load_graph(VOCABULARIES_FILE, B)
    vocabularies.add(triple)
    outcome = validate_vocabularies(vocabularies=vocabularies)
    assert not outcome.conforms
    assert matching(outcome, "Violation", URIRef(f"{B}id/completion/limited"), path, component)


def test_data_validation_ignores_the_vocabulary_shapes() -> None:
    # a concept typed in the data without labels is the vocabularies' business, not the data's
    graph = valid_graph()
    graph.add((URIRef(f"{B}id/policy-area/open-data"), RDF.type, SKOS.Concept))
    assert validate(graph).violations == []
