"""The SPARQL 1.1 endpoint ``/sparql``: protocol, negotiation, limits, CORS, query page.

Flow of a request: sparql_protocol parses and checks it (nothing is evaluated here),
result_formats picks the format, a query executor runs it in a worker process with a
deadline, and the answer goes out as data or as an HTML table on the query page.
``GET /sparql`` without a query answers the service description (or the page, to browsers).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any
from urllib.parse import urlencode, urlsplit

import pyoxigraph as ox
from fastapi import APIRouter, Depends, FastAPI, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import PlainTextResponse

from ogpgraph.graph.terms import prefixes_for
from ogpgraph.store.executor import QueryExecutor, make_executor
from ogpgraph.store.oxigraph_store import OxigraphStore
from ogpgraph.store.query_jobs import QueryJob, QueryOutcome, term_json
from ogpgraph.web.published import PublishedBuild, get_published
from ogpgraph.web.sparql.description import graph_sizes, service_description
from ogpgraph.web.sparql.examples import default_query, example_queries
from ogpgraph.web.sparql.protocol import (
    FORM_KIND,
    ProtocolError,
    ProtocolRequest,
    check_query,
    parse_request,
)
from ogpgraph.web.sparql.result_formats import (
    DEFAULT,
    DESCRIPTION_FORMATS,
    GRAPH_FORMATS,
    HTML,
    SOLUTION_FORMATS,
    ResultFormat,
    UnknownFormat,
    available,
    by_accept,
    by_format_param,
    formats_of,
)
from ogpgraph.web.templating import render

ALLOW = "GET, HEAD, POST, OPTIONS"
TRUNCATED_HEADER = "OGPGRAPH-Results-Truncated"
LIMIT_HEADER = "OGPGRAPH-Results-Limit"
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": f"{TRUNCATED_HEADER}, {LIMIT_HEADER}, Warning",
}
RDFLIB_SYNTAX = {"turtle": "turtle", "jsonld": "json-ld", "rdfxml": "xml"}


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Fork the query workers at startup (before the server's threads exist); stop them."""
    published = getattr(app.state, "published", None)
    if published is not None and isinstance(published.store, OxigraphStore):
        executor_for(app, published)
    yield
    close_executor(app)


router = APIRouter(lifespan=lifespan)


# -- the executor, one per app and store -----------------------------------------------------

def executor_for(app: FastAPI, published: PublishedBuild) -> QueryExecutor:
    if not isinstance(published.store, OxigraphStore):
        raise TypeError("the SPARQL endpoint runs on the embedded Oxigraph store")
    store = published.store
    current = getattr(app.state, "sparql_executor", None)
    if current is not None and current.store is store:
        return current
    close_executor(app)
    settings = app.state.settings
    executor = make_executor(store, settings.query_workers, settings.query_timeout)
    app.state.sparql_executor = executor
    return executor


def close_executor(app: FastAPI) -> None:
    executor = getattr(app.state, "sparql_executor", None)
    if executor is not None:
        executor.close()
        app.state.sparql_executor = None


# -- small response helpers -----------------------------------------------------------------

def text_response(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return PlainTextResponse(message + "\n", status_code=status,
                             headers={**CORS_HEADERS, **(headers or {})})


def preflight(request: Request) -> Response:
    requested = request.headers.get("access-control-request-headers", "")
    return Response(status_code=204, headers={
        **CORS_HEADERS,
        "Access-Control-Allow-Methods": ALLOW,
        "Access-Control-Allow-Headers": requested or "Accept, Content-Type",
        "Access-Control-Max-Age": "86400",
        "Allow": ALLOW,
    })


def base_path(request: Request) -> str:
    """The path of the public base ("/" normally): links on the page stay on this server."""
    return urlsplit(request.app.state.settings.base_uri).path or "/"


def query_url(request: Request, proto: ProtocolRequest, query: str, fmt: str | None) -> str:
    params = [("query", query)]
    params += [("default-graph-uri", iri) for iri in proto.default_graph_uris]
    params += [("named-graph-uri", iri) for iri in proto.named_graph_uris]
    if fmt:
        params.append(("format", fmt))
    return f"{base_path(request)}sparql?{urlencode(params)}"


# -- format choice ------------------------------------------------------------------------

def choose_format(request: Request, proto: ProtocolRequest,
                  formats: tuple[ResultFormat, ...], default: ResultFormat) -> ResultFormat:
    """The ``format=`` override, else Accept; ProtocolError 400/406 when nothing fits."""
    if proto.format is not None:
        try:
            chosen = by_format_param(proto.format, formats)
        except UnknownFormat:
            raise ProtocolError(400, f"unknown format {proto.format!r}: use one of "
                                     f"{', '.join(f.key for f in (*formats, HTML))}") from None
        if chosen is None:
            raise ProtocolError(406, f"format={proto.format} is not available for this "
                                     f"result; available: {', '.join(f.key for f in formats)}")
        return chosen
    chosen = by_accept(request.headers.get("accept"), formats, default)
    if chosen is None:
        raise ProtocolError(406, f"none of the requested media types can be served; "
                                 f"available: {available(formats)}")
    return chosen


def wants_html(request: Request) -> bool:
    """For errors found before the format is chosen: does this look like the query page?"""
    fmt = request.query_params.get("format")
    if fmt is not None:
        return fmt.strip().lower() == "html"
    return by_accept(request.headers.get("accept"), SOLUTION_FORMATS, DEFAULT["solutions"]) is HTML


# -- the endpoint -------------------------------------------------------------------------

@router.api_route("/sparql", methods=["GET", "HEAD", "POST", "OPTIONS", "PUT", "DELETE", "PATCH"],
                  include_in_schema=True, summary="SPARQL 1.1 query endpoint")
async def sparql_endpoint(request: Request,
                          published: Annotated[PublishedBuild, Depends(get_published)]
                          ) -> Response:
    if request.method == "OPTIONS":
        return preflight(request)
    if request.method not in ("GET", "HEAD", "POST"):
        return text_response(405, f"method {request.method} not allowed; use {ALLOW}",
                             {"Allow": ALLOW})
    settings = request.app.state.settings
    try:
        proto = await parse_request(request, settings.max_body_bytes)
    except ProtocolError as error:
        return text_response(error.status, error.message, error.headers)
    if proto.query is None:
        return await describe(request, published, proto)
    try:
        form = check_query(proto.query)
        kind = FORM_KIND.get(form or "SELECT", "solutions")
        fmt = choose_format(request, proto, formats_of(kind), DEFAULT[kind])  # type: ignore[arg-type]
    except ProtocolError as error:
        if error.status == 400 and wants_html(request):
            return query_page(request, published, proto, error=error.message, status=400)
        return text_response(error.status, error.message, error.headers)

    html = fmt is HTML
    job = QueryJob(
        query=proto.query,
        solutions_format=fmt.key if kind == "solutions" and not html else "json",
        graph_format=fmt.key if kind == "graph" and not html else ("nt" if html else "turtle"),
        max_results=settings.max_results,
        default_graph_uris=tuple(proto.default_graph_uris),
        named_graph_uris=tuple(proto.named_graph_uris),
        prefixes=prefixes_for(published.base),
    )
    outcome = await executor_for(request.app, published).run(job)
    if html:
        status = {"ok": 200, "syntax_error": 400, "refused": 400, "timeout": 503,
                  "busy": 503}.get(
            outcome.kind, 500)
        return query_page(request, published, proto, outcome=outcome, status=status)
    return data_response(outcome, settings.max_results, proto.format is not None)


def data_response(outcome: QueryOutcome, limit: int, download: bool) -> Response:
    if outcome.kind == "syntax_error":
        return text_response(400, f"SPARQL syntax error: {outcome.message}")
    if outcome.kind == "refused":
        return text_response(400, outcome.message)
    if outcome.kind in ("timeout", "busy"):
        headers = {"Retry-After": "5"} if outcome.kind == "busy" else {}
        return text_response(503, outcome.message, headers)
    if outcome.kind != "ok":
        return text_response(500, f"the query failed: {outcome.message}")
    fmt = next(f for f in (*SOLUTION_FORMATS, *GRAPH_FORMATS) if f.key == outcome.format
               and f.kind == ("graph" if outcome.result_kind == "graph" else "solutions"))
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
    try:
        fmt = choose_format(request, proto, DESCRIPTION_FORMATS, DESCRIPTION_FORMATS[0])
    except ProtocolError as error:
        return text_response(error.status, error.message)
    if fmt is HTML:
        return query_page(request, published, proto)
    body = await _description_body(request, published, fmt)
    return Response(body, media_type=fmt.media_type, headers={**CORS_HEADERS, "Vary": "Accept"})


async def _description_body(request: Request, published: PublishedBuild,
                            fmt: ResultFormat) -> bytes:
    """The service description in ``fmt``, serialised once per published build: it lists
    every named graph, thousands in a large build (a quarter second in rdflib each time)."""
    cached = getattr(request.app.state, "sparql_descriptions", None)
    if cached is None or cached[0] is not published:
        cached = (published, {})
        request.app.state.sparql_descriptions = cached
    bodies: dict[str, bytes] = cached[1]
    if fmt.key not in bodies:
        graph = service_description(published.base,
                                    await dataset_statistics(request, published),
                                    await _graph_sizes(request, published), limits(request))
        bodies[fmt.key] = await run_in_threadpool(
            graph.serialize, format=RDFLIB_SYNTAX[fmt.key], encoding="utf-8")
    return bodies[fmt.key]


async def dataset_statistics(request: Request, published: PublishedBuild) -> dict[str, Any]:
    manifest = dict(published.manifest)
    if manifest.get("triples") is None:
        manifest["triples"] = await run_in_threadpool(published.store.triple_count)
    return manifest


async def _graph_sizes(request: Request, published: PublishedBuild) -> list[tuple[str, int]]:
    """Per named graph triple counts, computed once per published build."""
    cached = getattr(request.app.state, "sparql_graph_sizes", None)
    if cached is not None and cached[0] is published:
        return cached[1]
    sizes = await run_in_threadpool(graph_sizes, published.store, published.manifest)
    request.app.state.sparql_graph_sizes = (published, sizes)
    return sizes


def limits(request: Request) -> dict[str, Any]:
    settings = request.app.state.settings
    return {"timeout": settings.query_timeout, "max_results": settings.max_results,
            "max_body_bytes": settings.max_body_bytes}


# -- the query page -----------------------------------------------------------------------

def display_iri(iri: str, base: str) -> str:
    """Our IRIs relative to the base (id/commitment/PE0055), vocabulary ones as CURIEs."""
    best, best_prefix = "", ""
    for prefix, namespace in prefixes_for(base).items():
        if iri.startswith(namespace) and len(namespace) > len(best):
            best, best_prefix = namespace, prefix
    if best:
        return f"{best_prefix}:{iri[len(best):]}"
    if iri.startswith(base):
        return iri[len(base):] or iri
    return iri


def cell(term: dict[str, Any] | None, base: str) -> dict[str, Any] | None:
    """A SPARQL-JSON term -> what the template shows. Only http(s) IRIs become links."""
    if term is None:
        return None
    kind, value = term["type"], term["value"]
    if kind == "uri":
        linkable = urlsplit(value).scheme in ("http", "https")
        return {"kind": "iri", "value": value, "display": display_iri(value, base),
                "href": value if linkable else None}
    if kind == "literal":
        datatype = term.get("datatype")
        return {"kind": "literal", "value": value, "lang": term.get("xml:lang"),
                "datatype": display_iri(datatype, base) if datatype else None}
    if kind == "triple":
        parts = [cell(term["value"][k], base) for k in ("subject", "predicate", "object")]
        shown = " ".join(p["display"] if p and p.get("display") else str(p and p["value"])
                         for p in parts)
        return {"kind": "bnode", "value": f"<< {shown} >>"}
    return {"kind": "bnode", "value": f"_:{value}"}


def result_table(outcome: QueryOutcome, base: str) -> dict[str, Any]:
    """Variables and rows (cells) of an outcome the worker wrote as JSON or N-Triples."""
    if outcome.result_kind == "graph":
        triples = ox.parse(outcome.body, format=ox.RdfFormat.N_TRIPLES)
        rows = [[cell(term_json(t), base) for t in (q.subject, q.predicate, q.object)]
                for q in triples]
        return {"variables": ["subject", "predicate", "object"], "rows": rows}
    document = json.loads(outcome.body)
    if "boolean" in document:
        return {"boolean": bool(document["boolean"])}
    variables = document["head"]["vars"]
    rows = [[cell(binding.get(name), base) for name in variables]
            for binding in document["results"]["bindings"]]
    return {"variables": variables, "rows": rows}


def query_page(request: Request, published: PublishedBuild, proto: ProtocolRequest, *,
               outcome: QueryOutcome | None = None, error: str | None = None,
               status: int = 200) -> Response:
    base = published.base
    settings = request.app.state.settings
    query = proto.query
    ctx: dict[str, Any] = {
        "query": query if query is not None else default_query(base),
        "ran": query is not None,
        "examples": [{"title": e.title, "question": e.question, "query": e.query,
                      "url": query_url(request, proto, e.query, None)}
                     for e in example_queries(base)],
        "action": f"{base_path(request)}sparql",
        "endpoint": f"{base}sparql",
        "solution_formats": SOLUTION_FORMATS,
        "graph_formats": GRAPH_FORMATS,
        "description_formats": DESCRIPTION_FORMATS,
        "limits": limits(request),
        "dataset": {"default": proto.default_graph_uris, "named": proto.named_graph_uris},
        "error": error,
        "result": None,
        "downloads": [],
        "truncated": False,
        "max_results": settings.max_results,
    }
    headers = {**CORS_HEADERS, "Vary": "Accept"}
    if outcome is not None and query is not None:
        if outcome.kind == "ok":
            ctx["result"] = result_table(outcome, base)
            ctx["count"] = outcome.count
            ctx["truncated"] = outcome.truncated
            kind_formats = GRAPH_FORMATS if outcome.result_kind == "graph" else SOLUTION_FORMATS
            ctx["downloads"] = [{"label": f.label, "media_type": f.media_type,
                                 "url": query_url(request, proto, query, f.key)}
                                for f in kind_formats]
            if outcome.truncated:
                headers[TRUNCATED_HEADER] = "true"
                headers[LIMIT_HEADER] = str(settings.max_results)
        elif outcome.kind == "syntax_error":
            ctx["error"] = f"SPARQL syntax error: {outcome.message}"
        else:
            ctx["error"] = outcome.message
    return render(request, "sparql.html", status_code=status, headers=headers, **ctx)
