"""The result formats of the SPARQL endpoint: one table, read by negotiation, the
service description, the query page's download links and the worker's serialisers.

Two kinds of results: ``solutions`` (SELECT, ASK) and ``graph`` (CONSTRUCT, DESCRIBE).
HTML is a third "format" of either kind, rendered by the web layer itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ogpgraph.web.negotiation import negotiate

Kind = Literal["solutions", "graph"]
W3C_FORMATS = "http://www.w3.org/ns/formats/"


@dataclass(frozen=True)
class ResultFormat:
    key: str  # the canonical ``format=`` value
    media_type: str  # what we send as Content-Type
    label: str
    kind: Kind | Literal["html"]
    extension: str
    w3c: str | None = None  # its IRI under http://www.w3.org/ns/formats/ (service description)
    names: tuple[str, ...] = ()  # other ``format=`` values meaning this format
    also_accepts: tuple[str, ...] = ()  # other media types a client may ask it by

    @property
    def w3c_iri(self) -> str | None:
        return f"{W3C_FORMATS}{self.w3c}" if self.w3c else None


SOLUTION_FORMATS: tuple[ResultFormat, ...] = (
    ResultFormat("json", "application/sparql-results+json", "SPARQL results JSON", "solutions",
                 "srj", "SPARQL_Results_JSON", ("srj",), ("application/json",)),
    ResultFormat("xml", "application/sparql-results+xml", "SPARQL results XML", "solutions",
                 "srx", "SPARQL_Results_XML", ("srx",), ("application/xml", "text/xml")),
    ResultFormat("csv", "text/csv", "CSV", "solutions", "csv", "SPARQL_Results_CSV"),
    ResultFormat("tsv", "text/tab-separated-values", "TSV", "solutions", "tsv",
                 "SPARQL_Results_TSV"),
)

GRAPH_FORMATS: tuple[ResultFormat, ...] = (
    ResultFormat("turtle", "text/turtle", "Turtle", "graph", "ttl", "Turtle",
                 ("ttl", "n3"), ("application/x-turtle", "text/n3")),
    ResultFormat("jsonld", "application/ld+json", "JSON-LD", "graph", "jsonld", "JSON-LD",
                 ("json-ld", "json"), ("application/json",)),
    ResultFormat("nt", "application/n-triples", "N-Triples", "graph", "nt", "N-Triples",
                 ("ntriples", "n-triples")),
    ResultFormat("rdfxml", "application/rdf+xml", "RDF/XML", "graph", "rdf", "RDF_XML",
                 ("rdf", "rdf+xml", "xml"), ("application/xml", "text/xml")),
    ResultFormat("nq", "application/n-quads", "N-Quads", "graph", "nq", "N-Quads",
                 ("nquads", "n-quads")),
    ResultFormat("trig", "application/trig", "TriG", "graph", "trig", "TriG"),
)

HTML = ResultFormat("html", "text/html", "HTML table", "html", "html",
                    also_accepts=("application/xhtml+xml",))

# The service description is a graph too; it is offered in these three.
DESCRIPTION_FORMATS: tuple[ResultFormat, ...] = tuple(
    f for f in GRAPH_FORMATS if f.key in ("turtle", "jsonld", "rdfxml"))

DEFAULT = {"solutions": SOLUTION_FORMATS[0], "graph": GRAPH_FORMATS[0]}


def formats_of(kind: Kind) -> tuple[ResultFormat, ...]:
    return SOLUTION_FORMATS if kind == "solutions" else GRAPH_FORMATS


class UnknownFormat(ValueError):
    """A ``format=`` value we do not know at all (400), as opposed to 406."""


def by_format_param(value: str, formats: tuple[ResultFormat, ...]) -> ResultFormat | None:
    """The format a ``format=`` value names among ``formats`` (HTML included), or None.

    Raises UnknownFormat when no format of any kind has that name.
    """
    wanted = value.strip().lower()
    for fmt in (HTML, *formats):
        if wanted in (fmt.key, fmt.media_type, *fmt.names, *fmt.also_accepts):
            return fmt
    for fmt in (*SOLUTION_FORMATS, *GRAPH_FORMATS):
        if wanted in (fmt.key, fmt.media_type, *fmt.names, *fmt.also_accepts):
            return None  # a real format, not of this kind: "not acceptable"
    raise UnknownFormat(value)


def by_accept(accept: str | None, formats: tuple[ResultFormat, ...], default: ResultFormat,
              html: bool = True) -> ResultFormat | None:
    """Content negotiation over ``formats`` (+ HTML): q-values, wildcards, specificity.

    HTML is offered first so that it loses ties (``*/*``, ``text/*``) to data formats.
    """
    offered: dict[str, ResultFormat] = {}
    if html:
        offered.update({media: HTML for media in (HTML.media_type, *HTML.also_accepts)})
    for fmt in formats:  # aliases before canonical types: equal matches go to the latter
        offered.update({media: fmt for media in fmt.also_accepts if media not in offered})
    for fmt in formats:
        offered[fmt.media_type] = fmt
    chosen = negotiate(accept, list(offered), default.media_type)
    return offered[chosen] if chosen else None


def available(formats: tuple[ResultFormat, ...]) -> str:
    """``application/sparql-results+json, ...`` for 406 messages."""
    return ", ".join([f.media_type for f in formats] + [HTML.media_type])
