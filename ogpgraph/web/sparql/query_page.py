"""The query page: the form, the examples, the limits, and a result as an HTML table.

With JavaScript off it is a plain form that GETs ``/sparql``; results (and errors) come
back on the same page, with links to the same result in every data format. With JavaScript
on, and YASGUI installed (``make install``, from npm: :mod:`ogpgraph.web.web_assets`), the
editor takes the form's place (``static/sparql-editor.js``): syntax highlighting, completion
of our prefixes and terms, the examples one click away, results as a sortable table, the raw
response or a bar chart. It is configured from :func:`editor_config`.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode, urlsplit

import pyoxigraph as ox
from fastapi import Request, Response
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, RDFS, SKOS

from ogpgraph.graph.formats import DESCRIPTION_FORMATS, GRAPH_RESULT_FORMATS, SOLUTION_FORMATS
from ogpgraph.graph.terms import CLASSES, PROPERTIES, SCHEMA, curie, prefixes_for
from ogpgraph.store.query_jobs import QueryOutcome, term_json
from ogpgraph.web.published import PublishedBuild
from ogpgraph.web.sparql.examples import default_query, example_queries
from ogpgraph.web.sparql.protocol import (
    CORS_HEADERS,
    LIMIT_HEADER,
    TRUNCATED_HEADER,
    ProtocolRequest,
)
from ogpgraph.web.templating import render
from ogpgraph.web.web_assets import EDITOR_FILES, available

# reused vocabulary terms offered by the editor's completion, besides our ontology's
REUSED_PROPERTIES = (RDF.type, RDFS.label, DCTERMS.identifier, DCTERMS.title,
                     DCTERMS.description, DCTERMS.isPartOf, DCTERMS.issued, SCHEMA.startDate,
                     SCHEMA.endDate, SCHEMA.position, FOAF.page, SKOS.prefLabel,
                     SKOS.altLabel, SKOS.notation, SKOS.inScheme, SKOS.broader,
                     PROV.wasDerivedFrom)
REUSED_CLASSES = (SKOS.Concept, SKOS.ConceptScheme, PROV.Entity)

OUTCOME_STATUS = {"ok": 200, "syntax_error": 400, "refused": 400, "unknown_graph": 400,
                  "timeout": 503, "busy": 503, "memory": 503}


def base_path(request: Request) -> str:
    """The path of the public base ("/" normally): links on the page stay on this server."""
    return urlsplit(request.app.state.settings.base_uri).path or "/"


def query_url(request: Request, proto: ProtocolRequest, query: str, fmt: str | None) -> str:
    params = [("query", query)]
    params += [("default-graph-uri", iri) for iri in proto.default_graph_uris]
    params += [("named-graph-uri", iri) for iri in proto.named_graph_uris]
    if fmt:
        params.append(("format", fmt))
    return f"{base_path(request)}sparql?{urlencode(params)}"


def limits(request: Request) -> dict[str, Any]:
    settings = request.app.state.settings
    return {"timeout": settings.query_timeout, "max_results": settings.max_results,
            "max_body_bytes": settings.max_body_bytes}


def display_iri(iri: str, base: str) -> str:
    """Vocabulary IRIs as CURIEs, ours relative to the base (id/commitment/PE0055)."""
    short = curie(iri, prefixes_for(base))
    if short is not None:
        return short
    if iri.startswith(base):
        return iri[len(base):] or iri
    return iri


def cell(term: dict[str, Any] | None, base: str) -> dict[str, Any] | None:
    """A SPARQL-JSON term -> what the template shows. Only http(s) IRIs become links."""
    if term is None:
        return None
    kind, value = term["type"], term["value"]
    if kind == "uri":
        linkable = urlsplit(value).scheme in ("http", "https")
        return {"kind": "iri", "value": value, "display": display_iri(value, base),
                "href": value if linkable else None}
    if kind == "literal":
        datatype = term.get("datatype")
        return {"kind": "literal", "value": value, "lang": term.get("xml:lang"),
                "datatype": display_iri(datatype, base) if datatype else None}
    if kind == "triple":
        parts = [cell(term["value"][k], base) for k in ("subject", "predicate", "object")]
        shown = " ".join(p["display"] if p and p.get("display") else str(p and p["value"])
                         for p in parts)
        return {"kind": "bnode", "value": f"<< {shown} >>"}
    return {"kind": "bnode", "value": f"_:{value}"}


def result_table(outcome: QueryOutcome, base: str) -> dict[str, Any]:
    """Variables and rows (cells) of an outcome the worker wrote as JSON or N-Triples."""
    if outcome.result_kind == "graph":
        triples = ox.parse(outcome.body, format=ox.RdfFormat.N_TRIPLES)
        rows = [[cell(term_json(t), base) for t in (q.subject, q.predicate, q.object)]
                for q in triples]
        return {"variables": ["subject", "predicate", "object"], "rows": rows}
    document = json.loads(outcome.body)
    if "boolean" in document:
        return {"boolean": bool(document["boolean"])}
    variables = document["head"]["vars"]
    rows = [[cell(binding.get(name), base) for name in variables]
            for binding in document["results"]["bindings"]]
    return {"variables": variables, "rows": rows}


def editor_config(request: Request, base: str, query: str, ran: bool) -> dict[str, Any]:
    """What the editor starts from: the endpoint, our prefixes and terms, the examples, the
    query of the page (run at once when the page ran it)."""
    ogp = f"{base}ontology#"
    return {
        "endpoint": f"{base_path(request)}sparql",
        "prefixes": prefixes_for(base),
        "terms": {"property": [ogp + name for name in PROPERTIES]
                  + [str(p) for p in REUSED_PROPERTIES],
                  "class": [ogp + name for name in CLASSES] + [str(c) for c in REUSED_CLASSES]},
        "examples": [{"title": e.title, "query": e.query} for e in example_queries(base)],
        "query": query,
        "ran": ran,
    }


def query_page(request: Request, published: PublishedBuild, proto: ProtocolRequest, *,
               outcome: QueryOutcome | None = None, error: str | None = None,
               status: int = 200) -> Response:
    base = published.base
    settings = request.app.state.settings
    query = proto.query
    ctx: dict[str, Any] = {
        "query": query if query is not None else default_query(base),
        "ran": query is not None,
        "examples": [{"title": e.title, "question": e.question, "query": e.query,
                      "url": query_url(request, proto, e.query, None)}
                     for e in example_queries(base)],
        "action": f"{base_path(request)}sparql",
        "endpoint": f"{base}sparql",
        "solution_formats": SOLUTION_FORMATS,
        "graph_formats": GRAPH_RESULT_FORMATS,
        "description_formats": DESCRIPTION_FORMATS,
        "limits": limits(request),
        "dataset": {"default": proto.default_graph_uris, "named": proto.named_graph_uris},
        "error": error,
        "result": None,
        "downloads": [],
        "truncated": False,
        "max_results": settings.max_results,
    }
    if available("yasgui", EDITOR_FILES):
        ctx["editor"] = editor_config(request, base, ctx["query"], ctx["ran"])
    headers = {**CORS_HEADERS, "Vary": "Accept"}
    if outcome is not None and query is not None:
        if outcome.kind == "ok":
            ctx["result"] = result_table(outcome, base)
            ctx["count"] = outcome.count
            ctx["truncated"] = outcome.truncated
            kind_formats = (GRAPH_RESULT_FORMATS if outcome.result_kind == "graph"
                            else SOLUTION_FORMATS)
            ctx["downloads"] = [{"label": f.label, "media_type": f.media_type,
                                 "url": query_url(request, proto, query, f.key)}
                                for f in kind_formats]
            if outcome.truncated:
                headers[TRUNCATED_HEADER] = "true"
                headers[LIMIT_HEADER] = str(settings.max_results)
        elif outcome.kind == "syntax_error":
            ctx["error"] = f"SPARQL syntax error: {outcome.message}"
        else:
            ctx["error"] = outcome.message
    return render(request, "sparql.html", status_code=status, headers=headers, **ctx)
