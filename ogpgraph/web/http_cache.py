"""HTTP caching as small pure helpers: ETag, Last-Modified, Cache-Control, 304s, HEAD.

Everything we serve changes only when a new build is published or new software is
deployed, so validators derive from both: the ETag from ``published.build_id``, the
software's fingerprint (new templates or code over the same build must not earn stale
304s) and what distinguishes one representation from another (document URL, format,
language); Last-Modified from the build time.

Typical use in a route::

    headers = validators(published, str(request.url.path), "text/turtle")
    if (hit := not_modified(request, headers)) is not None:
        return hit
    return finish(request, Response(body, media_type=..., headers=headers))
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime
from email.utils import parsedate_to_datetime
from functools import cache
from pathlib import Path

from fastapi import Request, Response

from ogpgraph.web.published import PublishedBuild

CACHE_CONTROL = "public, max-age=3600"  # a build is replaced at most every few hours

# Headers a 304 must repeat (RFC 9110 15.4.5); the rest would describe a body it lacks.
_KEPT_ON_304 = ("etag", "last-modified", "cache-control", "vary", "link", "content-location")


PACKAGE_DIR = Path(__file__).resolve().parents[1]


@cache
def software_fingerprint() -> str:
    """A digest of every file of the installed package (code, templates, catalogs, static
    files), read once per process: what renders a build changes with any of them."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(PACKAGE_DIR)).encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def make_etag(build_id: str, *parts: str) -> str:
    """A strong ETag: the same bytes for the same build, software, URL and format."""
    key = "\x1f".join((build_id, software_fingerprint(), *parts))
    return f'"{hashlib.sha256(key.encode()).hexdigest()[:20]}"'


def cache_headers(etag: str, last_modified: str, cache_control: str = CACHE_CONTROL
                  ) -> dict[str, str]:
    return {"ETag": etag, "Last-Modified": last_modified, "Cache-Control": cache_control}


def validators(published: PublishedBuild, *parts: str) -> dict[str, str]:
    """ETag + Last-Modified + Cache-Control for one representation of the published build."""
    return cache_headers(make_etag(published.build_id, *parts), published.last_modified)


def _etag_matches(if_none_match: str, etag: str) -> bool:
    """Weak comparison, as If-None-Match requires: ``W/"x"`` matches ``"x"``."""
    if if_none_match.strip() == "*":
        return True
    bare = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == bare for tag in if_none_match.split(","))


def _parse_http_date(value: str) -> datetime | None:
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed if parsed.tzinfo else None


def is_not_modified(request_headers: Mapping[str, str], etag: str | None,
                    last_modified: str | None) -> bool:
    """RFC 9110 13.2.2: If-None-Match wins; If-Modified-Since only when it is absent."""
    if_none_match = request_headers.get("if-none-match")
    if if_none_match is not None:
        return etag is not None and _etag_matches(if_none_match, etag)
    since = request_headers.get("if-modified-since")
    if since and last_modified:
        since_at, modified_at = _parse_http_date(since), _parse_http_date(last_modified)
        return since_at is not None and modified_at is not None and modified_at <= since_at
    return False


def not_modified(request: Request, headers: Mapping[str, str]) -> Response | None:
    """A bodiless 304 carrying the validators, when the client's copy is current; else None."""
    if request.method not in ("GET", "HEAD"):
        return None
    lower = {k.lower(): v for k, v in headers.items()}
    if not is_not_modified(request.headers, lower.get("etag"), lower.get("last-modified")):
        return None
    kept = {k: v for k, v in headers.items() if k.lower() in _KEPT_ON_304}
    return Response(status_code=304, headers=kept)


def finish(request: Request, response: Response) -> Response:
    """Drop the body of a HEAD response but keep its Content-Length and other headers.

    Uvicorn drops it anyway; doing it here makes every server (and the test client) agree.
    """
    if request.method != "HEAD" or not response.body:
        return response
    headers = dict(response.headers)
    headers["content-length"] = str(len(response.body))
    return Response(content=b"", status_code=response.status_code, headers=headers)
