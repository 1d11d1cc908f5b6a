"""The change history: ``/changes`` (HTML, by release, filterable by member and kind of
change), ``/changes.atom`` (Atom, the same filters), the event stream ``/changes/stream``
and its pages, and the IRIs the history mints (``/releases/…``, ``/graph/history``).

Event-stream pages that are full never change: they are served with a year's
``Cache-Control`` and ``immutable``; the root and the last page with a minute's. Their
ETags come from their content, so a page keeps its ETag from one release to the next.
"""

from __future__ import annotations

import hashlib
from typing import Annotated
from urllib.parse import urlencode

import pyoxigraph as ox
from fastapi import APIRouter, Query, Request, Response
from rdflib import URIRef

from ogpgraph.graph.formats import DOCUMENT_FORMATS, HTML, Format
from ogpgraph.graph.terms import prefixes_for
from ogpgraph.release.history.iris import HistoryIris
from ogpgraph.release.history.ldes import STREAM_PREFIXES, EventStream, page_count
from ogpgraph.release.history.model import (
    CHANGE_KINDS,
    Change,
    PropertyChange,
    ReleaseRecord,
    iso_time,
)
from ogpgraph.release.history.queries import ChangeFilter, ChangeRow, HistoryIndex, ReleaseRow
from ogpgraph.release.history.rdf import HistoryQuads
from ogpgraph.web.documents import DocumentSpec, negotiated, serve_document
from ogpgraph.web.errors import HttpProblem
from ogpgraph.web.history_views import (
    FEED_ENTRIES,
    atom_feed,
    change_views,
    history_index,
    linked_iris,
)
from ogpgraph.web.http_cache import finish, not_modified, validators
from ogpgraph.web.pages.kind import pager
from ogpgraph.web.published import Published, PublishedBuild
from ogpgraph.web.reader_labels import fetch_labels, reader_lang
from ogpgraph.web.routers.downloads import kept_release_ids
from ogpgraph.web.templating import page_response

router = APIRouter()
PAGE_SIZE = 50
RDF_FORMATS = tuple(f for f in DOCUMENT_FORMATS if f.is_rdf)
IMMUTABLE = "public, max-age=31536000, immutable"
SHORT_LIVED = "public, max-age=60"
PageNumber = Annotated[int, Query(ge=1)]


def index_of(published: PublishedBuild) -> HistoryIndex:
    index = history_index(published)
    if index is None:
        raise HttpProblem(404, "this release has no change history (it was built by an "
                               "earlier version of ogpgraph)")
    return index


def member_iri(base: str, value: str | None) -> str | None:
    """``peru`` or the member's IRI -> the IRI."""
    if not value:
        return None
    return value if value.startswith(("http://", "https://")) else f"{base}id/member/{value}"


def filters(published: PublishedBuild, release: str | None, member: str | None,
            kind: str | None, resource: str | None) -> ChangeFilter:
    if kind and kind not in CHANGE_KINDS:
        raise HttpProblem(400, f"kind must be one of {', '.join(CHANGE_KINDS)}, not {kind!r}")
    return ChangeFilter(release or None, member_iri(published.base, member), kind or None,
                        resource or None)


def rdf_document(lines: list[str], fmt: Format, base: str) -> bytes:
    """N-Triples lines in ``fmt``, by Oxigraph (rdflib would rewrite the timestamps'
    lexical forms: ``Z`` becomes ``+00:00``)."""
    assert isinstance(fmt.oxigraph, ox.RdfFormat)
    text = "".join(lines).encode("utf-8")
    if fmt.oxigraph is ox.RdfFormat.N_TRIPLES:
        return text
    parsed = ox.parse(text, ox.RdfFormat.N_TRIPLES)
    options = {} if fmt.oxigraph is ox.RdfFormat.RDF_XML else {
        "prefixes": {**prefixes_for(base), **STREAM_PREFIXES}}
    return ox.serialize(parsed, format=fmt.oxigraph, **options)


# --- /changes and /changes.atom ---------------------------------------------------------------

@router.api_route("/changes", methods=["GET", "HEAD"], include_in_schema=False)
def changes_page(request: Request, published: Published, release: str | None = None,
                 member: str | None = None, kind: str | None = None,
                 resource: str | None = None, page: PageNumber = 1) -> Response:
    index = index_of(published)
    where = filters(published, release, member, kind, resource)
    total = index.count(where)
    views = change_views(index.changes(where, PAGE_SIZE, (page - 1) * PAGE_SIZE),
                         published.base, index.source_titles())
    releases = index.releases()
    members = [(URIRef(iri), n) for iri, n in index.members()]
    lang = reader_lang(request)
    labels = fetch_labels(published.store, linked_iris(views) | {m for m, _ in members}, lang,
                          published.label_cache)
    groups: dict[str, list] = {}
    for view in views:
        groups.setdefault(view.row.release, []).append(view)
    by_id = {r.id: r for r in releases}
    query = {k: v for k, v in (("release", release), ("member", member), ("kind", kind),
                               ("resource", resource)) if v}
    feed_query = {k: v for k, v in query.items() if k in ("member", "kind")}
    return page_response(
        request, published, "changes.html", heading="Changes", labels=labels,
        groups=[(by_id[rid], items) for rid, items in groups.items()], releases=releases,
        kept=kept_release_ids(published), members=members, kinds=CHANGE_KINDS,
        where=where, member_iri=URIRef(where.member) if where.member else None,
        query=query, pager=pager(page, total, PAGE_SIZE),
        feed_url=url_with(f"{published.base}changes.atom", feed_query),
        page_url=lambda n: url_with(f"{published.base}changes", {**query, "page": n}),
        alternates=[{"href": url_with(f"{published.base}changes.atom", feed_query),
                     "type": "application/atom+xml", "label": "Atom feed of these changes"}])


def url_with(url: str, query: dict[str, object]) -> str:
    wanted = {k: v for k, v in query.items() if v not in (None, "", 1) or k != "page"}
    return f"{url}?{urlencode(wanted)}" if wanted else url


@router.api_route("/changes.atom", methods=["GET", "HEAD"], include_in_schema=False)
def changes_feed(request: Request, published: Published, member: str | None = None,
                 kind: str | None = None, release: str | None = None) -> Response:
    index = index_of(published)
    where = filters(published, release, member, kind, None)
    views = change_views(index.changes(where, FEED_ENTRIES), published.base,
                         index.source_titles())
    query = {k: v for k, v in (("member", member), ("kind", kind), ("release", release)) if v}
    feed_url = url_with(f"{published.base}changes.atom", query)
    headers = validators(published, feed_url, "atom")
    if (hit := not_modified(request, headers)) is not None:
        return hit
    labels = fetch_labels(published.store, linked_iris(views), reader_lang(request),
                          published.label_cache)
    releases = index.releases()
    updated = iso_time(releases[0].timestamp) if releases else iso_time(published.built_at)
    title = "ogpgraph: changes" + (f" of {labels.get(published.uris.member(member), member)}"
                                   if member else "")
    body = atom_feed(views, labels, base=published.base, feed_url=feed_url,
                     page_url=url_with(f"{published.base}changes", query), title=title,
                     updated=updated)
    return finish(request, Response(body, media_type="application/atom+xml; charset=utf-8",
                                    headers=headers))


# --- the event stream -------------------------------------------------------------------------

def stream_response(request: Request, published: PublishedBuild, url: str, lines: list[str],
                    cache_control: str) -> Response:
    spec = DocumentSpec(url=lambda fmt: url, formats=RDF_FORMATS, variants=False)
    fmt = negotiated(request, spec)
    digest = hashlib.sha256("".join(lines).encode() + fmt.key.encode()).hexdigest()[:24]
    headers = {"ETag": f'"{digest}"', "Cache-Control": cache_control, "Vary": "Accept"}
    if (hit := not_modified(request, headers)) is not None:
        return hit
    body = rdf_document(lines, fmt, published.base)
    return finish(request, Response(body, media_type=fmt.content_type, headers=headers))


@router.api_route("/changes/stream", methods=["GET", "HEAD"], include_in_schema=False)
def stream_root(request: Request, published: Published) -> Response:
    stream = EventStream(published.base, index_of(published))
    return stream_response(request, published, stream.iris.stream, stream.description(),
                           SHORT_LIVED)


@router.api_route("/changes/stream/{number}", methods=["GET", "HEAD"], include_in_schema=False)
def stream_page(number: int, request: Request, published: Published) -> Response:
    index = index_of(published)
    stream = EventStream(published.base, index)
    page = stream.page(number)
    if page is None:
        raise HttpProblem(404, f"the event stream has pages 1 to "
                               f"{page_count(index.total(), index.page_size)}")
    return stream_response(request, published, stream.iris.page(number), page.lines,
                           IMMUTABLE if page.full else SHORT_LIVED)


# --- the IRIs of the history ------------------------------------------------------------------

def release_record(row: ReleaseRow) -> ReleaseRecord:
    return ReleaseRecord(row.id, row.timestamp, row.previous, tuple(row.sources))


def triples(lines: list[str]) -> list[str]:
    """N-Quads lines of the history graph as N-Triples."""
    return [line.rsplit(" ", 2)[0] + " .\n" for line in lines]


def history_document(request: Request, published: PublishedBuild, url: str,
                     lines: list[str], html_url: str) -> Response:
    spec = DocumentSpec(url=lambda fmt: url, formats=(HTML, *RDF_FORMATS), variants=False)

    def body(fmt: Format, headers: dict[str, str]) -> bytes | Response:
        if fmt is HTML:
            return Response(status_code=303, headers={"Location": html_url, "Vary": "Accept"})
        return rdf_document(lines, fmt, published.base)

    return serve_document(request, published, spec, body)


@router.api_route("/releases", methods=["GET", "HEAD"], include_in_schema=False)
def releases_document(request: Request, published: Published) -> Response:
    index = index_of(published)
    rdf = HistoryQuads(published.base)
    lines = [line for row in index.releases() for line in rdf.release(release_record(row))]
    return history_document(request, published, f"{published.base}releases", triples(lines),
                            f"{published.base}changes")


@router.api_route("/releases/{release_id}", methods=["GET", "HEAD"], include_in_schema=False)
def release_document(release_id: str, request: Request, published: Published) -> Response:
    row = index_of(published).release(release_id)
    if row is None:
        raise HttpProblem(404, f"no release {release_id!r} in the change history")
    lines = triples(list(HistoryQuads(published.base).release(release_record(row))))
    return history_document(request, published, HistoryIris(published.base).release(row.id),
                            lines, url_with(f"{published.base}changes", {"release": row.id}))


@router.api_route("/releases/{release_id}/{part}/{path:path}", methods=["GET", "HEAD"],
                  include_in_schema=False)
def change_document(release_id: str, part: str, path: str, request: Request,
                    published: Published) -> Response:
    """``…/changes/{kind}/{key}`` (the change) and ``…/versions/{kind}/{key}`` (the
    resource's state then, the event stream's member)."""
    index, iris = index_of(published), HistoryIris(published.base)
    resource = iris.resource(path)
    row = index.change(release_id, resource) if part in ("changes", "versions") else None
    if row is None:
        raise HttpProblem(404, f"no {part.rstrip('s')} of {resource} in release {release_id!r}")
    html_url = url_with(f"{published.base}changes", {"release": release_id,
                                                      "resource": resource})
    if part == "versions":
        version = index.version(release_id, resource)
        assert version is not None
        lines = EventStream(published.base, index).version_lines(version)
        return history_document(request, published, iris.version(release_id, resource),
                                lines, html_url)
    release = index.release(release_id)
    assert release is not None  # the change was found in it
    lines = triples(list(HistoryQuads(published.base).change(release_record(release),
                                                               change_record(row))))
    return history_document(request, published, iris.change(release_id, resource), lines,
                            html_url)


def change_record(row: ChangeRow) -> Change:
    """A change read back from the database, to be written as RDF again."""
    return Change(row.resource, row.kind, row.resource_kind, row.member, row.label,
                  tuple(row.new_sources), tuple(row.old_sources),
                  tuple(PropertyChange(p.property, tuple(p.old), tuple(p.new),
                                       tuple(p.old_sources), tuple(p.new_sources))
                        for p in row.properties))


@router.api_route("/graph/history", methods=["GET", "HEAD"], include_in_schema=False)
def history_graph(published: Published) -> Response:
    """The history's named graph dereferences like the others: 303 to its releases."""
    return Response(status_code=303, headers={
        "Location": f"{published.base}releases", "Vary": "Accept",
        "Cache-Control": "public, max-age=3600"})
