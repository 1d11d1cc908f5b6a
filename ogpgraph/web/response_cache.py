"""An in-process cache of rendered pages and documents.

Everything the web layer renders is a function of the published build, the URL and the
negotiation headers (Accept, Accept-Language), so a 200 answer can be replayed until the
server loads another build. The SPARQL endpoint, dumps (files, ranges) and conditional
requests (answered 304 by the routes themselves) bypass it.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable
from threading import Lock

from fastapi import Request, Response

CachedAnswer = tuple[int, list[tuple[str, str]], bytes]
UNCACHED_PREFIXES = ("/sparql", "/dumps/", "/api/")
CONDITIONAL = ("if-none-match", "if-modified-since", "range")


class ResponseCache:
    def __init__(self, max_entries: int = 4096, max_bytes: int = 256 << 20,
                 max_entry_bytes: int = 2 << 20) -> None:
        self.max_entries, self.max_bytes, self.max_entry_bytes = (
            max_entries, max_bytes, max_entry_bytes)
        self.entries: OrderedDict[tuple[str, ...], CachedAnswer] = OrderedDict()
        self.size = 0
        self.lock = Lock()

    @staticmethod
    def key(request: Request) -> tuple[str, ...] | None:
        if request.method not in ("GET", "HEAD"):
            return None
        path = request.url.path
        if path.startswith(UNCACHED_PREFIXES) or any(h in request.headers for h in CONDITIONAL):
            return None
        return (request.method, path, request.url.query, request.headers.get("accept", ""),
                request.headers.get("accept-language", ""))

    def get(self, key: tuple[str, ...]) -> CachedAnswer | None:
        with self.lock:
            found = self.entries.get(key)
            if found is not None:
                self.entries.move_to_end(key)
            return found

    def put(self, key: tuple[str, ...], answer: CachedAnswer) -> None:
        size = len(answer[2])
        if size > self.max_entry_bytes:
            return
        with self.lock:
            if key in self.entries:
                return
            self.entries[key] = answer
            self.size += size
            while len(self.entries) > self.max_entries or self.size > self.max_bytes:
                _, (_, _, body) = self.entries.popitem(last=False)
                self.size -= len(body)


async def cache_middleware(request: Request,
                           call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    cache: ResponseCache = request.app.state.response_cache
    key = cache.key(request)
    if key is None:
        return await call_next(request)
    found = cache.get(key)
    if found is not None:
        status, headers, body = found
        response = Response(content=body, status_code=status)
        response.raw_headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers]
        return response
    response = await call_next(request)
    if response.status_code != 200:
        return response
    body = b"".join([chunk async for chunk in response.body_iterator])
    headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in response.raw_headers]
    cache.put(key, (response.status_code, headers, body))
    replay = Response(content=body, status_code=response.status_code)
    replay.raw_headers = response.raw_headers
    return replay
