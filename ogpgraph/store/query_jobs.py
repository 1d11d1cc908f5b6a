"""Running one query on a pyoxigraph store and serialising at most N results.

This is what a query worker does (and the in-process executor): parse + evaluate with
pyoxigraph, stop after ``max_results + 1`` items so truncation is known, serialise.
Solutions are written by pyoxigraph as SPARQL TSV (one line a row, so the cut is a
line count) and converted by pyoxigraph to the format asked for; graphs go straight
through ``pyoxigraph.serialize``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, Literal

import pyoxigraph as ox

from ogpgraph.graph.formats import GRAPH_RESULT_FORMATS, SOLUTION_FORMATS
from ogpgraph.store.oxigraph_store import dataset_arguments
from ogpgraph.store.query_check import CheckedQuery, QueryRefused

UNREADABLE = ("the query checker (the SPARQL 1.1 grammar) cannot read this query, and the "
              "endpoint runs only queries it has checked")

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

SOLUTION_SERIALISERS = {f.key: f.oxigraph for f in SOLUTION_FORMATS}
GRAPH_SERIALISERS = {f.key: f.oxigraph for f in GRAPH_RESULT_FORMATS}
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
    arrived: float | None = None  # time.monotonic() when the request came in: the deadline
    # counts from here, waiting for a worker included (None: from when it is run)
    client: str = ""  # who asked (for the log of killed queries)

    @property
    def has_dataset(self) -> bool:
        """The protocol's default-graph-uri / named-graph-uri parameters were given."""
        return bool(self.default_graph_uris or self.named_graph_uris)


OutcomeKind = Literal["ok", "syntax_error", "refused", "unknown_graph", "error", "timeout",
                      "busy", "memory"]  # unknown_graph: the dataset names a graph not held


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


def boolean_json(value: bool) -> bytes:
    return json.dumps({"head": {}, "boolean": value}).encode()


def convert_results(json_body: bytes, fmt: str) -> bytes:
    """SPARQL JSON results -> the same results in ``fmt`` (pyoxigraph's serialisers)."""
    if fmt == "json":
        return json_body
    parsed = ox.parse_query_results(json_body, format=ox.QueryResultsFormat.JSON)
    return parsed.serialize(format=SOLUTION_SERIALISERS[fmt])


class _LimitReached(Exception):
    pass


class _LineCap:
    """A write target that keeps the first ``lines`` lines and then stops the writer."""

    def __init__(self, lines: int) -> None:
        self.lines, self.seen, self.chunks = lines, 0, []

    def write(self, data: bytes) -> int:
        if self.seen > self.lines:  # the writer may flush again after the stop
            raise _LimitReached
        self.chunks.append(bytes(data))
        self.seen += data.count(b"\n")
        if self.seen > self.lines:
            raise _LimitReached
        return len(data)

    def flush(self) -> None:
        pass


def capped_tsv(result: ox.QuerySolutions, max_results: int) -> tuple[bytes, int, bool]:
    """The solutions as SPARQL TSV (one line a row, lossless), cut after ``max_results``
    rows: (body, rows, truncated). pyoxigraph writes it, so no row becomes a Python object;
    the writer is stopped one row past the limit, so a huge result is never all written."""
    cap = _LineCap(max_results + 2)  # header, max_results rows, one more to see the cut
    try:
        result.serialize(cap, format=ox.QueryResultsFormat.TSV)
    except _LimitReached:
        pass
    complete = b"".join(cap.chunks).split(b"\n")[:-1]  # drop the unfinished tail
    header, rows = complete[0], complete[1:]
    truncated = len(rows) > max_results
    rows = rows[:max_results]
    return header + b"\n" + b"".join(row + b"\n" for row in rows), len(rows), truncated


def refusal_outcome(refusal: QueryRefused, engine_messages: bool) -> QueryOutcome:
    """A refused query as an outcome. Syntax errors carry Oxigraph's message (line:column)
    where ``engine_messages`` allows asking it, which only a sandboxed worker may: parsing
    with pyoxigraph means calling ``query`` (on an empty store)."""
    if refusal.reason != "syntax":
        kind: OutcomeKind = "unknown_graph" if refusal.reason == "graph" else "refused"
        return QueryOutcome(kind, message=refusal.message)
    if engine_messages:
        try:
            ox.Store().query(refusal.text)
        except SyntaxError as error:
            return QueryOutcome("syntax_error", message=str(error))
        except Exception:  # parsed, then failed: the checker's message stands
            pass
        return QueryOutcome("refused", message=f"{UNREADABLE}: {refusal.message}")
    return QueryOutcome("syntax_error", message=refusal.message)


def holds_graph(store: ox.Store, iri: str) -> bool:
    """Is ``iri`` one of the store's named graphs (an IRI Oxigraph cannot read is not)?"""
    try:
        return store.contains_named_graph(ox.NamedNode(iri))
    except ValueError:
        return False


def execute_job(store: ox.Store, job: QueryJob, checked: CheckedQuery,
                union_stored: bool = False) -> QueryOutcome:
    """Evaluate the checked query and serialise; errors become outcomes, never exceptions.
    ``union_stored``: the store's default graph already is the union of its graphs."""
    try:
        result = store.query(checked.text, **dataset_arguments(
            union_stored, checked.dataset_clause, job.default_graph_uris, job.named_graph_uris))
        if isinstance(result, ox.QueryBoolean):
            body = boolean_json(bool(result))
            return QueryOutcome("ok", "boolean", job.solutions_format,
                                convert_results(body, job.solutions_format), count=1)
        if isinstance(result, ox.QuerySolutions):
            tsv, count, truncated = capped_tsv(result, job.max_results)
            body = tsv if job.solutions_format == "tsv" else ox.parse_query_results(
                tsv, format=ox.QueryResultsFormat.TSV).serialize(
                format=SOLUTION_SERIALISERS[job.solutions_format])
            return QueryOutcome("ok", "solutions", job.solutions_format, body,
                                count=count, truncated=truncated)
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
    except MemoryError:  # the worker's memory bound, met in Python (Rust aborts instead)
        return QueryOutcome("memory")
    except Exception as exc:  # a failing query must not kill the worker
        return QueryOutcome("error", message=f"{type(exc).__name__}: {exc}")
