"""The change history for pages: the history index of the published release, changes as
view models (terms for the ``term`` filter, source titles), the Atom feed, and the
``resource_history(iri)`` template function the ``_history.html`` section calls."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode
from xml.etree import ElementTree as ET

from jinja2 import pass_context
from jinja2.runtime import Context
from rdflib import URIRef
from rdflib.term import Node

from ogpgraph.graph.convert import to_rdflib
from ogpgraph.release.history.diff import parse_term
from ogpgraph.release.history.iris import HistoryIris
from ogpgraph.release.history.layout import HistoryLayout
from ogpgraph.release.history.model import iso_time
from ogpgraph.release.history.queries import ChangeFilter, ChangeRow, HistoryIndex
from ogpgraph.web.published import PublishedBuild
from ogpgraph.web.templating import doc_href, env

ATOM = "http://www.w3.org/2005/Atom"
FEED_ENTRIES = 50
RESOURCE_HISTORY_ENTRIES = 5
KIND_WORDS = {"added": "added", "removed": "removed", "modified": "changed"}


def history_index(published: PublishedBuild) -> HistoryIndex | None:
    """The release's history database, or None (a release of an earlier version, tests'
    in-memory stores)."""
    def load() -> HistoryIndex | None:
        if published.layout is None:
            return None
        path = HistoryLayout(published.layout.root).database
        try:
            return HistoryIndex(path) if path.is_file() else None
        except (ValueError, KeyError):
            return None
    return published.memo("history-index", load)


def term(value: str) -> Node:
    return to_rdflib(parse_term(value))


@dataclass(frozen=True)
class PropertyView:
    property: URIRef
    old: list[Node]
    new: list[Node]
    removed: list[Node]
    added: list[Node]
    old_sources: list[str]
    new_sources: list[str]


@dataclass(frozen=True)
class ChangeView:
    row: ChangeRow
    iri: str  # the change's own IRI
    resource: URIRef
    member: URIRef | None
    properties: list[PropertyView]
    new_sources: list[str]
    old_sources: list[str]

    @property
    def verb(self) -> str:
        return KIND_WORDS[self.row.kind]


def change_views(rows: list[ChangeRow], base: str, titles: Mapping[str, str]) -> list[ChangeView]:
    iris = HistoryIris(base)

    def named(sources: list[str]) -> list[str]:
        return [titles.get(s, s) for s in sources]

    return [ChangeView(
        row=row, iri=iris.change(row.release, row.resource), resource=URIRef(row.resource),
        member=URIRef(row.member) if row.member else None,
        properties=[PropertyView(URIRef(p.property), [term(v) for v in p.old],
                                 [term(v) for v in p.new], [term(v) for v in p.removed],
                                 [term(v) for v in p.added], named(p.old_sources),
                                 named(p.new_sources)) for p in row.properties],
        new_sources=named(row.new_sources), old_sources=named(row.old_sources))
        for row in rows]


def change_page_url(base: str, row: ChangeRow) -> str:
    """The HTML page of one change: the change list filtered to it."""
    return f"{base}changes?" + urlencode({"release": row.release, "resource": row.resource})


def linked_iris(views: list[ChangeView]) -> set[Node]:
    """Every IRI a list of changes shows, for one label look-up."""
    found: set[Node] = set()
    for view in views:
        found.add(view.resource)
        if view.member is not None:
            found.add(view.member)
        for prop in view.properties:
            found.add(prop.property)
            found.update(v for v in (*prop.old, *prop.new) if isinstance(v, URIRef))
    return found


@pass_context
def resource_history(ctx: Context, iri: Any) -> list[ChangeView]:
    """The last changes of ``iri`` (newest first), for the resource pages."""
    request = ctx.get("request")
    published = getattr(getattr(request, "app", None), "state", None)
    published = getattr(published, "published", None)
    if published is None or (index := history_index(published)) is None:
        return []
    rows = index.changes(ChangeFilter(resource=str(iri)), RESOURCE_HISTORY_ENTRIES)
    return change_views(rows, published.base, index.source_titles())


env.globals["resource_history"] = resource_history


# --- the Atom feed ---------------------------------------------------------------------------

def value_text(values: list[Node], labels: dict[Any, Any]) -> str:
    return ", ".join(str(labels.get(v, v)) for v in values) or "nothing"


def entry_summary(view: ChangeView, labels: dict[Any, Any]) -> str:
    if view.row.kind != "modified":
        sources = view.new_sources or view.old_sources
        return f"{view.row.label} was {view.verb}" + (
            f" (source: {', '.join(sources)})" if sources else "") + "."
    parts = [f"{labels.get(p.property, p.property)}: {value_text(p.old, labels)} → "
             f"{value_text(p.new, labels)}"
             + (f" (source: {', '.join(p.new_sources or p.old_sources)})"
                if p.new_sources or p.old_sources else "")
             for p in view.properties]
    return "; ".join(parts) + "."


def atom_feed(views: list[ChangeView], labels: dict[Any, Any], *, base: str, feed_url: str,
              page_url: str, title: str, updated: str) -> bytes:
    """An Atom 1.0 feed (RFC 4287): one entry per change, newest first."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    add = ET.SubElement

    def text(parent: ET.Element, name: str, value: str, **attrs: str) -> ET.Element:
        element = add(parent, f"{{{ATOM}}}{name}", attrs)
        element.text = value
        return element

    text(feed, "id", feed_url)
    text(feed, "title", title)
    text(feed, "updated", updated)
    add(feed, f"{{{ATOM}}}link", {"rel": "self", "href": feed_url,
                                  "type": "application/atom+xml"})
    add(feed, f"{{{ATOM}}}link", {"rel": "alternate", "href": page_url, "type": "text/html"})
    author = add(feed, f"{{{ATOM}}}author")
    text(author, "name", "ogpgraph")
    text(author, "uri", base)
    for view in views:
        entry = add(feed, f"{{{ATOM}}}entry")
        text(entry, "id", view.iri)
        kind = str(view.row.resource_kind).replace("-", " ")
        text(entry, "title", f"{kind.capitalize()} {view.verb}: {view.row.label}")
        text(entry, "updated", iso_time(view.row.timestamp))
        add(entry, f"{{{ATOM}}}link", {"rel": "alternate", "type": "text/html",
                                       "href": change_page_url(base, view.row)})
        if view.row.kind != "removed":
            add(entry, f"{{{ATOM}}}link", {"rel": "related", "type": "text/html",
                                           "href": doc_href(view.row.resource, base)})
        add(entry, f"{{{ATOM}}}category", {"term": view.row.kind})
        text(entry, "summary", entry_summary(view, labels))
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
