"""An in-process cache of rendered pages and documents.

Everything the web layer renders is a function of the published build, the URL and the
negotiation headers (Accept, Accept-Language), so a 200 answer can be replayed until the
server loads another build; so can a 404 (with its "did you mean" suggestions), which
costs more than most pages. 404s are kept apart, in a smaller part of their own, so that
a storm of unknown IRIs cannot evict the pages. The SPARQL endpoint, dumps (files,
ranges) and conditional requests (answered 304 by the routes themselves) bypass it.

A plain ASGI middleware rather than ``@app.middleware("http")``: Starlette's
BaseHTTPMiddleware runs the app in a task group and re-streams every body, which cost
about a millisecond a request, the SPARQL endpoint's included.
"""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CachedAnswer = tuple[int, list[tuple[bytes, bytes]], bytes]
UNCACHED_PREFIXES = ("/sparql", "/dumps/", "/api/")
CONDITIONAL = ("if-none-match", "if-modified-since", "range")
CACHED_STATUSES = (200, 404)


class _Part:
    """Least recently used answers, bounded in number and bytes."""

    def __init__(self, max_entries: int, max_bytes: int) -> None:
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self.entries: OrderedDict[tuple[str, ...], CachedAnswer] = OrderedDict()
        self.size = 0

    def get(self, key: tuple[str, ...]) -> CachedAnswer | None:
        found = self.entries.get(key)
        if found is not None:
            self.entries.move_to_end(key)
        return found

    def put(self, key: tuple[str, ...], answer: CachedAnswer) -> None:
        if key in self.entries:
            return
        self.entries[key] = answer
        self.size += len(answer[2])
        while len(self.entries) > self.max_entries or self.size > self.max_bytes:
            _, (_, _, body) = self.entries.popitem(last=False)
            self.size -= len(body)


class ResponseCache:
    def __init__(self, max_entries: int = 4096, max_bytes: int = 256 << 20,
                 max_entry_bytes: int = 2 << 20, max_missing: int = 1024,
                 max_missing_bytes: int = 16 << 20) -> None:
        self.max_entry_bytes = max_entry_bytes
        self.found = _Part(max_entries, max_bytes)  # 200s
        self.missing = _Part(max_missing, max_missing_bytes)  # 404s
        self.lock = Lock()

    def clear(self) -> None:
        """Forget every answer (a new build served by the same process)."""
        with self.lock:
            for part in (self.found, self.missing):
                part.entries.clear()
                part.size = 0

    def _part(self, status: int) -> _Part:
        return self.found if status == 200 else self.missing

    @staticmethod
    def key(scope: Scope) -> tuple[str, ...] | None:
        """What the answer depends on, or None for requests that must not be replayed."""
        method, path = scope["method"], scope["path"]
        if method not in ("GET", "HEAD") or path.startswith(UNCACHED_PREFIXES):
            return None
        headers = Headers(scope=scope)
        if any(name in headers for name in CONDITIONAL):
            return None
        return (method, path, scope.get("query_string", b"").decode("latin-1"),
                headers.get("accept", ""), headers.get("accept-language", ""))

    def get(self, key: tuple[str, ...]) -> CachedAnswer | None:
        with self.lock:
            return self.found.get(key) or self.missing.get(key)

    def put(self, key: tuple[str, ...], answer: CachedAnswer) -> None:
        if len(answer[2]) > self.max_entry_bytes or answer[0] not in CACHED_STATUSES:
            return
        with self.lock:
            self._part(answer[0]).put(key, answer)


class ResponseCacheMiddleware:
    """Replays cached answers; records the 200 and 404 answers of cacheable requests."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cache: ResponseCache = scope["app"].state.response_cache
        key = cache.key(scope)
        if key is None:
            await self.app(scope, receive, send)
            return
        found = cache.get(key)
        if found is not None:
            status, headers, body = found
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, _Recorder(cache, key, send))


class _Recorder:
    """A ``send`` that passes every message on and keeps a copy of a 200 or 404 answer."""

    def __init__(self, cache: ResponseCache, key: tuple[str, ...], send: Send) -> None:
        self.cache, self.key, self.send = cache, key, send
        self.status = 0
        self.headers: list[tuple[bytes, bytes]] = []
        self.chunks: list[bytes] | None = []  # None: not worth keeping
        self.size = 0

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            self.headers = list(message.get("headers", []))
            if self.status not in CACHED_STATUSES:
                self.chunks = None
        elif message["type"] == "http.response.body" and self.chunks is not None:
            body = message.get("body", b"")
            self.size += len(body)
            if self.size > self.cache.max_entry_bytes:
                self.chunks = None
            else:
                self.chunks.append(body)
                if not message.get("more_body", False):
                    self.cache.put(self.key, (self.status, self.headers, b"".join(self.chunks)))
        await self.send(message)
