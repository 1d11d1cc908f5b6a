"""One error path: every 4xx/5xx answers in the representation the client asked for.

Routes raise :class:`HttpProblem` (or let FastAPI raise its own exceptions); the handlers
installed by :func:`install` turn them into an HTML page for browsers, problem details
(RFC 9457 JSON) or a small RDF description (W3C HTTP vocabulary) for programs, and plain
text otherwise. Invalid query parameters are 400 with a human message, never FastAPI's 422.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS
from starlette.exceptions import HTTPException as StarletteHTTPException

from ogpgraph.graph.formats import (
    HTML,
    JSONLD,
    NTRIPLES,
    PROBLEM_JSON,
    RDFXML,
    TEXT,
    TURTLE,
    serialize_graph,
)
from ogpgraph.web.http_cache import finish
from ogpgraph.web.negotiation import negotiate_format
from ogpgraph.web.templating import render

HTTP = Namespace("http://www.w3.org/2011/http#")
ERROR_FORMATS = (HTML, PROBLEM_JSON, TURTLE, JSONLD, NTRIPLES, RDFXML, TEXT)
log = logging.getLogger("ogpgraph.web")


@dataclass
class HttpProblem(Exception):
    """An answer other than success: status, one human line, and what may help."""

    status: int
    message: str
    headers: dict[str, str] = field(default_factory=dict)
    suggestions: Sequence[tuple[str, str]] = ()  # (IRI, label): "did you mean"
    search: str | None = None  # a search the reader may try instead

    def __post_init__(self) -> None:
        super().__init__(self.message)

    @property
    def title(self) -> str:
        try:
            return HTTPStatus(self.status).phrase
        except ValueError:
            return "Error"


class Redirect(Exception):
    """Answer with a redirect (a canonical spelling): status and Location, no body."""

    def __init__(self, status: int, location: str, headers: dict[str, str] | None = None):
        super().__init__(location)
        self.status = status
        self.headers = {"Location": location, **(headers or {})}


def error_response(request: Request, problem: HttpProblem) -> Response:
    """``problem`` in the representation the Accept header prefers (plain text if none)."""
    fmt = negotiate_format(request.headers.get("accept"), ERROR_FORMATS, TEXT) or TEXT
    base = request.app.state.settings.base_uri
    search_url = (f"{base}search?q={quote(problem.search)}" if problem.search is not None
                  else None)
    headers = {**problem.headers}
    vary = [v.strip() for v in headers.get("Vary", "").split(",") if v.strip()]
    headers["Vary"] = ", ".join(dict.fromkeys([*vary, "Accept"]))
    response: Response
    if fmt is HTML:
        response = render(request, "error.html", status_code=problem.status, headers=headers,
                          problem=problem)
    elif fmt is PROBLEM_JSON:
        response = JSONResponse(_problem_json(problem, search_url), status_code=problem.status,
                                headers=headers, media_type=PROBLEM_JSON.media_type)
    elif fmt.is_rdf:
        body = serialize_graph(_problem_graph(problem, search_url), fmt,
                               {"http": str(HTTP), "rdfs": str(RDFS)})
        response = Response(body, status_code=problem.status, headers=headers,
                            media_type=fmt.content_type)
    else:
        response = PlainTextResponse(_problem_text(problem, search_url),
                                     status_code=problem.status, headers=headers)
    return finish(request, response)


def _problem_text(problem: HttpProblem, search_url: str | None) -> str:
    lines = [f"{problem.status} {problem.title}: {problem.message}"]
    lines += [f"Did you mean {iri} ({label})?" for iri, label in problem.suggestions]
    if search_url:
        lines.append(f"Search: {search_url}")
    return "\n".join(lines) + "\n"


def _problem_json(problem: HttpProblem, search_url: str | None) -> dict[str, Any]:
    body: dict[str, Any] = {"type": "about:blank", "title": problem.title,
                            "status": problem.status, "detail": problem.message}
    if problem.suggestions:
        body["suggestions"] = [{"iri": iri, "label": label}
                               for iri, label in problem.suggestions]
    if search_url:
        body["search"] = search_url
    return body


def _problem_graph(problem: HttpProblem, search_url: str | None) -> Graph:
    graph = Graph()
    answer = BNode()
    graph.add((answer, RDF.type, HTTP.Response))
    graph.add((answer, HTTP.statusCodeValue, Literal(problem.status)))
    graph.add((answer, HTTP.reasonPhrase, Literal(problem.title)))
    graph.add((answer, RDFS.comment, Literal(problem.message, lang="en")))
    for iri, _label in problem.suggestions:
        graph.add((answer, RDFS.seeAlso, URIRef(iri)))
    if search_url:
        graph.add((answer, RDFS.seeAlso, URIRef(search_url)))
    return graph


def validation_message(error: RequestValidationError) -> str:
    """FastAPI's validation errors as one sentence: ``page: must be at least 1 (got '0')``."""
    parts = []
    for item in error.errors():
        where = ".".join(str(p) for p in item.get("loc", ()) if p not in ("query", "path"))
        given = item.get("input")
        shown = f" (got {given!r})" if isinstance(given, str | int | float) else ""
        message = str(item.get("msg", "invalid")).removeprefix("Input should be ")
        parts.append(f"{where or 'request'}: should be {message}{shown}")
    return "; ".join(parts) or "invalid request"


def install(app: FastAPI) -> None:
    """The exception handlers of the one error path."""

    async def on_problem(request: Request, problem: HttpProblem) -> Response:
        return error_response(request, problem)

    async def on_redirect(request: Request, redirect: Redirect) -> Response:
        return Response(status_code=redirect.status, headers=redirect.headers)

    async def on_http(request: Request, error: StarletteHTTPException) -> Response:
        detail = error.detail if isinstance(error.detail, str) else HTTPStatus(
            error.status_code).phrase
        return error_response(request, HttpProblem(error.status_code, detail,
                                                   dict(error.headers or {})))

    async def on_invalid(request: Request, error: RequestValidationError) -> Response:
        return error_response(request, HttpProblem(400, validation_message(error)))

    async def on_crash(request: Request, error: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(request, HttpProblem(500, "the server failed to answer this "
                                                        "request; it has been logged"))

    app.add_exception_handler(HttpProblem, on_problem)  # type: ignore[arg-type]
    app.add_exception_handler(Redirect, on_redirect)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, on_http)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, on_invalid)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, on_crash)
