"""A FastAPI route for an endpoint that takes the request alone and parses it itself.

It is documented in the OpenAPI description like any route, but its requests skip
FastAPI's per-request dependency solving and response handling: the endpoint is called
with the ``Request`` and returns a ``Response``. Errors it raises reach the app's one
error path (``web/errors.py``) as any route's do. For ``/sparql``, where that skipped
work was 0.09 ms of a query the peer (``oxigraph serve``) answers in 0.8 ms
(``bench/results/servers.md``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute
from starlette.routing import request_response

Endpoint = Callable[[Request], Awaitable[Response]]


class DirectRoute(APIRoute):
    def __init__(self, path: str, endpoint: Endpoint, **kwargs: Any) -> None:
        super().__init__(path, endpoint, **kwargs)
        self.app = request_response(endpoint)
