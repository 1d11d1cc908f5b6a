"""The ontology, the SKOS vocabularies, the SHACL shapes and the build's validation report,
each at its own URI with HTML for people and RDF for programs.

Following the W3C "Best Practice Recipes for Publishing RDF Vocabularies", recipe 3 (hash
namespace, several representations): ``{base}ontology#Term`` is served by ``/ontology``
(the fragment never reaches the server). Content negotiation is *direct* rather than a 303
— ``/ontology`` names a document, not a thing — with ``Vary: Accept``, ``Content-Location``
naming the chosen variant and ``Link`` headers to the others, each of which also has its
own URL (``/ontology.html``, ``.ttl``, ``.jsonld``, ``.nt``, ``.rdf``). The four documents
are one table, :data:`SCHEMA_DOCUMENTS`, served by the one document flow.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request, Response
from rdflib import Graph, URIRef

from ogpgraph.graph.formats import DOCUMENT_FORMATS, Format, serialize_graph
from ogpgraph.graph.static_files import ONTOLOGY_FILE, SHAPES_FILE, VOCABULARIES_FILE, load_graph
from ogpgraph.graph.terms import SH, SPDX, prefixes_for
from ogpgraph.web.browse_listings import BrowseService
from ogpgraph.web.documents import DocumentSpec, serve_document
from ogpgraph.web.errors import HttpProblem
from ogpgraph.web.published import Published, PublishedBuild
from ogpgraph.web.reader_labels import fetch_labels, reader_lang
from ogpgraph.web.schema_views import ontology_doc, report_doc, shapes_doc
from ogpgraph.web.templating import render

router = APIRouter()
BY_EXTENSION = {fmt.extension: fmt for fmt in DOCUMENT_FORMATS}


def prefixes(base: str) -> dict[str, str]:
    return {**prefixes_for(base), "sh": str(SH), "spdx": str(SPDX), "ogpsh": f"{base}shapes#"}


def curie_function(base: str) -> Callable[[object], str]:
    namespaces = sorted(prefixes(base).items(), key=lambda kv: -len(kv[1]))

    def curie(iri: object) -> str:
        text = str(iri)
        for prefix, namespace in namespaces:
            if text.startswith(namespace) and len(text) > len(namespace):
                return f"{prefix}:{text[len(namespace):]}"
        return text

    return curie


# --- what each document is: its graph, its HTML template and context ------------------------

def static_graph(path: Path) -> Callable[[PublishedBuild], Graph | None]:
    return lambda published: load_graph(path, published.base)


def validation_graph(published: PublishedBuild) -> Graph | None:
    layout = published.layout
    if layout is None or not layout.validation_report.is_file():
        return None
    return published.memo("validation-report", lambda: Graph().parse(
        layout.validation_report, format="turtle"))


def ontology_context(request: Request, published: PublishedBuild) -> dict[str, Any]:
    doc = ontology_doc(load_graph(ONTOLOGY_FILE, published.base), published)
    examples = [e for t in (*doc.classes, *doc.properties) for e in t.examples]
    jsonld = {"@context": {"owl": "http://www.w3.org/2002/07/owl#",
                           "dcterms": "http://purl.org/dc/terms/"},
              "@id": str(doc.iri), "@type": "owl:Ontology", "dcterms:title": doc.title,
              "dcterms:description": doc.description}
    return {"doc": doc, "labels": fetch_labels(published.store, examples, reader_lang(request)),
            "curie": curie_function(published.base), "jsonld": jsonld}


def vocabularies_context(request: Request, published: PublishedBuild) -> dict[str, Any]:
    base = published.base
    service = BrowseService(published.store, base, published.listings)
    schemes = []
    for scheme in service.schemes():
        key = str(scheme)[len(f"{base}id/"):]
        if "/" in key or not key:
            continue
        schemes.append({"iri": scheme, "key": key, "concepts": service.concepts(key),
                        "filter_param": "policy_area" if key == "policy-area" else None})
    iris: list[URIRef] = [s["iri"] for s in schemes]
    iris += [c.iri for s in schemes for c in s["concepts"]]
    return {"heading": "Controlled vocabularies", "schemes": schemes, "uses_label": "Used by",
            "labels": fetch_labels(published.store, iris, reader_lang(request))}


def shapes_context(request: Request, published: PublishedBuild) -> dict[str, Any]:
    curie = curie_function(published.base)
    return {"shapes": shapes_doc(load_graph(SHAPES_FILE, published.base), curie),
            "curie": curie}


def report_context(request: Request, published: PublishedBuild) -> dict[str, Any]:
    curie = curie_function(published.base)
    report = report_doc(validation_graph(published), curie)
    focus = [r.focus for r in report.results if isinstance(r.focus, URIRef)]
    return {"report": report, "curie": curie, "manifest": published.manifest,
            "labels": fetch_labels(published.store, focus, reader_lang(request))}


@dataclass(frozen=True)
class SchemaDocument:
    name: str  # served at /{name} and /{name}.{extension}
    template: str
    context: Callable[[Request, PublishedBuild], dict[str, Any]]
    graph: Callable[[PublishedBuild], Graph | None]


SCHEMA_DOCUMENTS = (
    SchemaDocument("ontology", "ontology.html", ontology_context, static_graph(ONTOLOGY_FILE)),
    SchemaDocument("vocabularies", "scheme.html", vocabularies_context,
                   static_graph(VOCABULARIES_FILE)),
    SchemaDocument("shapes", "shapes.html", shapes_context, static_graph(SHAPES_FILE)),
    SchemaDocument("validation-report", "validation_report.html", report_context,
                   validation_graph),
)


# --- serving them ---------------------------------------------------------------------------

def serve_schema_document(document: SchemaDocument, request: Request,
                          published: PublishedBuild, fixed: Format | None) -> Response:
    base = published.base
    spec = DocumentSpec(url=lambda fmt: f"{base}{document.name}.{fmt.extension}")
    graph = document.graph(published)

    def body(fmt: Format, headers: dict[str, str]) -> bytes | Response:
        if not fmt.is_rdf:
            alternates = [{"href": spec.url(f), "type": f.media_type, "label": f.label}
                          for f in spec.formats if f.is_rdf and graph is not None]
            return render(request, document.template, headers=headers,
                          alternates=alternates, **document.context(request, published))
        if graph is None:
            raise HttpProblem(404, f"this build has no {document.name}")
        return published.memo(f"{document.name}.{fmt.extension}", lambda: serialize_graph(
            _copy(graph), fmt, prefixes(base)))

    return serve_document(request, published, spec, body, fixed)


def _copy(graph: Graph) -> Graph:
    """A copy to bind prefixes on: the parsed graphs are shared and must not change."""
    copy = Graph()
    for triple in graph:
        copy.add(triple)
    return copy


def _register(document: SchemaDocument) -> None:
    def negotiated(request: Request, published: Published) -> Response:
        return serve_schema_document(document, request, published, None)

    def in_format(extension: str, request: Request, published: Published) -> Response:
        fmt = BY_EXTENSION.get(extension)
        if fmt is None:
            raise HttpProblem(404, f"/{document.name} has no .{extension} variant; it has "
                                   + ", ".join(f".{f.extension}" for f in DOCUMENT_FORMATS))
        return serve_schema_document(document, request, published, fmt)

    for route, view in ((f"/{document.name}", negotiated),
                        (f"/{document.name}.{{extension}}", in_format)):
        router.add_api_route(route, view, methods=["GET", "HEAD"], include_in_schema=False)


for _document in SCHEMA_DOCUMENTS:
    _register(_document)


@router.api_route("/graph/{name}", methods=["GET", "HEAD"], include_in_schema=False)
def named_graph(name: str, request: Request, published: Published) -> Response:
    """The named graphs that are not sources (``{base}graph/ontology``, ``…/vocabularies``)
    dereference like every IRI the dataset mints: 303 to the document of their content."""
    iri = f"{published.base}graph/{name}"
    graphs = {graph for graph, _ in published.manifest.get("graph_triples", [])}
    document = next((d for d in SCHEMA_DOCUMENTS if d.name == name), None)
    if document is None or (graphs and iri not in graphs):
        raise HttpProblem(404, f"no named graph {iri} in this dataset")
    return Response(status_code=303, headers={
        "Location": f"{published.base}{document.name}", "Vary": "Accept",
        "Cache-Control": "public, max-age=3600"})
