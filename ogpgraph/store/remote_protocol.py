"""The SPARQL 1.1 protocol as ogpgraph speaks it to an engine: which dataset a query is
sent with, what it asks for, and how answers and errors are read back.

The engine holds, besides the release's named graphs (under their own IRIs), two graphs
of ogpgraph's own that no public query reads unless it names them:

- the union of the named graphs, each fact once, loaded from the release's
  ``ogpgraph.nt.gz`` into a graph of that load (``urn:ogpgraph:staging:{token}:{n}``,
  named by the release's description; ``urn:ogpgraph:union`` for loads of earlier
  versions); every query without a dataset of its own is sent with it as
  ``default-graph-uri``, so no engine's own notion of a default graph is relied on;
- ``urn:ogpgraph:release``: the release's description (build id, named graphs, manifest),
  which a web tier reads to learn what is served.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Literal

import pyoxigraph as ox

from ogpgraph.store.engines import N_TRIPLES, SPARQL_JSON, EngineProfile
from ogpgraph.store.query_check import check_query
from ogpgraph.store.sparql_text import (
    _OPAQUE,
    blank_opaque,
    has_dataset_clause,
    keyword,
    reads_named_graphs,
)

INTERNAL = "urn:ogpgraph:"
UNION_GRAPH = f"{INTERNAL}union"
RELEASE_GRAPH = f"{INTERNAL}release"
NO_GRAPH = f"{INTERNAL}no-graph"  # a graph that never exists: "no graphs" for Virtuoso
STAGING = f"{INTERNAL}staging:"
BUILD_ID = f"{INTERNAL}buildId"
MANIFEST = f"{INTERNAL}manifest"
NAMED_GRAPH = f"{INTERNAL}namedGraph"
UNION_OF = f"{INTERNAL}unionGraph"  # the graph holding this release's union
KEPT_UNION = f"{INTERNAL}keptUnion"  # the previous release's union, kept for one load

ResultKind = Literal["solutions", "boolean", "graph"]
_FROM = keyword("FROM")
_FROM_NAMED = re.compile(r"(?<![\w:?$\-])FROM\s+NAMED(?![\w:\-])", re.IGNORECASE)
_DESCRIBE = re.compile(r"(?:\s*(?:BASE\s*<>|PREFIX\s*[^\s:]*:\s*<>))*\s*DESCRIBE\b",
                       re.IGNORECASE)
_DATASET_CLAUSE = re.compile(r"FROM\s+(?:NAMED\s+)?(?:<[^<>\s]*>|[\w.\-]*:[\w.\-]*)",
                             re.IGNORECASE)
_BOOLEAN_DIGIT = re.compile(rb'("datatype"\s*:\s*"http://www\.w3\.org/2001/XMLSchema#boolean"'
                            rb'\s*,\s*"value"\s*:\s*")([01])"')
_BOOLEAN_SPAN = 160  # longer than any match of _BOOLEAN_DIGIT
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


@dataclass(frozen=True)
class Release:
    """What an engine serves: read from its ``urn:ogpgraph:release`` graph."""

    build_id: str
    named_graphs: tuple[str, ...]
    manifest: dict[str, Any] = field(default_factory=dict, compare=False)
    # where its union is: a graph of its own load (``remote_load``), kept through the next
    # load so that a web tier still holding this release reads a whole union
    union_graph: str = UNION_GRAPH
    kept_union: str | None = None  # the previous release's, dropped by the next load


# Left out of the manifest the description carries: lists that grow with the data (the
# build's warnings were 8.9 MB at 100,000 commitments, past the 16 MB that pyoxigraph's
# SPARQL JSON reader takes for one value once escaped). A web tier reads the whole manifest
# from the release folder.
UNDESCRIBED = ("warnings", "sources")


def described_manifest(manifest: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in manifest.items() if key not in UNDESCRIBED}


def description_triples(manifest: dict[str, Any], union_graph: str = UNION_GRAPH,
                        kept_union: str | None = None) -> list[ox.Triple]:
    """The release description that a load writes into ``urn:ogpgraph:release``."""
    subject = ox.NamedNode(RELEASE_GRAPH)
    triples = [ox.Triple(subject, ox.NamedNode(BUILD_ID), ox.Literal(manifest["build_id"])),
               ox.Triple(subject, ox.NamedNode(UNION_OF), ox.NamedNode(union_graph)),
               *([ox.Triple(subject, ox.NamedNode(KEPT_UNION), ox.NamedNode(kept_union))]
                 if kept_union else []),
               ox.Triple(subject, ox.NamedNode(MANIFEST),
                         ox.Literal(json.dumps(described_manifest(manifest),
                                               ensure_ascii=False)))]
    triples += [ox.Triple(subject, ox.NamedNode(NAMED_GRAPH), ox.NamedNode(iri))
                for iri, _ in manifest.get("graph_triples", [])]
    return triples


RELEASE_QUERY = f"SELECT ?p ?o WHERE {{ <{RELEASE_GRAPH}> ?p ?o }}"


def release_from(solutions: ox.QuerySolutions) -> Release | None:
    """The description graph's triples (``RELEASE_QUERY``) -> the release, or None."""
    build_id, manifest, graphs, union, kept = None, {}, [], UNION_GRAPH, None
    for row in solutions:
        predicate, value = row["p"].value, row["o"]
        if predicate == BUILD_ID:
            build_id = value.value
        elif predicate == UNION_OF:
            union = value.value
        elif predicate == KEPT_UNION:
            kept = value.value
        elif predicate == MANIFEST:
            manifest = json.loads(value.value)
        elif predicate == NAMED_GRAPH:
            graphs.append(value.value)
    if build_id is None:
        return None
    return Release(build_id, tuple(sorted(graphs)), manifest, union, kept)


FORM_RESULT_KIND: dict[str, ResultKind] = {"ASK": "boolean", "SELECT": "solutions",
                                           "CONSTRUCT": "graph", "DESCRIBE": "graph"}


def result_kind(query: str) -> ResultKind:
    """What a query answers, from its parse (``query_check``: nothing is evaluated, so no
    SERVICE can run in this process, which has a network); QueryRefused otherwise."""
    return FORM_RESULT_KIND[check_query(query).form]


def names_internal_graph(query: str, iris: tuple[str, ...] = ()) -> bool:
    """Does the query (or its dataset) name one of ogpgraph's own graphs? The embedded
    store has no such graphs, so such a query is refused rather than answered differently.
    Errs on yes: \\u escapes are decoded, case is ignored."""
    text = _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), query).lower()
    return INTERNAL in text or any(iri.lower().startswith(INTERNAL) for iri in iris)


@dataclass(frozen=True)
class Plan:
    """The request an engine is sent for one query."""

    query: str
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()

    def form(self) -> list[tuple[str, str]]:
        return ([("query", self.query)]
                + [("default-graph-uri", iri) for iri in self.default_graphs]
                + [("named-graph-uri", iri) for iri in self.named_graphs])


def plan(profile: EngineProfile, query: str, release: Release,
         default_graph_uris: tuple[str, ...] = (),
         named_graph_uris: tuple[str, ...] = ()) -> Plan:
    """The protocol's dataset as given; else the query's own FROM clauses; else the union
    graph as default graph and, when the query reads named graphs, the release's named
    graphs as named graphs (never the engine's own union, nor its other graphs)."""
    if profile.describe_prefix and _DESCRIBE.match(blank_opaque(query)):
        query = profile.describe_prefix + query
    empty = (NO_GRAPH,) if profile.needs_empty_named_graph else ()
    if default_graph_uris or named_graph_uris:
        if not profile.params_override_from and has_dataset_clause(query):
            query = without_dataset_clauses(query)
        return Plan(query, default_graph_uris or empty, named_graph_uris or empty)
    if has_dataset_clause(query):
        if empty and not _FROM_NAMED.search(blank_keeping_length(query)):
            query = with_empty_named_graphs(query)
        return Plan(query)
    if not reads_named_graphs(query):
        return Plan(query, (release.union_graph,))
    if profile.graphs_by_join:
        return plan_by_join(query, release, empty)
    return Plan(query, (release.union_graph,), release.named_graphs or empty)


def plan_by_join(query: str, release: Release, empty: tuple[str, ...]) -> Plan:
    """For an engine whose cost grows with the named graphs sent (Virtuoso): a query whose
    GRAPH patterns all name a variable is joined with the release's graph list
    (``graphs_of_the_release``); one whose GRAPH patterns all name IRIs is sent with
    those of them that the release has (Virtuoso reads ``GRAPH <iri>`` from the default
    graph when no named graph is given, and answers one row for an IRI outside the named
    graphs given: those are replaced by a graph that never exists); any other (prefixed
    names, both kinds) with the whole list, as to every engine."""
    patterns = graph_patterns(query)
    names = [name for _, (_, name), _ in patterns]
    if names and all(name[0] in "?$" for name in names):
        return Plan(graphs_of_the_release(query), (release.union_graph,))
    if names and all(_ABSOLUTE_IRI.fullmatch(name) for name in names):
        known = set(release.named_graphs)
        for _, (at, name), _ in reversed(patterns):
            if name[1:-1] not in known:
                query = f"{query[:at]}<{NO_GRAPH}>{query[at + len(name):]}"
        named = sorted({name[1:-1] for name in names} & known)
        absent = len(named) < len(set(names))
        return Plan(query, (release.union_graph,),
                    tuple(named) + (empty if absent else ()) or empty)
    return Plan(query, (release.union_graph,), release.named_graphs or empty)


_GRAPH = keyword("GRAPH")
_GRAPH_NAME = re.compile(r"<[^<>\s]*>|(?:[^\s{#\\]|\\.)+")  # IRI, variable, prefixed name
_ABSOLUTE_IRI = re.compile(r"<[A-Za-z][A-Za-z0-9+.\-]*:[^<>\s]*>")
_DESCRIPTION_VARIABLE = "ogpgraph_description_graph"


def membership(variable: str, local: str) -> str:
    """A pattern binding ``variable`` to each of the release's named graphs, read from the
    release's description graph, and no other variable (``?local`` stays inside the
    subquery). Virtuoso reads a constant ``GRAPH <g>`` from the default graph when no
    named graph is given, hence ``?local`` and a FILTER for the description graph. A
    subquery, not FILTER EXISTS: Virtuoso joins it (3.7 ms against 15 ms for the page's
    query on the shared build)."""
    return (f"{{ SELECT {variable} WHERE {{ GRAPH ?{local} {{ <{RELEASE_GRAPH}> "
            f"<{NAMED_GRAPH}> {variable} }} FILTER(?{local} = <{RELEASE_GRAPH}>) }} }}")


def graph_patterns(query: str) -> list[tuple[int, tuple[int, str], int]]:
    """The query's ``GRAPH name { … }`` patterns: (start of GRAPH, (start of the name, the
    name as written), position of its closing brace), in order. Patterns the grammar would
    not accept are left out (the query checker has refused such queries before any plan)."""
    blanked = blank_keeping_length(query)
    found = []
    for keyword_at in _GRAPH.finditer(blanked):
        at = keyword_at.end()
        while at < len(blanked) and blanked[at].isspace() and query[at] != "<":
            at += 1  # spaces and comments (an IRI is blanked too: it starts with "<")
        name = _GRAPH_NAME.match(query, at)
        if name is None:
            continue
        closing = _matching_brace(blanked, blanked.find("{", name.end()))
        if closing >= 0:
            found.append((keyword_at.start(), (at, name.group()), closing))
    return found


def graphs_of_the_release(query: str) -> str:
    """Every ``GRAPH ?var { P }`` of the query as ``{ GRAPH ?var { P } M }``, where M
    (``membership``) binds ``?var`` to the release's named graphs: the solutions of
    sending those graphs as ``named-graph-uri``, without a list of every graph in each
    request, which Virtuoso compiles into the query (see bench/results/scale.md). Staging
    graphs, the union and the engine's own graphs are never members, and the description
    is replaced in the switch's transaction, with the graphs themselves."""
    local = _DESCRIPTION_VARIABLE
    while local in query:
        local += "_"
    # from the last: an edit leaves the positions before it in place; the closing brace
    # of an enclosing pattern moves, so the patterns are found again after each edit
    for index in reversed(range(len(graph_patterns(query)))):
        start, (_, name), closing = graph_patterns(query)[index]
        query = (f"{query[:start]}{{ {query[start:closing + 1]} "
                 f"{membership(name, local)} }}{query[closing + 1:]}")
    return query


def _matching_brace(blanked: str, opening: int) -> int:
    """The position of the ``}`` closing the ``{`` at ``opening`` (-1: none)."""
    if opening < 0:
        return -1
    depth = 0
    for at in range(opening, len(blanked)):
        if blanked[at] == "{":
            depth += 1
        elif blanked[at] == "}":
            depth -= 1
            if depth == 0:
                return at
    return -1


def blank_keeping_length(query: str) -> str:
    """Strings, IRIs and comments replaced by spaces: keyword positions stay put."""
    return _OPAQUE.sub(lambda match: " " * len(match.group()), query)


def with_empty_named_graphs(query: str) -> str:
    """``FROM NAMED <urn:ogpgraph:no-graph>`` before the first FROM: a query with FROM and
    no FROM NAMED has no named graphs (Virtuoso would range GRAPH over all of its own)."""
    found = _FROM.search(blank_keeping_length(query))
    if found is None:
        return query
    return f"{query[:found.start()]}FROM NAMED <{NO_GRAPH}> {query[found.start():]}"


def without_dataset_clauses(query: str) -> str:
    """The query without its FROM / FROM NAMED clauses (the protocol's dataset replaces
    them, as the standard says; for engines that would let the query's win)."""
    blanked = blank_keeping_length(query)
    spans = []
    for found in _FROM.finditer(blanked):
        clause = _DATASET_CLAUSE.match(query, found.start())
        if clause is not None:
            spans.append(clause.span())
    for start, end in reversed(spans):
        query = query[:start] + " " * (end - start) + query[end:]
    return query


class BooleanDigits:
    """Rewrites ``"1"``/``"0"`` xsd:boolean values of a SPARQL JSON stream to ``"true"``/
    ``"false"``, chunk by chunk (a value cut between two chunks is kept for the next)."""

    def __init__(self) -> None:
        self._tail = b""

    @staticmethod
    def _fix(data: bytes) -> bytes:
        return _BOOLEAN_DIGIT.sub(
            lambda m: m.group(1) + (b'true"' if m.group(2) == b"1" else b'false"'), data)

    def push(self, chunk: bytes) -> bytes:
        data = self._fix(self._tail + chunk)
        cut = max(len(data) - _BOOLEAN_SPAN, 0)
        self._tail = data[cut:]
        return data[:cut]

    def flush(self) -> bytes:
        data, self._tail = self._fix(self._tail), b""
        return data


def timeout_form(profile: EngineProfile, seconds: float) -> list[tuple[str, str]]:
    """The engine's own per-query limit, where it has one in the protocol."""
    if profile.timeout_param is None:
        return []
    value = seconds * profile.timeout_unit
    return [(profile.timeout_param, str(int(value)) if value >= 10 else f"{value:g}")]


def accept_for(profile: EngineProfile, kind: ResultKind) -> str:
    if kind == "graph":
        return N_TRIPLES
    return SPARQL_JSON if kind == "boolean" else profile.solutions_type


def results_format(media_type: str) -> ox.QueryResultsFormat:
    return ox.QueryResultsFormat.JSON if media_type == SPARQL_JSON else ox.QueryResultsFormat.TSV


def is_partial(profile: EngineProfile, headers: Any) -> bool:
    """Did the engine cut the answer short at its own limit and still say 200?"""
    if profile.partial_header is None:
        return False
    name, value = profile.partial_header
    return str(headers.get(name, "")).strip().upper() == value


def engine_message(status: int, body: bytes) -> str:
    """The engine's error text, without the echo of the query (Virtuoso appends it)."""
    text = body.decode("utf-8", errors="replace").strip()
    text = text.split("\n\nSPARQL query:", 1)[0].strip()
    return text[:2000] or f"HTTP {status}"


def outcome_kind(status: int) -> Literal["syntax_error", "error"]:
    """The protocol answers 400 for a query it cannot parse (every engine here does)."""
    return "syntax_error" if status == 400 else "error"
