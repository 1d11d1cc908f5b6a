"""Every browse listing is also data: one helper that every listing route goes through.

A listing route hands :func:`serve_listing` what it lists (a :class:`ListingTable`), how to
fetch any page of its filtered, sorted listing (the very call that makes the HTML page, so
data and page always agree) and how to render the page. The format is ``?format=`` (``csv``,
``json``, ``ttl``, ``jsonld``, ``nt``, ``rdf``, ``html``) or else negotiated on ``Accept``
over :data:`LISTING_FORMATS`, through the one document flow (:func:`serve_document`):

* CSV and JSON hold the **whole** filtered listing, streamed: pages of :data:`CHUNK` rows
  read from the listing index one after the other, so a download of 100,000 commitments
  never holds more than a chunk;
* RDF is one page (``?page=``) as a ``hydra:Collection`` with a ``hydra:PartialCollectionView``
  (first, previous, next, last) and the label of each member;
* HTML is the page itself.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlencode

from fastapi import Request, Response
from fastapi.responses import StreamingResponse
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from ogpgraph.graph.formats import (
    HTML,
    LISTING_FORMATS,
    RESULTS_CSV,
    TABLE_JSON,
    Format,
    UnknownFormat,
    format_named,
    serialize_graph,
)
from ogpgraph.web.browse_listings import PER_PAGE, Page
from ogpgraph.web.documents import DocumentSpec, serve_document
from ogpgraph.web.errors import HttpProblem
from ogpgraph.web.listing_tables import Labels, ListingTable
from ogpgraph.web.published import PublishedBuild
from ogpgraph.web.resource_document import HYDRA, document_prefixes

CHUNK = 1000  # rows read from the index at a time while streaming CSV/JSON
FetchPage = Callable[[int, int], Page[Any]]  # (page number, rows a page) -> that page
LabelsOf = Callable[[list[Node | None]], Labels]
RenderHtml = Callable[[dict[str, str]], Response]  # response headers -> the HTML page
TABLE_FORMATS = (RESULTS_CSV, TABLE_JSON)  # the whole listing, not a page
DOWNLOAD_FORMATS = (RESULTS_CSV, *LISTING_FORMATS[2:])


def listing_url(request: Request, base: str, fmt: Format | None, page: int | None = None
                ) -> str:
    """The public URL of this listing (same filters and sort) in ``fmt``; table formats
    name no page, since they hold every row."""
    params = [(k, v) for k, v in request.query_params.multi_items()
              if k not in ("format", "page")]
    if page and page > 1 and fmt not in TABLE_FORMATS:
        params.append(("page", str(page)))
    if fmt is not None and fmt is not HTML:
        params.append(("format", fmt.extension))
    path = request.url.path.lstrip("/")
    query = urlencode(params)
    return f"{base}{path}" + (f"?{query}" if query else "")


def download_links(request: Request, base: str, page: int = 1) -> list[dict[str, str]]:
    """The links "Download: CSV, JSON, Turtle, …" of a listing page, keeping its filters."""
    return [{"label": fmt.label, "type": fmt.media_type,
             "href": listing_url(request, base, fmt, page),
             "whole": "yes" if fmt in TABLE_FORMATS else ""}
            for fmt in DOWNLOAD_FORMATS]


def requested_format(request: Request) -> Format | None:
    """The format ``?format=`` names (400 for a name we do not know), or None."""
    name = request.query_params.get("format")
    if not name:
        return None
    try:
        return format_named(name, LISTING_FORMATS)
    except UnknownFormat as exc:
        raise HttpProblem(400, f"format: one of "
                               f"{', '.join(f.extension for f in LISTING_FORMATS)}") from exc


def serve_listing(request: Request, published: PublishedBuild, table: ListingTable,
                  fetch: FetchPage, labels_of: LabelsOf, html: RenderHtml,
                  page: int = 1) -> Response:
    """The listing in the format asked for (see the module's docstring)."""
    spec = DocumentSpec(url=lambda fmt: listing_url(request, published.base, fmt, page),
                        formats=LISTING_FORMATS, default=HTML, by_language=True)

    def render(fmt: Format, headers: dict[str, str]) -> bytes | Response:
        if fmt is HTML:
            return html(headers)
        if fmt in TABLE_FORMATS:
            return _table_response(request, table, fetch, labels_of, fmt, headers)
        return _hydra_page(request, published, table, fetch(page, PER_PAGE), labels_of, fmt)

    return serve_document(request, published, spec, render, requested_format(request))


def _table_response(request: Request, table: ListingTable, fetch: FetchPage,
                    labels_of: LabelsOf, fmt: Format, headers: dict[str, str]) -> Response:
    first = fetch(1, CHUNK)  # before the response starts: a bad filter still answers 400
    if fmt is RESULTS_CSV:
        headers["Content-Disposition"] = f'attachment; filename="{table.name}.csv"'
    if request.method == "HEAD":
        return Response(b"", media_type=fmt.content_type, headers=headers)
    records = _records(table, first, fetch, labels_of)
    body = _csv(table, records) if fmt is RESULTS_CSV else _json(table, first.total, records)
    return StreamingResponse(body, media_type=fmt.content_type, headers=headers)


def _records(table: ListingTable, first: Page[Any], fetch: FetchPage,
             labels_of: LabelsOf) -> Iterator[list[dict[str, Any]]]:
    """The records of every page, a chunk at a time."""
    page = first
    while True:
        labels = labels_of([iri for row in page.items for iri in table.labelled(row)])
        yield [table.record(row, labels) for row in page.items]
        if not page.has_next:
            return
        page = fetch(page.number + 1, CHUNK)


def _csv(table: ListingTable, records: Iterator[list[dict[str, Any]]]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180
    writer.writerow([column.name for column in table.columns])
    for chunk in records:
        writer.writerows([_csv_cell(v) for v in record.values()] for record in chunk)
        yield buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode("utf-8")


def _csv_cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value


def _json(table: ListingTable, total: int, records: Iterator[list[dict[str, Any]]]
          ) -> Iterator[bytes]:
    head = {"listing": table.name, "title": table.title, "total": total,
            "columns": [column.name for column in table.columns]}
    yield (json.dumps(head, ensure_ascii=False)[:-1] + ', "items": [').encode("utf-8")
    first = True
    for chunk in records:
        parts = [json.dumps(record, ensure_ascii=False) for record in chunk]
        if parts:
            yield (("" if first else ",") + "\n" + ",\n".join(parts)).encode("utf-8")
            first = False
    yield b"\n]}\n"


def _page_iri(collection: str, number: int) -> URIRef:
    return URIRef(f"{collection}{'&' if '?' in collection else '?'}page={number}")


def _hydra_page(request: Request, published: PublishedBuild, table: ListingTable,
                page: Page[Any], labels_of: LabelsOf, fmt: Format) -> bytes:
    """One page of the listing as a hydra:Collection with its PartialCollectionView: the
    collection is the filtered listing (its URL without page), the view the page."""
    collection_url = listing_url(request, published.base, None)
    collection, view = URIRef(collection_url), _page_iri(collection_url, page.number)
    graph = Graph()
    graph.add((collection, RDF.type, HYDRA.Collection))
    graph.add((collection, RDFS.label, Literal(table.title, lang="en")))
    graph.add((collection, HYDRA.totalItems, Literal(page.total, datatype=XSD.integer)))
    graph.add((collection, HYDRA.view, view))
    graph.add((view, RDF.type, HYDRA.PartialCollectionView))
    graph.add((view, HYDRA.first, _page_iri(collection_url, 1)))
    graph.add((view, HYDRA.last, _page_iri(collection_url, page.pages)))
    if page.has_prev:
        graph.add((view, HYDRA.previous, _page_iri(collection_url, page.number - 1)))
    if page.has_next:
        graph.add((view, HYDRA.next, _page_iri(collection_url, page.number + 1)))
    labels = labels_of([iri for row in page.items for iri in table.labelled(row)])
    for row in page.items:
        graph.add((collection, HYDRA.member, row.iri))
        name = labels.get(row.iri)
        if name is not None:
            graph.add((row.iri, RDFS.label,
                       name if isinstance(name, Literal) else Literal(str(name))))
    return serialize_graph(graph, fmt, document_prefixes(published.base))
