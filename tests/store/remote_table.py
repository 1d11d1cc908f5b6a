"""The table of requests every backend must answer alike, and how answers are compared.

Answers are compared as multisets of rows (solutions) or sets of triples (graphs), after
normalising what SPARQL leaves to the engine: blank node labels, the order of
GROUP_CONCAT's parts, and the order of rows where the query does not fix it.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, replace

import pyoxigraph as ox

from ogpgraph.graph.uris import Uris
from ogpgraph.store.query_jobs import QueryOutcome
from ogpgraph.web.resource_document import incoming_query, main_query
from ogpgraph.web.sparql.examples import default_query, example_queries, prefix_block

GROUP_CONCAT_SEPARATOR = ", "


_SAMPLED = re.compile(r"SAMPLE\s*\(\s*\?\w+\s*\)\s+AS\s+\?(\w+)", re.IGNORECASE)
_CONCATENATED = re.compile(r"GROUP_CONCAT\s*\(.*?\)\s+AS\s+\?(\w+)", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class Case:
    name: str
    query: str
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    # LIMIT without an order that fixes the rows: any rows of the whole answer will do
    unordered_limit: bool = False

    @property
    def sampled(self) -> frozenset[str]:
        """Variables bound by SAMPLE: any value of the group is an answer."""
        return frozenset(_SAMPLED.findall(self.query))

    @property
    def concatenated(self) -> frozenset[str]:
        """Variables bound by GROUP_CONCAT: the parts in any order, and their language
        tag kept by Oxigraph (when all parts share it) but dropped by Virtuoso."""
        return frozenset(_CONCATENATED.findall(self.query))

    def without_limit(self) -> Case:
        return replace(self, query=re.sub(r"\bLIMIT\s+\d+\s*$", "", self.query.strip()))


def deterministic(case: Case) -> Case:
    """The query with MIN(STR(…)) for SAMPLE: one answer only, so it can be compared
    whole (the order between literals of different kinds is left to the engine)."""
    return replace(case, name=case.name.replace("example:", "example-min:"),
                   query=re.sub(r"\bSAMPLE\s*\(\s*(\?\w+)\s*\)", r"MIN(STR(\1))", case.query))


def table(base: str, sources: list[str]) -> list[Case]:
    """Example queries, GRAPH/FROM/dataset-parameter queries, ASK, CONSTRUCT, DESCRIBE,
    counts. ``sources``: two source graph IRIs of the build (the largest first)."""
    uris = Uris(base)
    pe = uris.commitment("PE0055")
    ontology, vocabularies = str(uris.graph("ontology")), str(uris.graph("vocabularies"))
    big, small = sources[0], sources[-1]
    p = prefix_block(base)
    examples = [Case(f"example:{e.slug}", e.query) for e in example_queries(base)]
    cases = examples + [deterministic(c) for c in examples if c.sampled]
    cases += [
        Case("default-query", default_query(base), unordered_limit=True),
        Case("count-union", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"),
        Case("count-distinct-subjects", "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }"),
        Case("classes", "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c"),
        Case("facts-of-PE0055", f"SELECT ?p ?o WHERE {{ <{pe}> ?p ?o }}"),
        Case("graph-sizes", "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } "
             "GROUP BY ?g"),
        Case("graphs-of-PE0055", f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ <{pe}> ?p ?o }} }}"),
        Case("facts-in-two-graphs", "SELECT (COUNT(*) AS ?n) WHERE { { SELECT DISTINCT ?s ?p ?o "
             "WHERE { GRAPH ?a { ?s ?p ?o } GRAPH ?b { ?s ?p ?o } FILTER(STR(?a) < STR(?b)) } } }"),
        Case("graph-star", f"SELECT * WHERE {{ GRAPH ?g {{ <{pe}> a ?t }} }}"),
        Case("graph-nested-optional", f"SELECT ?g ?h (COUNT(*) AS ?n) WHERE {{ GRAPH ?g "
             f"{{ <{pe}> ?p ?o }} OPTIONAL {{ GRAPH ?h {{ <{pe}> ?p ?o }} FILTER(?h != ?g) }} }}"
             " GROUP BY ?g ?h"),
        Case("graph-variable-and-iri", f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ GRAPH <{small}> "
             "{ ?s ?p ?o } GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"),
        Case("graph-iri-absent", "ASK { GRAPH <http://www.openlinksw.com/schemas/virtrdf#> "
             "{ ?s ?p ?o } }"),
        Case("graph-values-absent", "SELECT ?g (COUNT(*) AS ?n) WHERE { VALUES ?g { "
             "<http://www.openlinksw.com/schemas/virtrdf#> } GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"),
        Case("from", f"SELECT (COUNT(*) AS ?n) FROM <{ontology}> WHERE {{ ?s ?p ?o }}"),
        Case("from-graph-var", f"SELECT ?g (COUNT(*) AS ?n) FROM <{ontology}> "
             "WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"),
        Case("from-named-default", f"SELECT (COUNT(*) AS ?n) FROM NAMED <{small}> "
             "WHERE { ?s ?p ?o }"),
        Case("from-named-graph", f"SELECT ?g (COUNT(*) AS ?n) FROM NAMED <{small}> "
             "WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"),
        Case("from-two", f"SELECT (COUNT(*) AS ?n) FROM <{big}> FROM <{small}> "
             "WHERE { ?s ?p ?o }"),
        Case("param-default", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", (vocabularies,)),
        Case("param-default-graph-var", "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g "
             "{ ?s ?p ?o } } GROUP BY ?g", (vocabularies,)),
        Case("param-named", "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } "
             "GROUP BY ?g", (), (small, ontology)),
        Case("param-named-default", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", (), (small,)),
        Case("param-both", "SELECT ?g (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION "
             "{ GRAPH ?g { ?s ?p ?o } } } GROUP BY ?g", (ontology,), (small,)),
        Case("param-overrides-from", f"SELECT (COUNT(*) AS ?n) FROM <{big}> WHERE {{ ?s ?p ?o }}",
             (ontology,)),
        Case("ask-true", f"ASK {{ <{pe}> ?p ?o }}"),
        Case("ask-false", f"ASK {{ <{pe}> <urn:no:such> ?o }}"),
        Case("ask-graph", f"ASK {{ GRAPH <{small}> {{ ?s ?p ?o }} }}"),
        Case("construct-document", main_query(pe, base)),
        Case("construct-incoming", incoming_query(uris.member("peru"), 0, 1000)),
        Case("construct-from-graph", f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{small}> "
             "{ ?s ?p ?o } }"),
        Case("describe", f"DESCRIBE <{pe}>"),
        Case("describe-where", p + "DESCRIBE ?c WHERE { ?c a ogp:Commitment ; "
             "dcterms:identifier ?id } ORDER BY ?id LIMIT 3"),
        Case("typed-literals", p + "SELECT ?o (DATATYPE(?o) AS ?t) (STR(?o) AS ?s) WHERE { "
             "?x schema:startDate|schema:endDate|ogp:cycleYear|ogp:starred ?o }"),
        Case("languages", p + "SELECT ?l (COUNT(*) AS ?n) WHERE { "
             "?c dcterms:title ?t BIND(LANG(?t) AS ?l) } GROUP BY ?l"),
    ]
    return cases


def _term(term: object, bnodes: dict[str, str]) -> str:
    if isinstance(term, ox.BlankNode):
        return bnodes.setdefault(term.value, f"_:b{len(bnodes)}")
    return str(term)


def _cell(term: object, name: str, case: Case, bnodes: dict[str, str]) -> str | None:
    if term is None:
        return None
    if name in case.sampled:
        return "(a sample)"
    if name in case.concatenated and isinstance(term, ox.Literal):
        return GROUP_CONCAT_SEPARATOR.join(sorted(term.value.split(GROUP_CONCAT_SEPARATOR)))
    return _term(term, bnodes)


def normalised(outcome: QueryOutcome, case: Case) -> tuple:
    """A comparable form of an outcome written as SPARQL JSON (solutions, boolean) or
    N-Triples (graphs)."""
    assert outcome.kind == "ok", outcome.message
    if outcome.result_kind == "boolean":
        return ("boolean", json.loads(outcome.body)["boolean"])
    bnodes: dict[str, str] = {}
    if outcome.result_kind == "graph":
        triples = ox.parse(outcome.body, format=ox.RdfFormat.N_TRIPLES)
        return ("graph", frozenset(tuple(_term(t, bnodes) for t in
                                         (q.subject, q.predicate, q.object)) for q in triples))
    solutions = ox.parse_query_results(outcome.body, format=ox.QueryResultsFormat.JSON)
    names = [v.value for v in solutions.variables]
    rows = Counter(tuple(_cell(row[name], name, case, bnodes) for name in names)
                   for row in solutions)
    return ("solutions", tuple(names), rows, outcome.truncated)
