"""What differs between SPARQL engines, and the store URL that names one.

A store URL is the engine's kind, ``+``, and where it answers::

    oxigraph+http://127.0.0.1:7878                 Oxigraph server (/query, /update, /store)
    fuseki+http://127.0.0.1:3030/ogpgraph          Apache Jena Fuseki, one dataset
                                                   (/query, /update, /data)
    virtuoso+http://dba:dba@127.0.0.1:8890/sparql?isql=1111&load_dir=/srv/virtuoso/load
                                                   Virtuoso: queries over HTTP, loading with
                                                   the bulk loader over its SQL port (isql-vt)
    http://example.org/sparql                      any SPARQL 1.1 endpoint (query only)

Only the query endpoint is needed to serve; loading a release needs the engine's own
way in (Graph Store Protocol + SPARQL Update, or Virtuoso's SQL port). See
``ogpgraph/store/remote_store.py`` for the rules every engine is held to.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal
from urllib.parse import parse_qsl, urlsplit, urlunsplit

EngineKind = Literal["oxigraph", "fuseki", "virtuoso", "generic"]

SPARQL_JSON = "application/sparql-results+json"
SPARQL_TSV = "text/tab-separated-values"
N_TRIPLES = "application/n-triples"


@dataclass(frozen=True)
class EngineProfile:
    kind: EngineKind
    # Solutions are asked for in this format: SPARQL TSV where the engine writes it
    # losslessly (one line a row, terms in N-Triples syntax); Virtuoso's TSV quotes IRIs
    # like strings, so its JSON is read instead.
    solutions_type: str = SPARQL_TSV
    # The request parameter for the engine's own per-query limit, and its unit.
    timeout_param: str | None = None
    timeout_unit: float = 1.0  # parameter value = seconds * unit
    # GRAPH ?g with no named graphs given ranges over every graph of the engine
    # (Virtuoso), so "no named graphs" is said with a graph that does not exist.
    needs_empty_named_graph: bool = False
    # Prepended to DESCRIBE queries so that they answer what Oxigraph answers: the
    # resource's own triples (Virtuoso's default also gives incoming ones).
    describe_prefix: str = ""
    # A 200 answer with these headers is cut short by the engine's limit (Virtuoso's
    # "anytime" queries return partial results): it is a timeout, not an answer.
    partial_header: tuple[str, str] | None = None
    # The protocol's dataset overrides the query's FROM clauses (the standard); Virtuoso
    # lets FROM win, so there the clauses are taken out of the query.
    params_override_from: bool = True
    # Virtuoso writes xsd:boolean values as "1"/"0" in SPARQL JSON (its N-Triples and its
    # store hold "true"/"false"): they are rewritten to the canonical form.
    boolean_digits: bool = False
    # Virtuoso stores an xsd:gYearMonth ("2016-05") as the date of its first day: where one
    # graph states it beside the xsd:date "2016-05-01" for the same subject and predicate,
    # it keeps one of the two (the loader expects that many fewer triples, and says so).
    month_is_first_day: bool = False
    # GRAPH is restricted to the release's named graphs by a join with the release's
    # description graph (``remote_protocol.graphs_of_the_release``), not by sending them
    # all as named-graph-uri: Virtuoso compiles each into the query (1,005 graphs at 10,000
    # commitments: 0.34 s a query, 9 ms joined; at 100,000 most answers never reached the
    # client, their head past what httpx reads; bench/results/scale.md).
    graphs_by_join: bool = False


PROFILES: dict[EngineKind, EngineProfile] = {
    "oxigraph": EngineProfile("oxigraph"),  # its limit is the server's --timeout-s
    "fuseki": EngineProfile("fuseki", timeout_param="timeout"),
    "virtuoso": EngineProfile(
        "virtuoso", solutions_type=SPARQL_JSON, timeout_param="timeout", timeout_unit=1000.0,
        needs_empty_named_graph=True, describe_prefix='DEFINE sql:describe-mode "CBD"\n',
        partial_header=("x-sql-state", "S1TAT"), params_override_from=False,
        boolean_digits=True, month_is_first_day=True, graphs_by_join=True),
    "generic": EngineProfile("generic", solutions_type=SPARQL_JSON),
}


@dataclass(frozen=True)
class Endpoint:
    """Where an engine answers, parsed from a store URL."""

    kind: EngineKind
    query_url: str
    update_url: str | None = None
    store_url: str | None = None  # Graph Store Protocol
    user: str | None = None
    password: str | None = None
    isql_port: int | None = None  # Virtuoso's SQL port, for the bulk loader
    load_dir: str | None = None  # a folder of Virtuoso's DirsAllowed, on its machine

    @property
    def profile(self) -> EngineProfile:
        return PROFILES[self.kind]

    @property
    def host(self) -> str:
        return urlsplit(self.query_url).hostname or "127.0.0.1"


def parse_store_url(url: str) -> Endpoint:
    """A store URL (see the module docstring) -> the engine's endpoints."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    kind, _, transport = scheme.rpartition("+")
    if not kind:
        kind = "generic"
    if kind not in PROFILES or transport not in ("http", "https"):
        raise ValueError(f"not a store URL: {url!r} (expected e.g. oxigraph+http://host:7878, "
                         "virtuoso+http://host:8890/sparql or http://host/sparql)")
    options = dict(parse_qsl(parts.query))
    netloc = parts.hostname or ""
    if ":" in netloc:
        netloc = f"[{netloc}]"
    if parts.port:
        netloc += f":{parts.port}"
    path = parts.path.rstrip("/")

    def at(suffix: str) -> str:
        return urlunsplit((transport, netloc, path + suffix, "", ""))

    common = {"user": parts.username, "password": parts.password}
    if kind == "oxigraph":
        return Endpoint("oxigraph", at("/query"), at("/update"), at("/store"), **common)
    if kind == "fuseki":
        return Endpoint("fuseki", at("/query"), at("/update"), at("/data"), **common)
    if kind == "virtuoso":
        isql = options.get("isql")
        return Endpoint("virtuoso", at("" if path else "/sparql"), **common,
                        isql_port=int(isql) if isql else None,
                        load_dir=options.get("load_dir"))
    query = urlunsplit((transport, netloc, parts.path, parts.query, ""))
    return Endpoint("generic", query, **common)


def redacted(url: str) -> str:
    """A store URL without its password, for messages and logs."""
    parts = urlsplit(url)
    if not parts.password:
        return url
    netloc = f"{parts.username}:***@{parts.hostname}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))
