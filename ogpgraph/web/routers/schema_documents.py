"""The ontology, the SKOS vocabularies, the SHACL shapes and the build's validation report,
each at its own URI with HTML for people and RDF for programs.

Following the W3C "Best Practice Recipes for Publishing RDF Vocabularies", recipe 3 (hash
namespace, several representations): ``{base}ontology#Term`` is served by ``/ontology``
(the fragment never reaches the server). We use *direct* content negotiation rather than a
303 redirect — ``/ontology`` names a document, not a thing, so a 200 is correct, and it saves
a round trip: the response carries ``Vary: Accept``, ``Content-Location`` naming the chosen
variant (``/ontology.ttl`` …) and ``Link`` headers to the other variants, each of which also
has its own URL (``/ontology.html``, ``.ttl``, ``.jsonld``, ``.nt``, ``.rdf``).
Browsers (``text/html`` preferred) get HTML; no Accept or ``*/*`` gets Turtle; an Accept
nothing satisfies gets 406.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request, Response
from rdflib import Graph, URIRef

from ogpgraph.graph.static_files import (
    ONTOLOGY_FILE,
    SHAPES_FILE,
    VOCABULARIES_FILE,
    load_graph,
)
from ogpgraph.graph.terms import SH, SPDX, prefixes_for
from ogpgraph.web.dataset_description import per_build
from ogpgraph.web.http_cache import finish, not_modified, validators
from ogpgraph.web.negotiation import negotiate
from ogpgraph.web.published import PublishedBuild
from ogpgraph.web.rdf_formats import (
    BY_EXTENSION,
    BY_MEDIA_TYPE,
    DOCUMENT_FORMATS,
    HTML,
    TURTLE,
    DocumentFormat,
)
from ogpgraph.web.reader_labels import fetch_labels, reader_lang
from ogpgraph.web.routers.browse import Published, html_page, service
from ogpgraph.web.schema_views import ontology_doc, report_doc, shapes_doc

router = APIRouter()

HtmlView = Callable[[Request, PublishedBuild], Response]
GraphOf = Callable[[PublishedBuild], Graph | None]


def prefixes(base: str) -> dict[str, str]:
    return {**prefixes_for(base), "sh": str(SH), "spdx": str(SPDX),
            "ogpsh": f"{base}shapes#"}


def curie_function(base: str) -> Callable[[object], str]:
    namespaces = sorted(prefixes(base).items(), key=lambda kv: -len(kv[1]))

    def curie(iri: object) -> str:
        text = str(iri)
        for prefix, namespace in namespaces:
            if text.startswith(namespace) and len(text) > len(namespace):
                return f"{prefix}:{text[len(namespace):]}"
        return text

    return curie


@lru_cache(maxsize=64)
def _serialized_file(path: Path, base: str, extension: str) -> bytes:
    """A static RDF file, rebased and rendered in one format (the parsed graph is shared and
    must not be modified, so it is copied once per format)."""
    copy = Graph()
    for triple in load_graph(path, base):
        copy.add(triple)
    return BY_EXTENSION[extension].render(copy, prefixes(base))


def validation_graph(published: PublishedBuild) -> Graph | None:
    layout = published.layout
    if layout is None or not layout.validation_report.is_file():
        return None

    def parse() -> Graph:
        graph = Graph()
        graph.parse(layout.validation_report, format="turtle")
        return graph

    return per_build(published, "validation-report", parse)


def _alternate_links(base: str, name: str) -> str:
    return ", ".join(f'<{base}{name}.{f.extension}>; rel="alternate"; type="{f.media_type}"'
                     for f in DOCUMENT_FORMATS)


def serve(request: Request, published: PublishedBuild, name: str, html: HtmlView,
          rdf: Callable[[DocumentFormat], bytes | None], fmt: DocumentFormat | None) -> Response:
    """One document ``/{name}``: negotiated when ``fmt`` is None, else that format."""
    base = published.base
    negotiated = fmt is None
    if fmt is None:
        offered = [m for f in DOCUMENT_FORMATS for m in f.media_types]
        chosen = negotiate(request.headers.get("accept"), offered, TURTLE.media_type)
        if chosen is None:
            return Response(
                f"Not acceptable. /{name} is available as: "
                + ", ".join(f"{f.media_type} (/{name}.{f.extension})" for f in DOCUMENT_FORMATS),
                status_code=406, media_type="text/plain",
                headers={"Vary": "Accept", "Link": _alternate_links(base, name)})
        fmt = BY_MEDIA_TYPE[chosen]
    extra = {"Link": _alternate_links(base, name)}
    if negotiated:
        extra["Content-Location"] = f"{base}{name}.{fmt.extension}"
    if fmt is HTML:
        response = html(request, published)
        if negotiated:
            response.headers["Vary"] = "Accept, Accept-Language"
        for key, value in extra.items():
            response.headers[key] = value
        return response
    headers = {**validators(published, f"/{name}", fmt.media_type), **extra}
    if negotiated:
        headers["Vary"] = "Accept"
    if (hit := not_modified(request, headers)) is not None:
        return hit
    body = rdf(fmt)
    if body is None:
        raise HTTPException(404, f"this build has no {name}")
    return finish(request, Response(body, media_type=fmt.content_type, headers=headers))


def _format(extension: str) -> DocumentFormat:
    fmt = BY_EXTENSION.get(extension)
    if fmt is None:
        raise HTTPException(404, f"unknown format .{extension}")
    return fmt


def _alternates(base: str, name: str) -> list[dict[str, str]]:
    return [{"href": f"{base}{name}.{f.extension}", "type": f.media_type, "label": f.label}
            for f in DOCUMENT_FORMATS if f.is_rdf]


# --- ontology -------------------------------------------------------------------------------

def ontology_html(request: Request, published: PublishedBuild) -> Response:
    base = published.base
    doc = ontology_doc(load_graph(ONTOLOGY_FILE, base), published)
    examples = [e for t in (*doc.classes, *doc.properties) for e in t.examples]
    labels = fetch_labels(published.store, examples, reader_lang(request))
    jsonld = {"@context": {"owl": "http://www.w3.org/2002/07/owl#",
                           "dcterms": "http://purl.org/dc/terms/"},
              "@id": str(doc.iri), "@type": "owl:Ontology", "dcterms:title": doc.title,
              "dcterms:description": doc.description}
    return html_page(request, published, "ontology.html", doc=doc, labels=labels,
                     curie=curie_function(base), jsonld=jsonld,
                     alternates=_alternates(base, "ontology"))


def _static_rdf(path: Path, published: PublishedBuild) -> Callable[[DocumentFormat], bytes]:
    return lambda fmt: _serialized_file(path, published.base, fmt.extension)




# --- vocabularies ---------------------------------------------------------------------------

def vocabularies_html(request: Request, published: PublishedBuild) -> Response:
    base = published.base
    svc = service(published)
    schemes = []
    for scheme in svc.schemes():
        key = str(scheme)[len(f"{base}id/"):]
        if "/" in key or not key:
            continue
        concepts = svc.concepts(key)
        schemes.append({"iri": scheme, "key": key, "concepts": concepts,
                        "filter_param": "policy_area" if key == "policy-area" else None})
    iris: list[URIRef] = [s["iri"] for s in schemes]
    iris += [c.iri for s in schemes for c in s["concepts"]]
    labels = fetch_labels(published.store, iris, reader_lang(request))
    return html_page(request, published, "scheme.html", heading="Controlled vocabularies",
                     schemes=schemes, labels=labels, uses_label="Used by",
                     alternates=_alternates(base, "vocabularies"))




# --- shapes ---------------------------------------------------------------------------------

def shapes_html(request: Request, published: PublishedBuild) -> Response:
    base = published.base
    curie = curie_function(base)
    shapes = shapes_doc(load_graph(SHAPES_FILE, base), curie)
    return html_page(request, published, "shapes.html", shapes=shapes, curie=curie,
                     alternates=_alternates(base, "shapes"))




def _register_static_document(name: str, html: HtmlView, path: Path) -> None:
    """``/{name}`` by content negotiation and ``/{name}.{ext}`` in one format."""

    def document(request: Request, published: Published) -> Response:
        return serve(request, published, name, html, _static_rdf(path, published), None)

    def document_as(extension: str, request: Request, published: Published) -> Response:
        return serve(request, published, name, html, _static_rdf(path, published),
                     _format(extension))

    for route, view in ((f"/{name}", document), (f"/{name}.{{extension}}", document_as)):
        router.add_api_route(route, view, methods=["GET", "HEAD"], include_in_schema=False)


for _name, _html, _path in (("ontology", ontology_html, ONTOLOGY_FILE),
                            ("vocabularies", vocabularies_html, VOCABULARIES_FILE),
                            ("shapes", shapes_html, SHAPES_FILE)):
    _register_static_document(_name, _html, _path)


# --- validation report ----------------------------------------------------------------------

def report_html(request: Request, published: PublishedBuild) -> Response:
    base = published.base
    curie = curie_function(base)
    report = report_doc(validation_graph(published), curie)
    focus = [r.focus for r in report.results if isinstance(r.focus, URIRef)]
    labels = fetch_labels(published.store, focus, reader_lang(request))
    alternates = _alternates(base, "validation-report") if report.present else []
    return html_page(request, published, "validation_report.html", report=report,
                     labels=labels, curie=curie, manifest=published.manifest,
                     alternates=alternates)


def _report_rdf(published: PublishedBuild) -> Callable[[DocumentFormat], bytes | None]:
    def render(fmt: DocumentFormat) -> bytes | None:
        graph = validation_graph(published)
        if graph is None:
            return None

        def serialise() -> bytes:
            copy = Graph()
            for triple in graph:
                copy.add(triple)
            return fmt.render(copy, prefixes(published.base))

        return per_build(published, f"validation-report.{fmt.extension}", serialise)

    return render


@router.api_route("/validation-report", methods=["GET", "HEAD"], include_in_schema=False)
def validation_report(request: Request, published: Published) -> Response:
    return serve(request, published, "validation-report", report_html,
                 _report_rdf(published), None)


@router.api_route("/validation-report.{extension}", methods=["GET", "HEAD"],
                  include_in_schema=False)
def validation_report_as(extension: str, request: Request, published: Published) -> Response:
    return serve(request, published, "validation-report", report_html,
                 _report_rdf(published), _format(extension))
