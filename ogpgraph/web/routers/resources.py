"""Dereferenceable resources: ``/id/…`` answers 303, ``/doc/…`` serves documents.

Content negotiation (both for the 303 and for ``/doc/{kind}/{key}`` without extension):

    Accept                                          -> document
    text/html, application/xhtml+xml                -> /doc/{kind}/{key}.html
    text/turtle                                     -> .ttl   (also: no Accept, */*)
    application/ld+json (or application/json)       -> .jsonld
    application/n-triples                           -> .nt
    application/rdf+xml                             -> .rdf
    text/html,application/xhtml+xml,…,*/*;q=0.8     -> .html  (a browser)
    only types we cannot produce (image/png)        -> 406

Every answer carries ``Link`` headers (``rel="alternate"`` for each other format,
``rel="canonical"``, ``rel="describedby"`` on the 303) and varies on Accept.

The public base (``settings.base_uri``) mints the IRIs; the app itself may be mounted at
``/`` behind a proxy: a request path ``/id/x`` stands for the IRI ``{base}id/x``.
Which kinds exist, and what their pages show, is the page registry's business
(``web/pages``); unknown IRIs answer 404 with suggestions, lower-case identifiers 301.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from rdflib import URIRef

from ogpgraph.graph.formats import DOCUMENT_FORMATS, Format, serialize_graph
from ogpgraph.web.documents import DocumentSpec, negotiated, serve_document
from ogpgraph.web.errors import HttpProblem, Redirect
from ogpgraph.web.http_cache import finish, not_modified, validators
from ogpgraph.web.pages.kind import Target
from ogpgraph.web.pages.lookup import iri_of, is_known, suggestions
from ogpgraph.web.pages.registry import SEGMENT, canonical_target, parse_target
from ogpgraph.web.pages.render import html_page
from ogpgraph.web.published import Published, PublishedBuild
from ogpgraph.web.reader_labels import reader_lang
from ogpgraph.web.resource_document import build_document, document_prefixes
from ogpgraph.web.web_assets import asset

router = APIRouter()
Page = Annotated[int, Query(ge=1, description="page of incoming links")]

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
STATIC_TYPES = {"css": "text/css; charset=utf-8", "svg": "image/svg+xml",
                "js": "text/javascript; charset=utf-8"}
BY_EXTENSION = {fmt.extension: fmt for fmt in DOCUMENT_FORMATS}


def split_extension(path: str) -> tuple[str, Format | None]:
    stem, dot, ext = path.rpartition(".")
    if dot and ext in BY_EXTENSION and "/" not in ext:
        return stem, BY_EXTENSION[ext]
    return path, None


def document_spec(base: str, target: Target, page: int = 1) -> DocumentSpec:
    return DocumentSpec(url=lambda fmt: f"{base}doc/{target.path}.{fmt.extension}",
                        cache_parts=(str(page),))


def not_found(request: Request, published: PublishedBuild, path: str) -> HttpProblem:
    return HttpProblem(404, f"no resource {published.base}id/{path}",
                       suggestions=suggestions(published, path, reader_lang(request)),
                       search=path.rsplit("/", 1)[-1])


def resolve(request: Request, published: PublishedBuild, path: str, area: str,
            suffix: str) -> Target:
    """The target a path names; raises the 404, or the 301 to its canonical spelling or to
    the IRI the build kept for it (a spelling merged into another institution: the
    release's redirect table, in the listing index)."""
    target = parse_target(path)
    if target is None:
        raise not_found(request, published, path)
    if is_known(published, target):
        return target
    fixed = canonical_target(target)
    if fixed is None or not is_known(published, fixed):
        kept = published.listings.redirect(f"{published.base}id/{target.path}")
        moved = parse_target(kept.removeprefix(f"{published.base}id/")) if kept else None
        fixed = moved if moved is not None and is_known(published, moved) else None
    if fixed is not None:
        query = f"?{request.url.query}" if request.url.query else ""
        raise Redirect(301, f"{published.base}{area}/{fixed.path}{suffix}{query}",
                       {"Cache-Control": "public, max-age=86400"})
    raise not_found(request, published, path)


@router.api_route("/id/{path:path}", methods=["GET", "HEAD"], include_in_schema=False)
def dereference(path: str, request: Request, published: Published) -> Response:
    target = resolve(request, published, path, "id", "")
    spec = document_spec(published.base, target)
    fmt = negotiated(request, spec)
    location = spec.url(fmt)
    headers = validators(published, "303", location)
    headers.update({"Location": location, "Vary": "Accept",
                    "Link": spec.link_header(fmt, describedby=True)})
    if (cached := not_modified(request, headers)) is not None:
        return cached
    return finish(request, Response(status_code=303, headers=headers))


@router.api_route("/doc/{path:path}", methods=["GET", "HEAD"], include_in_schema=False)
def document(path: str, request: Request, published: Published, page: Page = 1) -> Response:
    stem, fixed = split_extension(path)
    target = resolve(request, published, stem, "doc", f".{fixed.extension}" if fixed else "")
    iri: URIRef = iri_of(published.base, target)
    spec = document_spec(published.base, target, page)

    def render(fmt: Format, headers: dict[str, str]) -> bytes | Response:
        if not fmt.is_rdf:
            return html_page(request, published, spec, target, iri, page,
                             reader_lang(request), headers)
        doc = build_document(published.store, published.base, iri, spec.url(fmt),
                             published.built_at, page)
        return serialize_graph(doc.graph, fmt, document_prefixes(published.base))

    return serve_document(request, published, spec, render, fixed)


@router.api_route("/static/{name}", methods=["GET", "HEAD"], include_in_schema=False)
def static_file(name: str, request: Request, published: Published) -> Response:
    """The stylesheet and scripts (flat files in web/static). The ETag is the content's
    digest, so every server process and restart agrees on it."""
    path = STATIC_DIR / name
    ext = name.rsplit(".", 1)[-1]
    if not SEGMENT.match(name) or ext not in STATIC_TYPES or not path.is_file():
        raise HttpProblem(404, f"no static file {name!r}")
    body = path.read_bytes()
    headers = validators(published, "static", name, hashlib.sha256(body).hexdigest())
    if (cached := not_modified(request, headers)) is not None:
        return cached
    return finish(request, Response(body, media_type=STATIC_TYPES[ext], headers=headers))


@router.api_route("/static/vendor/{package}/{name}", methods=["GET", "HEAD"],
                  include_in_schema=False)
def vendor_file(package: str, name: str, request: Request, published: Published) -> Response:
    """A file of a browser package installed from npm (web_assets: the query editor),
    served from our origin. The ETag is the content's digest."""
    found = asset(package, name) if SEGMENT.match(package) and SEGMENT.match(name) else None
    if found is None:
        raise HttpProblem(404, f"no static file {package}/{name}")
    headers = validators(published, "static", package, name, found.digest)
    if (cached := not_modified(request, headers)) is not None:
        return cached
    return finish(request, Response(found.body, media_type=found.media_type, headers=headers))
