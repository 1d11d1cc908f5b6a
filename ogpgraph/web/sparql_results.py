"""Running one query on a pyoxigraph store and serialising at most N results.

This is what a query worker does (and the in-process executor): parse + evaluate with
pyoxigraph, stop after ``max_results + 1`` items so truncation is known, serialise.
pyoxigraph serialises a whole result iterator, so a capped list of solutions is written
as SPARQL JSON here and converted by pyoxigraph to XML/CSV/TSV; graphs go straight
through ``pyoxigraph.serialize``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, Literal

import pyoxigraph as ox

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

SOLUTION_SERIALISERS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
GRAPH_SERIALISERS = {
    "turtle": ox.RdfFormat.TURTLE,
    "jsonld": ox.RdfFormat.JSON_LD,
    "nt": ox.RdfFormat.N_TRIPLES,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
}
PREFIXED_FORMATS = {"turtle", "trig", "rdfxml"}  # the syntaxes where prefixes shorten output


@dataclass(frozen=True)
class QueryJob:
    """Everything a worker needs; picklable (it crosses a pipe)."""

    query: str
    solutions_format: str = "json"  # a key of SOLUTION_SERIALISERS
    graph_format: str = "turtle"  # a key of GRAPH_SERIALISERS
    max_results: int = 10_000
    default_graph_uris: tuple[str, ...] = ()
    named_graph_uris: tuple[str, ...] = ()
    prefixes: dict[str, str] = field(default_factory=dict)
    union_default_graph: bool = True  # False when the query has FROM / FROM NAMED


OutcomeKind = Literal["ok", "syntax_error", "error", "timeout", "busy"]


@dataclass(frozen=True)
class QueryOutcome:
    kind: OutcomeKind
    result_kind: Literal["solutions", "boolean", "graph", ""] = ""
    format: str = ""  # the key of the format ``body`` is in
    body: bytes = b""
    count: int = 0  # rows or triples in the body
    truncated: bool = False
    message: str = ""


def term_json(term: Any) -> dict[str, Any]:
    """One RDF term in SPARQL 1.1 Query Results JSON (RDF 1.2 triple terms included)."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        encoded = {"type": "literal", "value": term.value}
        if term.language:
            encoded["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            encoded["datatype"] = term.datatype.value
        return encoded
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {
            "subject": term_json(term.subject), "predicate": term_json(term.predicate),
            "object": term_json(term.object)}}
    raise TypeError(f"not an RDF term: {term!r}")


def solutions_json(variables: list[str], rows: list[ox.QuerySolution]) -> bytes:
    bindings = []
    for row in rows:
        binding = {}
        for name in variables:
            value = row[name]
            if value is not None:
                binding[name] = term_json(value)
        bindings.append(binding)
    document = {"head": {"vars": variables}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def boolean_json(value: bool) -> bytes:
    return json.dumps({"head": {}, "boolean": value}).encode()


def convert_results(json_body: bytes, fmt: str) -> bytes:
    """SPARQL JSON results -> the same results in ``fmt`` (pyoxigraph's serialisers)."""
    if fmt == "json":
        return json_body
    parsed = ox.parse_query_results(json_body, format=ox.QueryResultsFormat.JSON)
    return parsed.serialize(format=SOLUTION_SERIALISERS[fmt])


def _dataset_arguments(job: QueryJob) -> dict[str, Any]:
    """The protocol's dataset, else the query's FROM clauses, else the union of all graphs
    as default graph (pyoxigraph's union flag would override FROM, hence the choice)."""
    if not job.default_graph_uris and not job.named_graph_uris:
        return {"use_default_graph_as_union": True} if job.union_default_graph else {}
    return {
        "default_graph": [ox.NamedNode(iri) for iri in job.default_graph_uris],
        "named_graphs": [ox.NamedNode(iri) for iri in job.named_graph_uris],
    }


def execute_job(store: ox.Store, job: QueryJob) -> QueryOutcome:
    """Parse, evaluate and serialise; errors become outcomes, never exceptions."""
    try:
        result = store.query(job.query, **_dataset_arguments(job))
        if isinstance(result, ox.QueryBoolean):
            body = boolean_json(bool(result))
            return QueryOutcome("ok", "boolean", job.solutions_format,
                                convert_results(body, job.solutions_format), count=1)
        if isinstance(result, ox.QuerySolutions):
            variables = [variable.value for variable in result.variables]
            rows = list(islice(result, job.max_results + 1))
            truncated = len(rows) > job.max_results
            rows = rows[: job.max_results]
            body = convert_results(solutions_json(variables, rows), job.solutions_format)
            return QueryOutcome("ok", "solutions", job.solutions_format, body,
                                count=len(rows), truncated=truncated)
        triples = list(islice(result, job.max_results + 1))
        truncated = len(triples) > job.max_results
        triples = triples[: job.max_results]
        prefixes = job.prefixes if job.graph_format in PREFIXED_FORMATS else None
        body = ox.serialize(triples, format=GRAPH_SERIALISERS[job.graph_format],
                            prefixes=prefixes) or b""
        return QueryOutcome("ok", "graph", job.graph_format, body, count=len(triples),
                            truncated=truncated)
    except SyntaxError as exc:
        return QueryOutcome("syntax_error", message=str(exc))
    except Exception as exc:  # a failing query must not kill the worker
        return QueryOutcome("error", message=f"{type(exc).__name__}: {exc}")
