"""Example queries of the query page: real questions about OGP commitments.

Written against the base URI of the build (``{base}`` and the ``ogp:`` prefix follow it);
each one is also run by the test suite on a real build and must return something.
"""

from __future__ import annotations

from dataclasses import dataclass

from ogpgraph.graph.terms import prefixes_for

PAGE_PREFIXES = ("ogp", "skos", "dcterms", "schema", "rdfs", "foaf", "org", "prov", "xsd")


@dataclass(frozen=True)
class ExampleQuery:
    slug: str
    title: str
    question: str
    query: str  # complete, with its PREFIX declarations


def prefix_block(base: str) -> str:
    namespaces = prefixes_for(base)
    return "".join(f"PREFIX {name}: <{namespaces[name]}>\n" for name in PAGE_PREFIXES)


def default_query(base: str) -> str:
    return prefix_block(base) + (
        "\nSELECT ?commitment ?title WHERE {\n"
        "  ?commitment a ogp:Commitment ;\n"
        "              dcterms:title ?title .\n"
        "}\nLIMIT 20\n")


_BODIES: tuple[tuple[str, str, str, str], ...] = (
    ("commitments-per-member", "Commitments per member",
     "How many commitments has each OGP member made?", """
SELECT ?member ?name (COUNT(DISTINCT ?commitment) AS ?commitments) WHERE {
  ?commitment a ogp:Commitment ;
              ogp:member ?member .
  OPTIONAL { ?member rdfs:label ?name }
}
GROUP BY ?member ?name
ORDER BY DESC(?commitments) ?name
"""),
    ("starred-by-policy-area", "Starred commitments by policy area",
     "In which policy areas are the starred commitments (the IRM's exemplary ones)?", """
SELECT ?area (SAMPLE(?label) AS ?policyArea) (COUNT(DISTINCT ?commitment) AS ?starred) WHERE {
  { SELECT DISTINCT ?commitment WHERE {
      { ?commitment ogp:starred true } UNION { ?commitment ogp:assessment/ogp:starred true }
  } }
  ?commitment a ogp:Commitment ;
              ogp:policyArea ?area .
  OPTIONAL { ?area skos:prefLabel ?label FILTER(langMatches(lang(?label), "en")) }
}
GROUP BY ?area
ORDER BY DESC(?starred) ?policyArea
"""),
    ("completion-by-action-plan", "Completion by action plan",
     "How far did each action plan's commitments get, as the IRM assessed them in any "
     "report? Commitments without a completion level count as not assessed.", """
SELECT ?plan (SAMPLE(?planName) AS ?actionPlan) ?completion
       (COUNT(DISTINCT ?commitment) AS ?commitments) WHERE {
  ?commitment ogp:actionPlan ?plan .
  OPTIONAL { ?plan rdfs:label ?planName }
  OPTIONAL {
    ?assessment ogp:assessedCommitment ?commitment ;
                ogp:completion ?level .
    ?level skos:prefLabel ?levelName FILTER(langMatches(lang(?levelName), "en"))
  }
  BIND(COALESCE(?levelName, "not assessed") AS ?completion)
}
GROUP BY ?plan ?completion
ORDER BY ?actionPlan ?completion
"""),
    ("lead-institutions", "Institutions that lead most commitments",
     "Which institutions are responsible for the most commitments?", """
# One IRI per institution: the build gathers each member's spellings and acronyms of an
# institution into one (its other spellings are skos:altLabel)
SELECT ?institution (SAMPLE(?label) AS ?name) (SAMPLE(?memberName) AS ?member)
       (COUNT(DISTINCT ?commitment) AS ?commitments) WHERE {
  ?commitment ogp:leadInstitution ?institution .
  OPTIONAL { ?institution rdfs:label ?label }
  OPTIONAL { ?institution ogp:member/rdfs:label ?memberName }
}
GROUP BY ?institution
ORDER BY DESC(?commitments) ?institution
LIMIT 25
"""),
    ("peru-2015", "What Peru committed to in 2015",
     "What are the commitments of Peru's action plan of the 2015 cycle?", """
SELECT ?commitment ?identifier (SAMPLE(?name) AS ?title)
       (GROUP_CONCAT(DISTINCT ?area; separator=", ") AS ?policyAreas) WHERE {
  ?commitment ogp:member <{base}id/member/peru> ;
              ogp:actionPlan ?plan ;
              dcterms:identifier ?identifier .
  ?plan ogp:cycleYear ?cycle FILTER(str(?cycle) = "2015")
  OPTIONAL { ?commitment dcterms:title ?name }
  OPTIONAL { ?commitment ogp:policyArea/skos:prefLabel ?area
             FILTER(langMatches(lang(?area), "en")) }
}
GROUP BY ?commitment ?identifier
ORDER BY ?identifier
"""),
    ("irm-levels", "IRM levels by rank",
     "What did the IRM find for each assessed commitment, ordered by rank on the "
     "completion and did-it-open-government scales? ogp:rank orders every scale: "
     "uncomment the FILTER to keep at least substantial completion.", """
SELECT ?commitment (SAMPLE(?name) AS ?title) ?reportKind ?completion ?completionRank
       ?openedGovernment ?openedGovernmentRank WHERE {
  ?assessment ogp:assessedCommitment ?commitment ;
              ogp:report/ogp:reportKind ?kind .
  ?kind skos:prefLabel ?reportKind FILTER(langMatches(lang(?reportKind), "en"))
  OPTIONAL { ?assessment ogp:completion ?level .
             ?level ogp:rank ?completionRank ; skos:prefLabel ?completion
             FILTER(langMatches(lang(?completion), "en")) }
  OPTIONAL { ?assessment ogp:didItOpenGovernment ?diog .
             ?diog ogp:rank ?openedGovernmentRank ; skos:prefLabel ?openedGovernment
             FILTER(langMatches(lang(?openedGovernment), "en")) }
  FILTER(BOUND(?completion) || BOUND(?openedGovernment))
  # FILTER(?completionRank >= 4)   # at least substantial completion
  OPTIONAL { ?commitment dcterms:title ?name }
}
GROUP BY ?commitment ?reportKind ?completion ?completionRank ?openedGovernment
         ?openedGovernmentRank
ORDER BY DESC(?completionRank) DESC(?openedGovernmentRank) ?commitment
"""),
    ("policy-areas-per-member", "Policy areas per member",
     "Which policy areas does each member's commitments address?", """
SELECT ?member (SAMPLE(?memberName) AS ?name) (COUNT(DISTINCT ?area) AS ?areas)
       (GROUP_CONCAT(DISTINCT ?areaName; separator=", ") AS ?policyAreas) WHERE {
  ?commitment ogp:member ?member ;
              ogp:policyArea ?area .
  OPTIONAL { ?member rdfs:label ?memberName }
  OPTIONAL { ?area skos:prefLabel ?areaName FILTER(langMatches(lang(?areaName), "en")) }
}
GROUP BY ?member
ORDER BY DESC(?areas) ?name
"""),
    ("irm-reports", "IRM reports and their assessments",
     "Which IRM reports are there, and how many commitment assessments does each hold?", """
SELECT ?report (SAMPLE(?label) AS ?name) (SAMPLE(?year) AS ?issued)
       (COUNT(DISTINCT ?assessment) AS ?assessments) WHERE {
  ?report a ogp:IRMReport .
  OPTIONAL { ?report rdfs:label ?label }
  OPTIONAL { ?report dcterms:issued ?year }
  OPTIONAL { ?assessment ogp:report ?report }
}
GROUP BY ?report
ORDER BY DESC(?assessments) ?name
"""),
)


def example_queries(base: str) -> list[ExampleQuery]:
    prefixes = prefix_block(base)
    return [ExampleQuery(slug, title, question, prefixes + body.replace("{base}", base))
            for slug, title, question, body in _BODIES]
