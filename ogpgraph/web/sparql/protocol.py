"""The SPARQL 1.1 Protocol, query operation: an HTTP request -> a typed ProtocolRequest.

Three ways to send a query (GET ?query=, POST form, POST application/sparql-query), the
dataset parameters, and the checks that need no parse: size limit, one query. A lexical
pre-check (comments, strings and IRIs blanked out) finds the query form, which chooses
the result formats on offer, and refuses queries nested too deeply, obvious updates and
SERVICE at once. Who the client is (``request_client``) decides its share of the workers. It decides
nothing about safety: the query worker checks the query on a real parse
(``store/query_check.py``) and runs without network (``store/sandbox.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal
from urllib.parse import parse_qsl

from fastapi import Request

from ogpgraph.store.admission import Network, client_address
from ogpgraph.store.query_check import (
    NESTING_REFUSED,
    SERVICE_REFUSED,
    UPDATES_REFUSED,
    too_deeply_nested,
)
from ogpgraph.store.sparql_text import blank_opaque, keyword
from ogpgraph.web.errors import HttpProblem
from ogpgraph.web.negotiation import media_type_of

QueryForm = Literal["SELECT", "ASK", "CONSTRUCT", "DESCRIBE"]
FORM_KIND = {"SELECT": "solutions", "ASK": "solutions", "CONSTRUCT": "graph",
             "DESCRIBE": "graph"}

FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"
QUERY_CONTENT_TYPE = "application/sparql-query"
UPDATE_CONTENT_TYPE = "application/sparql-update"


TRUNCATED_HEADER = "OGPGRAPH-Results-Truncated"
LIMIT_HEADER = "OGPGRAPH-Results-Limit"
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": f"{TRUNCATED_HEADER}, {LIMIT_HEADER}, Warning",
}


class ProtocolError(HttpProblem):
    """A request the endpoint refuses before running anything: status + one-line reason.
    Answered by the one error path, with the endpoint's CORS headers."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(status, message, {**CORS_HEADERS, **(headers or {})})


@dataclass(frozen=True)
class ProtocolRequest:
    query: str | None  # None: no query at all (service description / query page)
    default_graph_uris: list[str] = field(default_factory=list)
    named_graph_uris: list[str] = field(default_factory=list)
    format: str | None = None  # the ``format=`` override of Accept, if given


# -- lexical analysis -----------------------------------------------------------------------

_PROLOGUE = r"(?:\s*(?:BASE\s*<>|PREFIX\s*[^\s:]*:\s*<>))*\s*"
_FORM = re.compile(_PROLOGUE + r"(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)
_UPDATE = re.compile(
    _PROLOGUE + r"(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b", re.IGNORECASE)
# Conservative on purpose: a false positive refuses a query, a false negative would connect.
_SERVICE = keyword("SERVICE")


def query_form(query: str) -> QueryForm | None:
    """SELECT/ASK/CONSTRUCT/DESCRIBE, from the first keyword after the prologue."""
    found = _FORM.match(blank_opaque(query))
    return found.group(1).upper() if found else None  # type: ignore[return-value]


def is_update(query: str) -> bool:
    """An update request sent as a query. Every SPARQL Update operation starts, after the
    prologue, with one of these keywords, so this needs no parser (and evaluates nothing)."""
    return bool(_UPDATE.match(blank_opaque(query)))


def uses_service(query: str) -> bool:
    return bool(_SERVICE.search(blank_opaque(query)))


PRECHECKED_KEPT = 2048  # query texts whose pre-check passed, remembered per process


@lru_cache(maxsize=PRECHECKED_KEPT)  # a refusal raises, so only passing texts are kept
def precheck_query(query: str) -> QueryForm | None:
    """Refuse queries nested too deep for the parsers and the engine, updates and SERVICE
    (ProtocolError 400); the form, None if not recognisable (the worker's parser will then
    report the syntax error). The nesting bound is the worker's own (``query_check``),
    taken here too so that such a query never reaches a worker. A text already passed
    (the same example asked again) is not scanned again (0.15–0.2 ms a query)."""
    if too_deeply_nested(query):
        raise ProtocolError(400, NESTING_REFUSED)
    form = query_form(query)
    if form is None and is_update(query):
        raise ProtocolError(400, UPDATES_REFUSED)
    if uses_service(query):
        raise ProtocolError(400, SERVICE_REFUSED)
    return form


# -- the HTTP request -----------------------------------------------------------------------

def request_client(request: Request, trusted: tuple[Network, ...]) -> str:
    """Who sent the request: its peer address, or the address a trusted proxy forwards
    (``X-Forwarded-For``; see ``store/admission.py``)."""
    peer = request.client.host if request.client else None
    return client_address(peer, request.headers.getlist("x-forwarded-for"), trusted)


def _single(params: list[tuple[str, str]], name: str) -> str | None:
    values = [value for key, value in params if key == name]
    if len(values) > 1:
        raise ProtocolError(400, f"more than one '{name}' parameter: send exactly one")
    return values[0] if values else None


def _iris(params: list[tuple[str, str]], name: str) -> list[str]:
    iris = [value.strip() for key, value in params if key == name]
    for iri in iris:
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.\-]*:[^<>\"{}|^`\\\x00-\x20]*", iri):
            raise ProtocolError(400, f"{name} is not an absolute IRI: {iri!r}")
    return iris


async def read_body(request: Request, max_bytes: int) -> bytes:
    """The request body, refusing (413) more than ``max_bytes`` before reading it all."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise ProtocolError(413, f"request body larger than {max_bytes} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise ProtocolError(413, f"request body larger than {max_bytes} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError(400, f"request body is not UTF-8: {exc}") from exc


async def parse_request(request: Request, max_body_bytes: int) -> ProtocolRequest:
    """GET or POST (form or direct) -> ProtocolRequest; ProtocolError for what we refuse."""
    # the raw query string: building ``request.url`` costs more than the parse
    url_params = parse_qsl(request.scope.get("query_string", b"").decode("latin-1"),
                           keep_blank_values=True)
    body_query: str | None = None
    params = list(url_params)
    if request.method == "POST":
        content_type = media_type_of(request.headers.get("content-type"))
        if content_type == FORM_CONTENT_TYPE:
            body = _decode(await read_body(request, max_body_bytes))
            params += parse_qsl(body, keep_blank_values=True)
        elif content_type == QUERY_CONTENT_TYPE:
            body_query = _decode(await read_body(request, max_body_bytes))
        elif content_type == UPDATE_CONTENT_TYPE:
            raise ProtocolError(400, UPDATES_REFUSED)
        else:
            raise ProtocolError(
                415, f"unsupported request body type {content_type or '(none)'!r}: send "
                     f"{FORM_CONTENT_TYPE} or {QUERY_CONTENT_TYPE}",
                headers={"Accept-Post": f"{FORM_CONTENT_TYPE}, {QUERY_CONTENT_TYPE}"})
    if any(key == "update" for key, _ in params):
        raise ProtocolError(400, UPDATES_REFUSED)
    query = _single(params, "query")
    if body_query is not None:
        if query is not None:
            raise ProtocolError(400, "two queries: one in the body and one in the URL")
        query = body_query
    if query is not None and not query.strip():
        raise ProtocolError(400, "the query is empty")
    if request.method == "POST" and query is None:
        raise ProtocolError(400, "no query: send it as 'query' or as the request body")
    return ProtocolRequest(
        query=query,
        default_graph_uris=_iris(params, "default-graph-uri"),
        named_graph_uris=_iris(params, "named-graph-uri"),
        format=_single(params, "format"),
    )
