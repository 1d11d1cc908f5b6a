"""The OWL ontology parses, declares every term the code uses, and no ogp: term is undeclared."""

from __future__ import annotations

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from ogpgraph.config import DEFAULT_BASE_URI
from ogpgraph.graph.static_files import (
    ONTOLOGY_FILE,
    SHAPES_FILE,
    VOCABULARIES_FILE,
    load_graph,
    rebased_text,
)
from ogpgraph.graph.terms import CLASSES, OGP, PROPERTIES, ontology_namespace

SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
VANN = Namespace("http://purl.org/vocab/vann/")
ORG = Namespace("http://www.w3.org/ns/org#")
PROV = Namespace("http://www.w3.org/ns/prov#")
SCHEMA = Namespace("https://schema.org/")
ONTOLOGY = URIRef(f"{DEFAULT_BASE_URI}ontology")
XSD_NS = "http://www.w3.org/2001/XMLSchema#"

# Properties whose values are resources (the rest are datatype properties).
OBJECT_PROPERTIES = {
    "member", "actionPlan", "leadInstitution", "supportingInstitution", "policyArea",
    "milestone", "status", "assessment", "region", "reportKind", "report", "assessedCommitment",
    "specificity", "ogpValue", "potentialImpact", "ambition", "potentialForResults", "completion",
    "changeInCompletion", "didItOpenGovernment", "didItOpenGovernmentAccessToInformation",
    "didItOpenGovernmentCivicParticipation", "didItOpenGovernmentPublicAccountability",
    "earlyResults",
    # change history
    "changedResource", "propertyChange", "changedProperty", "formerSource",
}
# Properties whose values are resources or literals: plain rdf:Property
ANY_VALUE_PROPERTIES = {"oldValue", "newValue"}
SCALE_PROPERTIES = {
    "policyArea", "status", "region", "reportKind", "specificity", "ogpValue", "potentialImpact",
    "ambition", "potentialForResults", "completion", "changeInCompletion", "didItOpenGovernment",
    "didItOpenGovernmentAccessToInformation", "didItOpenGovernmentCivicParticipation",
    "didItOpenGovernmentPublicAccountability", "earlyResults",
}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_graph(ONTOLOGY_FILE, DEFAULT_BASE_URI)


def test_ontology_header(ontology: Graph) -> None:
    assert (ONTOLOGY, RDF.type, OWL.Ontology) in ontology
    for predicate in (OWL.versionInfo, DCTERMS.title, DCTERMS.description, DCTERMS.license,
                      VANN.preferredNamespacePrefix, VANN.preferredNamespaceUri):
        assert ontology.value(ONTOLOGY, predicate) is not None, predicate
    assert str(ontology.value(ONTOLOGY, VANN.preferredNamespaceUri)) == str(OGP)


def english(graph: Graph, term: URIRef, predicate: URIRef) -> list[Literal]:
    return [o for o in graph.objects(term, predicate)
            if isinstance(o, Literal) and o.language == "en"]


@pytest.mark.parametrize("name", CLASSES)
def test_class_declared(ontology: Graph, name: str) -> None:
    term = OGP[name]
    assert (term, RDF.type, OWL.Class) in ontology
    assert len(english(ontology, term, RDFS.label)) == 1
    assert english(ontology, term, SKOS.definition) or english(ontology, term, RDFS.comment)
    assert (term, RDFS.isDefinedBy, ONTOLOGY) in ontology


@pytest.mark.parametrize("name", PROPERTIES)
def test_property_declared(ontology: Graph, name: str) -> None:
    term = OGP[name]
    kind = OWL.ObjectProperty if name in OBJECT_PROPERTIES else OWL.DatatypeProperty
    other = OWL.DatatypeProperty if name in OBJECT_PROPERTIES else OWL.ObjectProperty
    if name in ANY_VALUE_PROPERTIES:
        kind, other = RDF.Property, OWL.DatatypeProperty
        assert (term, RDF.type, OWL.ObjectProperty) not in ontology
    assert (term, RDF.type, kind) in ontology
    assert (term, RDF.type, other) not in ontology
    assert len(english(ontology, term, RDFS.label)) == 1
    assert english(ontology, term, SKOS.definition) or english(ontology, term, RDFS.comment)
    # one rdfs:domain, or schema:domainIncludes for terms shared by several classes
    domains = list(ontology.objects(term, RDFS.domain))
    assert len(domains) == 1 or (not domains and ontology.value(term, SCHEMA.domainIncludes))
    assert ontology.value(term, RDFS.range) is not None
    assert (term, RDFS.isDefinedBy, ONTOLOGY) in ontology
    if name in SCALE_PROPERTIES:
        assert (term, RDFS.range, SKOS.Concept) in ontology
    if kind == OWL.DatatypeProperty:
        assert str(ontology.value(term, RDFS.range)).startswith((XSD_NS, str(RDFS)))


@pytest.mark.parametrize(
    ("triple"),
    [
        (OGP.Member, RDFS.subClassOf, ORG.Organization),
        (OGP.Institution, RDFS.subClassOf, ORG.Organization),
        (OGP.Country, RDFS.subClassOf, OGP.Member),
        (OGP.LocalMember, RDFS.subClassOf, OGP.Member),
        (OGP.GovernmentBody, RDFS.subClassOf, OGP.Institution),
        (OGP.CivilSocietyOrganization, RDFS.subClassOf, OGP.Institution),
        (OGP.IRMReport, RDFS.subClassOf, PROV.Entity),
        (OGP.IRMReport, RDFS.subClassOf, SCHEMA.Report),
        (OGP.ActionPlan, RDFS.subClassOf, PROV.Plan),
        (OGP.SourceDocument, RDFS.subClassOf, PROV.Entity),
        (OGP.policyArea, RDFS.subPropertyOf, DCTERMS.subject),
        (OGP.assessment, OWL.inverseOf, OGP.assessedCommitment),
        (OGP.assessedCommitment, RDF.type, OWL.FunctionalProperty),
        (OGP.report, RDF.type, OWL.FunctionalProperty),
        (OGP.completion, RDF.type, OWL.FunctionalProperty),
    ],
)
def test_axioms(ontology: Graph, triple: tuple[URIRef, URIRef, URIRef]) -> None:
    assert triple in ontology


def test_only_the_listed_terms_are_ours(ontology: Graph) -> None:
    declared = {
        s for s in ontology.subjects(RDFS.isDefinedBy, ONTOLOGY)
        if isinstance(s, URIRef) and str(s).startswith(str(OGP))
    }
    assert declared == {OGP[n] for n in CLASSES + PROPERTIES}


def ogp_terms(graph: Graph, namespace: str) -> set[URIRef]:
    return {
        term for triple in graph for term in triple
        if isinstance(term, URIRef) and str(term).startswith(namespace)
    }


@pytest.mark.parametrize("path", [SHAPES_FILE, VOCABULARIES_FILE], ids=["shapes", "vocabularies"])
def test_no_undeclared_ogp_term_is_used(ontology: Graph, path) -> None:
    used = ogp_terms(load_graph(path, DEFAULT_BASE_URI), str(OGP))
    assert used, "expected ogp: terms in use"
    declared = {OGP[n] for n in CLASSES + PROPERTIES}
    assert used - declared == set()
    # and the ontology itself uses none it does not declare
    assert ogp_terms(ontology, str(OGP)) - declared == set()


def test_sparql_constraints_use_only_declared_terms() -> None:
    """sh:select texts are strings, invisible to the triple scan above."""
    text = SHAPES_FILE.read_text(encoding="utf-8")
    names = set()
    for query in text.split('"""')[1::2]:
        names.update(word.split(":", 1)[1] for word in query.split()
                     if word.startswith("ogp:"))
    names = {n.rstrip(" ;.)") for n in names}
    assert names and names <= set(CLASSES + PROPERTIES)


def test_no_blank_nodes_so_dumps_are_deterministic(ontology: Graph) -> None:
    assert not [t for t in ontology if any(isinstance(term, BNode) for term in t)]
    vocabularies = load_graph(VOCABULARIES_FILE, DEFAULT_BASE_URI)
    assert not [t for t in vocabularies if any(isinstance(term, BNode) for term in t)]


def test_rebased_ontology_moves_the_namespace() -> None:
    base = "https://example.org/ogp/"
    graph = Graph().parse(data=rebased_text(ONTOLOGY_FILE, base), format="turtle")
    ns = ontology_namespace(base)
    assert (ns.Commitment, RDF.type, OWL.Class) in graph
    assert (OGP.Commitment, RDF.type, OWL.Class) not in graph
    assert (URIRef(f"{base}ontology"), RDF.type, OWL.Ontology) in graph
