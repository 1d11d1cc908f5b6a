"""Every format ogpgraph writes or reads, in one table: media types, file suffix, ``format=``
names and serialisers.

The SPARQL endpoint (result formats), the resource documents, the dumps, the service
description and the command line all look formats up here; a new format is one entry in
:data:`FORMATS`. The first media type of a format is the one we answer with; the others
are accepted from clients (``application/json`` asks for SPARQL JSON results of a SELECT
and for JSON-LD of a document).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import pyoxigraph as ox
from rdflib import Graph

from ogpgraph.graph.convert import to_oxigraph

FormatKind = Literal["graph", "dataset", "solutions", "html", "message", "table"]
W3C_FORMATS = "http://www.w3.org/ns/formats/"


@dataclass(frozen=True)
class Format:
    key: str  # canonical ``format=`` value and command-line name
    extension: str  # file suffix, and the extension of /doc/… URLs
    media_types: tuple[str, ...]  # the first is our Content-Type; all are accepted
    label: str
    kind: FormatKind  # "dataset": may hold named graphs (also writes a single graph)
    names: tuple[str, ...] = ()  # other ``format=`` values meaning this format
    oxigraph: ox.RdfFormat | ox.QueryResultsFormat | None = None
    rdflib: str | None = None  # rdflib's serialiser, for small documents
    w3c: str | None = None  # its name under http://www.w3.org/ns/formats/

    @property
    def media_type(self) -> str:
        return self.media_types[0]

    @property
    def content_type(self) -> str:
        """Content-Type with a charset for text formats (everything but gzip)."""
        return f"{self.media_type}; charset=utf-8"

    @property
    def is_rdf(self) -> bool:
        return self.kind in ("graph", "dataset")

    @property
    def w3c_iri(self) -> str | None:
        return f"{W3C_FORMATS}{self.w3c}" if self.w3c else None

    def is_named(self, value: str) -> bool:
        """``value`` (a ``format=`` parameter, a CLI option, a suffix) names this format."""
        wanted = value.strip().lower()
        return wanted in (self.key, self.extension, *self.names, *self.media_types)


HTML = Format("html", "html", ("text/html", "application/xhtml+xml"), "HTML", "html")
TURTLE = Format("turtle", "ttl", ("text/turtle", "application/x-turtle", "text/n3"), "Turtle",
                "graph", ("ttl", "n3"), ox.RdfFormat.TURTLE, "turtle", "Turtle")
JSONLD = Format("jsonld", "jsonld", ("application/ld+json", "application/json"), "JSON-LD",
                "graph", ("json-ld", "json"), ox.RdfFormat.JSON_LD, "json-ld", "JSON-LD")
NTRIPLES = Format("nt", "nt", ("application/n-triples",), "N-Triples", "graph",
                  ("ntriples", "n-triples"), ox.RdfFormat.N_TRIPLES, "nt", "N-Triples")
RDFXML = Format("rdfxml", "rdf", ("application/rdf+xml", "application/xml", "text/xml"),
                "RDF/XML", "graph", ("rdf", "rdf+xml", "xml"), ox.RdfFormat.RDF_XML, "xml",
                "RDF_XML")
NQUADS = Format("nq", "nq", ("application/n-quads",), "N-Quads", "dataset",
                ("nquads", "n-quads"), ox.RdfFormat.N_QUADS, "nquads", "N-Quads")
TRIG = Format("trig", "trig", ("application/trig",), "TriG", "dataset", (), ox.RdfFormat.TRIG,
              "trig", "TriG")
RESULTS_JSON = Format("json", "srj", ("application/sparql-results+json", "application/json"),
                      "SPARQL results JSON", "solutions", ("srj",),
                      ox.QueryResultsFormat.JSON, None, "SPARQL_Results_JSON")
RESULTS_XML = Format("xml", "srx", ("application/sparql-results+xml", "application/xml",
                                    "text/xml"), "SPARQL results XML", "solutions", ("srx",),
                     ox.QueryResultsFormat.XML, None, "SPARQL_Results_XML")
RESULTS_CSV = Format("csv", "csv", ("text/csv",), "CSV", "solutions", (),
                     ox.QueryResultsFormat.CSV, None, "SPARQL_Results_CSV")
RESULTS_TSV = Format("tsv", "tsv", ("text/tab-separated-values",), "TSV", "solutions", (),
                     ox.QueryResultsFormat.TSV, None, "SPARQL_Results_TSV")

# How an error explains itself to a program that reads neither HTML nor RDF (RFC 9457).
TEXT = Format("text", "txt", ("text/plain",), "Plain text", "message")
PROBLEM_JSON = Format("problem", "json", ("application/problem+json", "application/json"),
                      "Problem details (JSON)", "message")

# A listing of the browse pages as plain JSON (its CSV is the SPARQL CSV: a header, a row
# each). Not in FORMATS: its names would shadow the SPARQL results' ``json``.
TABLE_JSON = Format("table-json", "json", ("application/json",), "JSON", "table")

FORMATS: tuple[Format, ...] = (HTML, TURTLE, JSONLD, NTRIPLES, RDFXML, NQUADS, TRIG,
                               RESULTS_JSON, RESULTS_XML, RESULTS_CSV, RESULTS_TSV)

# Views of the table, by what each part of the system offers (derived, so a new entry in
# FORMATS reaches the endpoint, the documents and the CLI without another edit).
RDF_FORMATS: tuple[Format, ...] = ()
SOLUTION_FORMATS: tuple[Format, ...] = ()
GRAPH_RESULT_FORMATS: tuple[Format, ...] = ()  # CONSTRUCT/DESCRIBE answers (+ N-Quads, TriG)
DOCUMENT_FORMATS: tuple[Format, ...] = ()  # a resource or vocabulary document: HTML + graphs
DESCRIPTION_FORMATS = (TURTLE, JSONLD, RDFXML)  # the SPARQL service description
# a browse listing: the page, the whole filtered listing as a table, a page as hydra RDF
LISTING_FORMATS = (HTML, RESULTS_CSV, TABLE_JSON, TURTLE, JSONLD, NTRIPLES, RDFXML)


def derive_views() -> None:
    """(Re)compute the views above from :data:`FORMATS` (at import; tests that add an entry
    at run time call it before importing the modules that read the views)."""
    global RDF_FORMATS, SOLUTION_FORMATS, GRAPH_RESULT_FORMATS, DOCUMENT_FORMATS
    RDF_FORMATS = tuple(f for f in FORMATS if f.is_rdf)
    SOLUTION_FORMATS = tuple(f for f in FORMATS if f.kind == "solutions")
    GRAPH_RESULT_FORMATS = RDF_FORMATS
    DOCUMENT_FORMATS = (HTML, *(f for f in FORMATS if f.kind == "graph"))


derive_views()


class UnknownFormat(ValueError):
    """A name no format of the table has (as opposed to a real format not on offer)."""


def format_named(value: str, among: Iterable[Format] = FORMATS) -> Format:
    """The format of ``among`` that ``value`` names; UnknownFormat when none does."""
    wanted = value.strip().lower()
    for fmt in among:  # canonical keys and suffixes first: "xml" is SPARQL XML, not RDF/XML
        if wanted in (fmt.key, fmt.extension):
            return fmt
    for fmt in among:
        if fmt.is_named(wanted):
            return fmt
    raise UnknownFormat(value)


def format_of_suffix(suffix: str, among: Iterable[Format] = RDF_FORMATS) -> Format | None:
    """The format of a file suffix (``.ttl``), or None."""
    wanted = suffix.lower().lstrip(".")
    return next((fmt for fmt in among if fmt.extension == wanted), None)


def serialize_graph(graph: Graph, fmt: Format, prefixes: dict[str, str],
                    compact_jsonld: bool = True) -> bytes:
    """A small rdflib graph in ``fmt``, with our prefixes. JSON-LD is compacted against them
    (readable keys such as ``dcterms:title``, no remote context) unless ``compact_jsonld``
    is False (expanded, as embedded in a page: 0.7 ms rather than 2.2 ms a commitment)."""
    if fmt.rdflib is None:
        raise ValueError(f"{fmt.label} is not an RDF format")
    if fmt is JSONLD and compact_jsonld:
        return graph.serialize(format="json-ld", context=dict(prefixes), auto_compact=True,
                               encoding="utf-8", indent=2)
    if fmt in WRITTEN_BY_OXIGRAPH:
        return write_with_oxigraph(graph, fmt, prefixes)
    for prefix, namespace in prefixes.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph.serialize(format=fmt.rdflib, encoding="utf-8")


# Oxigraph (Rust) writes these ~5x faster than rdflib (a commitment's Turtle document:
# 0.9 vs 4.4 ms); RDF/XML stays with rdflib, whose output nests readably.
WRITTEN_BY_OXIGRAPH = (TURTLE, NTRIPLES, JSONLD)
_PLAIN_LOCAL_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*")


def write_with_oxigraph(graph: Graph, fmt: Format, prefixes: dict[str, str]) -> bytes:
    """``graph`` in ``fmt`` by Oxigraph: statements in a stable order (subject, predicate,
    object), so that a subject's statements are written together; only the prefixes that
    shorten an IRI without escapes (``id:milestone\\/PE0055-1`` is valid Turtle, but
    unreadable: such IRIs are written whole)."""
    triples = sorted((ox.Triple(*map(to_oxigraph, t)) for t in graph),
                     key=lambda t: (t.subject.value, t.predicate.value, str(t.object)))
    used = _plain_prefixes(triples, prefixes) if fmt is TURTLE else None
    return ox.serialize(triples, format=fmt.oxigraph, prefixes=used) or b""


def _plain_prefixes(triples: Iterable[ox.Triple], prefixes: dict[str, str]
                    ) -> dict[str, str]:
    """The prefixes some IRI of ``triples`` uses and none would need an escape with."""
    iris = {term.value for triple in triples for term in triple
            if isinstance(term, ox.NamedNode)}
    iris |= {t.object.datatype.value for t in triples if isinstance(t.object, ox.Literal)}
    kept: dict[str, str] = {}
    for prefix, namespace in prefixes.items():
        locals_ = [iri[len(namespace):] for iri in iris if iri.startswith(namespace)]
        if locals_ and all(_PLAIN_LOCAL_NAME.fullmatch(name) for name in locals_):
            kept[prefix] = namespace
    return kept
