"""The SPARQL 1.1 endpoint ``/sparql``: protocol, negotiation, limits, CORS.

Flow of a request: ``protocol`` parses it (nothing is evaluated here), the formats table
and the one negotiation function pick the format, the store's query executor checks the
query on a real parse and runs it in a sandboxed worker with a deadline (counted from the
request's arrival) and a memory bound, if its client is under its cap of queries at once
(``store/admission.py``), and the answer goes out as data or as an HTML table on the query
page. ``GET /sparql`` without a query answers the service description (or the query page,
to browsers). Errors go through the
one error path (``web/errors.py``) with the endpoint's CORS headers.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.concurrency import run_in_threadpool

from ogpgraph.graph.formats import (
    DESCRIPTION_FORMATS,
    GRAPH_RESULT_FORMATS,
    HTML,
    RESULTS_JSON,
    SOLUTION_FORMATS,
    TURTLE,
    Format,
    UnknownFormat,
    format_named,
    serialize_graph,
)
from ogpgraph.graph.terms import prefixes_for
from ogpgraph.store.admission import ClientLimiter, Network, trusted_networks
from ogpgraph.store.executor import QueryExecutor
from ogpgraph.store.factory import query_executor
from ogpgraph.store.query_jobs import QueryJob, QueryOutcome
from ogpgraph.web.negotiation import negotiate_format, offered_media_types
from ogpgraph.web.published import PublishedBuild, published_of
from ogpgraph.web.sparql.description import graph_sizes, service_description
from ogpgraph.web.sparql.protocol import (
    CORS_HEADERS,
    FORM_KIND,
    LIMIT_HEADER,
    TRUNCATED_HEADER,
    ProtocolError,
    ProtocolRequest,
    parse_request,
    precheck_query,
    request_client,
)
from ogpgraph.web.sparql.query_page import OUTCOME_STATUS, limits, query_page

ALLOW = "GET, HEAD, POST, OPTIONS"
KIND_FORMATS = {"solutions": SOLUTION_FORMATS, "graph": GRAPH_RESULT_FORMATS}
KIND_DEFAULT = {"solutions": RESULTS_JSON, "graph": TURTLE}


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Start the store's executor at startup (embedded: the query workers' fork server,
    before the server opens its listening socket and runs threads); stop it at the end."""
    log_to_stderr()
    admission_for(app)  # a wrong OGPGRAPH_TRUSTED_PROXIES stops the start, with its reason
    published = getattr(app.state, "published", None)
    if published is not None:
        executor_for(app, published)
    yield
    close_executor(app)


# -- the executor, one per app and store -----------------------------------------------------

def executor_for(app: FastAPI, published: PublishedBuild) -> QueryExecutor:
    """The executor of the published store, whichever it is (``store/factory.py``)."""
    store = published.store
    current = getattr(app.state, "sparql_executor", None)
    if current is not None and getattr(app.state, "sparql_executor_store", None) is store:
        return current
    close_executor(app)
    settings = app.state.settings
    executor = query_executor(store, settings)
    app.state.sparql_executor = executor
    app.state.sparql_executor_store = store
    return executor


def close_executor(app: FastAPI) -> None:
    executor = getattr(app.state, "sparql_executor", None)
    if executor is not None:
        executor.close()
        app.state.sparql_executor = None


def log_to_stderr() -> None:
    """Workers' deaths and refused clients are logged under ``ogpgraph``; where the host
    configured no logging at all (``ogpgraph serve``: uvicorn configures its own loggers
    only), those lines go to stderr with a time stamp."""
    logger = logging.getLogger("ogpgraph")
    if logger.handlers or logging.getLogger().handlers:
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)


# -- admission: who the client is, and its share of the workers ------------------------------

@dataclass(frozen=True)
class Admission:
    limiter: ClientLimiter
    trusted: tuple[Network, ...]


def admission_for(app: FastAPI) -> Admission:
    found = getattr(app.state, "sparql_admission", None)
    if found is None:
        settings = app.state.settings
        found = Admission(ClientLimiter(settings.query_per_client),
                          trusted_networks(settings.trusted_proxies))
        app.state.sparql_admission = found
    return found


async def run_admitted(request: Request, published: PublishedBuild,
                       job: QueryJob) -> QueryOutcome:
    """Run ``job`` if its client is under its cap (else 429 at once); refusals are logged."""
    limiter = admission_for(request.app).limiter
    if not limiter.enter(job.client):
        raise ProtocolError(429, f"too many queries at once from {job.client}: at most "
                                 f"{limiter.per_client} may run or wait at a time "
                                 "(OGPGRAPH_QUERY_PER_CLIENT); send the next one when one "
                                 "has answered", {"Retry-After": "5"})
    try:
        outcome = await executor_for(request.app, published).run(job)
    finally:
        limiter.leave(job.client)
    if outcome.kind == "busy":
        limiter.refused(job.client, "every query worker is busy and the queue is full "
                                    "(OGPGRAPH_QUERY_QUEUE)")
    return outcome


def preflight(request: Request) -> Response:
    requested = request.headers.get("access-control-request-headers", "")
    return Response(status_code=204, headers={
        **CORS_HEADERS,
        "Access-Control-Allow-Methods": ALLOW,
        "Access-Control-Allow-Headers": requested or "Accept, Content-Type",
        "Access-Control-Max-Age": "86400",
        "Allow": ALLOW,
    })


# -- format choice ------------------------------------------------------------------------

def choose_format(request: Request, proto: ProtocolRequest, formats: tuple[Format, ...],
                  default: Format) -> Format:
    """The ``format=`` override, else Accept (HTML is always on offer); ProtocolError
    400 for a name no format has, 406 for a real format not on offer or no match."""
    offered = (HTML, *formats)
    if proto.format is not None:
        try:
            return format_named(proto.format, offered)
        except UnknownFormat:
            try:
                format_named(proto.format)
            except UnknownFormat:
                raise ProtocolError(400, f"unknown format {proto.format!r}: use one of "
                                         f"{', '.join(f.key for f in offered)}") from None
            raise ProtocolError(406, f"format={proto.format} is not available for this "
                                     f"result; available: {', '.join(f.key for f in formats)}"
                                ) from None
    chosen = negotiate_format(request.headers.get("accept"), offered, default)
    if chosen is None:
        raise ProtocolError(406, "none of the requested media types can be served; "
                                 f"available: {offered_media_types(offered)}")
    return chosen


def wants_html(request: Request) -> bool:
    """For errors found before the format is chosen: does this look like the query page?"""
    fmt = request.query_params.get("format")
    if fmt is not None:
        return fmt.strip().lower() == "html"
    accept = request.headers.get("accept")
    return negotiate_format(accept, (HTML, *SOLUTION_FORMATS), RESULTS_JSON) is HTML


# -- the endpoint -------------------------------------------------------------------------

# the methods routed here: those not in ALLOW are answered 405 by the endpoint itself
METHODS = ("GET", "HEAD", "POST", "OPTIONS", "PUT", "DELETE", "PATCH")


async def sparql_endpoint(request: Request) -> Response:
    """SPARQL 1.1 query endpoint (a ``DirectRoute``: it parses the request itself)."""
    arrived = time.monotonic()  # the query's deadline counts from here
    published = await published_of(request)
    if request.method == "OPTIONS":
        return preflight(request)
    if request.method not in ("GET", "HEAD", "POST"):
        raise ProtocolError(405, f"method {request.method} not allowed; use {ALLOW}",
                            {"Allow": ALLOW})
    settings = request.app.state.settings
    proto = await parse_request(request, settings.max_body_bytes)
    if proto.query is None:
        return await describe(request, published, proto)
    try:
        kind = FORM_KIND.get(precheck_query(proto.query) or "SELECT", "solutions")
        fmt = choose_format(request, proto, KIND_FORMATS[kind], KIND_DEFAULT[kind])
    except ProtocolError as error:
        if error.status == 400 and wants_html(request):
            return query_page(request, published, proto, error=error.message, status=400)
        raise
    html = fmt is HTML
    job = QueryJob(
        query=proto.query,
        solutions_format=fmt.key if kind == "solutions" and not html else "json",
        graph_format=fmt.key if kind == "graph" and not html else ("nt" if html else "turtle"),
        max_results=settings.max_results,
        default_graph_uris=tuple(proto.default_graph_uris),
        named_graph_uris=tuple(proto.named_graph_uris),
        prefixes=prefixes_for(published.base),
        arrived=arrived,
        client=request_client(request, admission_for(request.app).trusted),
    )
    outcome = await run_admitted(request, published, job)
    if outcome.kind == "unknown_graph":
        outcome = replace(outcome, message=where_the_graphs_are(outcome.message, published))
    if html:
        return query_page(request, published, proto, outcome=outcome,
                          status=OUTCOME_STATUS.get(outcome.kind, 500))
    return data_response(outcome, settings.max_results, proto.format is not None)


def where_the_graphs_are(message: str, published: PublishedBuild) -> str:
    """A refusal of graphs the dataset does not hold, with where its graphs are listed."""
    base = published.base
    ours = published.memo("graphs-of-the-build", lambda: sorted(
        iri for iri, _ in graph_sizes(published.store, published.manifest)
        if iri.startswith(f"{base}graph/")))
    among = f", among them {', '.join(ours)}" if ours else ""
    return (f"{message}. The graphs it holds are listed in the service description, "
            f"{base}sparql (GET it without a query: each sd:namedGraph's sd:name){among}; "
            f"each source's graph is named by its {base}id/source/… IRI.")


def data_response(outcome: QueryOutcome, limit: int, download: bool) -> Response:
    if outcome.kind == "syntax_error":
        raise ProtocolError(400, f"SPARQL syntax error: {outcome.message}")
    if outcome.kind in ("refused", "unknown_graph"):
        raise ProtocolError(400, outcome.message)
    if outcome.kind in ("timeout", "busy", "memory"):
        raise ProtocolError(503, outcome.message,
                            {"Retry-After": "5"} if outcome.kind == "busy" else {})
    if outcome.kind != "ok":
        raise ProtocolError(500, f"the query failed: {outcome.message}")
    formats = GRAPH_RESULT_FORMATS if outcome.result_kind == "graph" else SOLUTION_FORMATS
    fmt = next(f for f in formats if f.key == outcome.format)
    headers = {**CORS_HEADERS, "Vary": "Accept"}
    if outcome.truncated:
        headers[TRUNCATED_HEADER] = "true"
        headers[LIMIT_HEADER] = str(limit)
        headers["Warning"] = (f'199 ogpgraph "results truncated to the first {limit} '
                              f'(OGPGRAPH_MAX_RESULTS)"')
    if download:
        headers["Content-Disposition"] = f'inline; filename="query-results.{fmt.extension}"'
    return Response(outcome.body, media_type=fmt.media_type, headers=headers)


# -- service description ------------------------------------------------------------------

async def describe(request: Request, published: PublishedBuild,
                   proto: ProtocolRequest) -> Response:
    fmt = choose_format(request, proto, DESCRIPTION_FORMATS, TURTLE)
    if fmt is HTML:
        return query_page(request, published, proto)
    if fmt.key not in {f.key for f in DESCRIPTION_FORMATS}:  # format=html-only offers HTML
        raise ProtocolError(406, "the service description is available as "
                                 f"{offered_media_types(DESCRIPTION_FORMATS)}")
    body = await run_in_threadpool(_description_body, request, published, fmt)
    return Response(body, media_type=fmt.media_type, headers={**CORS_HEADERS, "Vary": "Accept"})


def _description_body(request: Request, published: PublishedBuild, fmt: Format) -> bytes:
    """Serialised once per build: it lists every named graph, thousands in a large build
    (a quarter second in rdflib each time)."""
    def serialise() -> bytes:
        manifest: dict[str, Any] = dict(published.manifest)
        if manifest.get("triples") is None:
            manifest["triples"] = published.store.triple_count()
        sizes = graph_sizes(published.store, published.manifest)
        graph = service_description(published.base, manifest, sizes, limits(request))
        return serialize_graph(graph, fmt, {p: str(n) for p, n in graph.namespaces()})

    return published.memo(f"service-description.{fmt.extension}", serialise)
