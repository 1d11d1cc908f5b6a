"""A resource's HTML page: its RDF document, its kind's view, labels, the template."""

from __future__ import annotations

from typing import Any

from fastapi import Request, Response
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF
from rdflib.term import Node

from ogpgraph.graph.formats import HTML, JSONLD, serialize_graph
from ogpgraph.graph.labels import pick_literal
from ogpgraph.web.documents import DocumentSpec
from ogpgraph.web.pages.kind import HTML_PAGE_SIZE, PageContext, Target, pager, props_of
from ogpgraph.web.pages.registry import page_kind
from ogpgraph.web.published import PublishedBuild
from ogpgraph.web.reader_labels import document_labels, fallback_label, ontology_labels
from ogpgraph.web.resource_document import build_document, document_prefixes
from ogpgraph.web.templating import render


def incoming_of(graph: Any, iri: URIRef) -> list[tuple[URIRef, list[Node]]]:
    grouped: dict[URIRef, list[Node]] = {}
    for s, p in graph.subject_predicates(iri):
        if p != FOAF.primaryTopic:  # the document's own description, not a link in the data
            grouped.setdefault(p, []).append(s)
    return sorted(((p, sorted(v, key=str)) for p, v in grouped.items()), key=lambda x: str(x[0]))


def html_page(request: Request, published: PublishedBuild, spec: DocumentSpec, target: Target,
              iri: URIRef, page: int, lang: str, headers: dict[str, str]) -> Response:
    html_url = spec.url(HTML)
    doc = build_document(published.store, published.base, iri, html_url, published.built_at,
                         page, incoming_cap=HTML_PAGE_SIZE)
    graph = doc.graph
    types = frozenset(graph.objects(iri, RDF.type))
    kind = page_kind(target)
    ctx = PageContext(published, target, iri, graph, types, page, lang)
    view = kind.view_of(ctx)
    wanted = set(graph.all_nodes()) | set(graph.predicates()) | view.labelled
    labels = document_labels(published.store, graph, wanted, lang, published.label_cache,
                             doc.looked_up, doc.source_labels)
    # our ontology's terms from the ontology file where the store lacks them (a store
    # loaded without the ontology graph): headings and property names in the reader's language
    labels.update(ontology_labels(published.base, wanted - labels.keys(), lang))
    title = (pick_literal(graph.objects(iri, DCTERMS.title), lang) or labels.get(iri)
             or Literal(fallback_label(str(iri))))
    context: dict[str, Any] = {
        "iri": iri, "target": target, "doc": doc, "graph": graph, "labels": labels,
        "title": title, "types": sorted(types, key=str), "canonical": html_url,
        "alternates": [{"href": spec.url(f), "type": f.media_type, "label": f.label}
                       for f in spec.formats if f.is_rdf],
        "ogp": ctx.ogp,
        "jsonld": serialize_graph(graph, JSONLD, document_prefixes(published.base),
                                  compact_jsonld=False).decode("utf-8"),
        "props": props_of(graph, iri, skip=(RDF.type,)),
        "incoming": incoming_of(graph, iri),
        "incoming_pager": pager(page, doc.incoming_total),
        "page_url": html_url,
        **view.context,
    }
    return render(request, kind.template, headers=headers, **context)
