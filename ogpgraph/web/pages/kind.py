"""What a page kind is, and what its view is given and returns."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from rdflib import Graph, Namespace, URIRef
from rdflib.term import Node

from ogpgraph.web.published import PublishedBuild

HTML_PAGE_SIZE = 100  # incoming links / listed commitments per HTML page


@dataclass(frozen=True)
class Target:
    """What a request path names: ``institution`` + ``peru/proetica``; ``policy-area`` + ''."""

    kind: str
    key: str

    @property
    def path(self) -> str:
        return f"{self.kind}/{self.key}" if self.key else self.kind


@dataclass(frozen=True)
class PageContext:
    """Everything a view may use: the build, the resource and its RDF document."""

    published: PublishedBuild
    target: Target
    iri: URIRef
    graph: Graph  # the resource's document (its triples, owned nodes, labels of links)
    types: frozenset[Node]
    page: int
    lang: str

    @property
    def base(self) -> str:
        return self.published.base

    @property
    def ogp(self) -> Namespace:
        return Namespace(f"{self.base}ontology#")


@dataclass
class PageView:
    """A view's template context, and the IRIs it shows that the document lacks labels for."""

    context: dict[str, Any] = field(default_factory=dict)
    labelled: set[Node] = field(default_factory=set)


View = Callable[[PageContext], PageView]


@dataclass(frozen=True)
class PageKind:
    kind: str  # the URI scheme's segment: id/{kind}/...
    segments: int  # key segments after the kind (an institution has two: member/slug)
    template: str = "resource.html"
    view: View | None = None  # None: the generic resource page
    canonical: Callable[[str], str] | None = None  # the key's canonical spelling (case)

    def view_of(self, ctx: PageContext) -> PageView:
        return self.view(ctx) if self.view is not None else PageView()


def pager(page: int, total: int, size: int = HTML_PAGE_SIZE) -> dict[str, int]:
    return {"page": page, "pages": max(1, -(-total // size)), "total": total, "size": size}


def rows_iris(rows: list[dict[str, Node]]) -> set[Node]:
    return {v for row in rows for v in row.values() if isinstance(v, URIRef)}


def props_of(graph: Graph, subject: Node, skip: tuple[URIRef, ...] = ()
             ) -> list[tuple[URIRef, list[Node]]]:
    """The subject's properties and their values, both sorted (a stable page)."""
    grouped: dict[URIRef, list[Node]] = defaultdict(list)
    for p, o in graph.predicate_objects(subject):
        if p not in skip:
            grouped[p].append(o)
    return sorted(((p, sorted(v, key=str)) for p, v in grouped.items()), key=lambda x: str(x[0]))
