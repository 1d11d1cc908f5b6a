"""The document formats of a resource: each declares its extension and the media types it
produces (first = the one it answers with), so negotiation is a table look-up.

HTML is listed too (its renderer is the template layer); the RDF formats render with rdflib.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rdflib import Graph

Renderer = Callable[[Graph, dict[str, str]], bytes]


def _rdflib(fmt: str, **options: object) -> Renderer:
    def render(graph: Graph, prefixes: dict[str, str]) -> bytes:
        for prefix, namespace in prefixes.items():
            graph.bind(prefix, namespace, override=True, replace=True)
        return graph.serialize(format=fmt, encoding="utf-8", **options)

    return render


def _jsonld(graph: Graph, prefixes: dict[str, str]) -> bytes:
    # Compact against our prefixes: readable keys ("dcterms:title") without a remote context.
    return graph.serialize(format="json-ld", context=dict(prefixes), auto_compact=True,
                           encoding="utf-8", indent=2)


@dataclass(frozen=True)
class DocumentFormat:
    extension: str
    media_types: tuple[str, ...]  # the first is the Content-Type we answer with
    label: str
    render: Renderer | None  # None: rendered from templates (HTML)
    charset: bool = True  # append "; charset=utf-8" to Content-Type

    @property
    def media_type(self) -> str:
        return self.media_types[0]

    @property
    def content_type(self) -> str:
        return f"{self.media_type}; charset=utf-8" if self.charset else self.media_type

    @property
    def is_rdf(self) -> bool:
        return self.render is not None


HTML = DocumentFormat("html", ("text/html", "application/xhtml+xml"), "HTML", None)
TURTLE = DocumentFormat("ttl", ("text/turtle", "application/x-turtle"), "Turtle",
                        _rdflib("turtle"))
JSONLD = DocumentFormat("jsonld", ("application/ld+json", "application/json"), "JSON-LD", _jsonld)
NTRIPLES = DocumentFormat("nt", ("application/n-triples",), "N-Triples", _rdflib("nt"))
RDFXML = DocumentFormat("rdf", ("application/rdf+xml",), "RDF/XML", _rdflib("xml"))

DOCUMENT_FORMATS: tuple[DocumentFormat, ...] = (HTML, TURTLE, JSONLD, NTRIPLES, RDFXML)
RDF_FORMATS: tuple[DocumentFormat, ...] = tuple(f for f in DOCUMENT_FORMATS if f.is_rdf)
DEFAULT_FORMAT = TURTLE  # for */* and a missing Accept: machines ask without saying

BY_EXTENSION: dict[str, DocumentFormat] = {f.extension: f for f in DOCUMENT_FORMATS}
BY_MEDIA_TYPE: dict[str, DocumentFormat] = {
    media: f for f in DOCUMENT_FORMATS for media in f.media_types
}
OFFERED: tuple[str, ...] = tuple(BY_MEDIA_TYPE)
