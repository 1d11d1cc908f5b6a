"""The terms of our ontology (``{base}ontology#``) and the standard vocabularies we reuse.

Our namespace depends on the configured base URI, so terms are built per base by
:func:`ontology_namespace`; :data:`OGP` is the namespace under the default base.
Every name listed in ``CLASSES`` and ``PROPERTIES`` is declared in ``ontology/ogp.ttl``.
"""

from __future__ import annotations

from collections.abc import Mapping

from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SDO, SKOS, TIME, VOID, XSD

from ogpgraph.config import DEFAULT_BASE_URI

ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = SDO
SH = Namespace("http://www.w3.org/ns/shacl#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
SPDX = Namespace("http://spdx.org/rdf/terms#")

CLASSES = (
    "Member", "Country", "LocalMember", "ActionPlan", "Commitment", "Milestone",
    "Institution", "GovernmentBody", "CivilSocietyOrganization", "IRMReport", "Assessment",
    "SourceDocument",
    # change history (ogpgraph/release/history/)
    "Release", "Change", "Addition", "Removal", "Modification", "PropertyChange",
)

PROPERTIES = (
    # commitment
    "member", "actionPlan", "shortTitle", "theme", "commitmentNumber", "leadInstitution",
    "supportingInstitution", "policyArea", "milestone", "status", "starred", "assessment",
    # member / action plan
    "region", "isoCode", "cycleYear", "endYear", "actionPlanNumber",
    # IRM report / assessment
    "reportKind", "report", "assessedCommitment", "specificity", "verifiable",
    "relevantToOGPValues", "ogpValue", "potentialImpact", "ambition", "potentialForResults",
    "completion", "changeInCompletion", "didItOpenGovernment",
    "didItOpenGovernmentAccessToInformation", "didItOpenGovernmentCivicParticipation",
    "didItOpenGovernmentPublicAccountability", "earlyResults", "starredFormula",
    "carriedForward",
    # concepts in ordered scales
    "rank",
    # change history (ogpgraph/release/history/)
    "changedResource", "propertyChange", "changedProperty", "oldValue", "newValue",
    "formerSource",
)

# diog_by_value keys (ogp-value concept keys) -> property local names
DIOG_BY_VALUE_PROPERTY = {
    "access-to-information": "didItOpenGovernmentAccessToInformation",
    "civic-participation": "didItOpenGovernmentCivicParticipation",
    "public-accountability": "didItOpenGovernmentPublicAccountability",
}


def ontology_namespace(base: str = DEFAULT_BASE_URI) -> Namespace:
    return Namespace(f"{base}ontology#")


OGP = ontology_namespace()

PREFIXES: dict[str, str] = {
    "ogp": str(OGP),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "foaf": str(FOAF),
    "org": str(ORG),
    "prov": str(PROV),
    "schema": str(SCHEMA),
    "time": str(TIME),
    "dcat": str(DCAT),
    "void": str(VOID),
}


def prefixes_for(base: str) -> dict[str, str]:
    """The prefix map with ``ogp:`` under the given base, plus ``id:`` for our resources."""
    return {**PREFIXES, "ogp": f"{base}ontology#"}


def curie(iri: str, prefixes: Mapping[str, str]) -> str | None:
    """``ogp:Commitment`` for an IRI under one of ``prefixes`` (the longest namespace that
    leaves a local name), else None. The one CURIE shortening of pages and results."""
    best = ""
    best_prefix = ""
    for prefix, namespace in prefixes.items():
        if iri.startswith(namespace) and len(iri) > len(namespace) and len(namespace) > len(best):
            best, best_prefix = namespace, prefix
    return f"{best_prefix}:{iri[len(best):]}" if best else None
