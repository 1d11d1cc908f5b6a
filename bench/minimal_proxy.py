"""The least a Python web tier can add in front of a SPARQL engine, for
``tier_floor_bench.py``: an ASGI app that reads the request's form and posts it, as it
is, to the engine (``OGPGRAPH_FLOOR_ENGINE``) with libcurl on a thread (one kept-alive
connection per thread), answering the engine's bytes. No routing, no checks, no
planning, no parsing: what is left is the HTTP server, the event loop and one thread hop,
as in ogpgraph's tier."""

from __future__ import annotations

import asyncio
import os
import threading
from io import BytesIO
from typing import Any

import pycurl

ENGINE = os.environ.get("OGPGRAPH_FLOOR_ENGINE", "")
ANSWER_TYPE = b"application/sparql-results+json"
_local = threading.local()


def _post(form: bytes, accept: str) -> tuple[int, bytes]:
    curl = getattr(_local, "curl", None)
    if curl is None:
        curl = _local.curl = pycurl.Curl()
        curl.setopt(pycurl.URL, ENGINE)
        curl.setopt(pycurl.TCP_NODELAY, 1)
    curl.setopt(pycurl.HTTPHEADER, [f"Accept: {accept}", "Expect:",
                                     "Content-Type: application/x-www-form-urlencoded"])
    body = BytesIO()
    curl.setopt(pycurl.POSTFIELDS, form)
    curl.setopt(pycurl.WRITEDATA, body)
    curl.perform()
    return curl.getinfo(pycurl.RESPONSE_CODE), body.getvalue()


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    if scope["method"] == "GET":  # the bench's readiness check
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ready"})
        return
    form = b""
    while True:
        message = await receive()
        form += message.get("body", b"")
        if not message.get("more_body"):
            break
    headers = dict(scope["headers"])
    accept = headers.get(b"accept", ANSWER_TYPE).decode("latin-1")
    status, body = await asyncio.to_thread(_post, form, accept)
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", ANSWER_TYPE)]})
    await send({"type": "http.response.body", "body": body})
