"""Dereferenceable resources: ``/id/…`` answers 303, ``/doc/…`` serves documents.

Content negotiation (both for the 303 and for ``/doc/{kind}/{key}`` without extension):

    Accept                                          -> document
    text/html, application/xhtml+xml                -> /doc/{kind}/{key}.html
    text/turtle                                     -> .ttl   (also: no Accept, */*)
    application/ld+json (or application/json)       -> .jsonld
    application/n-triples                           -> .nt
    application/rdf+xml                             -> .rdf
    text/html,application/xhtml+xml,…,*/*;q=0.8     -> .html  (a browser)
    only types we cannot produce (image/png)        -> 406

q-values and wildcards are honoured (python-mimeparse); ties go to Turtle. Every answer
carries ``Link`` headers: ``rel="alternate"`` for each other format, ``rel="canonical"``
for the document, ``rel="describedby"`` on the 303. Answers vary on Accept (``Vary``).

The public base (``settings.base_uri``, e.g. ``https://example.org/ogp/``) mints the IRIs;
the app itself may be mounted at ``/`` behind a proxy: a request path ``/id/x`` stands for
the IRI ``{base}id/x``, and every Location/Link is written under the public base.

Known IRIs: any triple with the IRI as subject; for SKOS concepts and schemes also as
object. Unknown -> 404 (an HTML page with did-you-mean for browsers, plain text for others).
Lower-case commitment identifiers answer 301 to the upper-case form.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import PlainTextResponse
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS, SKOS
from rdflib.term import Node

from ogpgraph.graph.terms import SCHEMA, ontology_namespace
from ogpgraph.graph.uris import SCHEMES
from ogpgraph.web import rdf_formats
from ogpgraph.web.http_cache import finish, not_modified, validators
from ogpgraph.web.negotiation import negotiate
from ogpgraph.web.published import PublishedBuild, get_published
from ogpgraph.web.rdf_formats import BY_EXTENSION, DocumentFormat
from ogpgraph.web.reader_labels import fallback_label, fetch_labels, pick_literal, reader_lang
from ogpgraph.web.resource_document import ResourceDocument, build_document, document_prefixes
from ogpgraph.web.templating import doc_href, render

router = APIRouter()
Published = Annotated[PublishedBuild, Depends(get_published)]

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
HTML_PAGE_SIZE = 100  # incoming links / listed commitments per HTML page
MAX_PLANS = 1_000  # action plans listed on a member page (OGP members have a handful)
ENTITY_KINDS = {  # kind -> number of key segments
    "commitment": 1, "milestone": 1, "assessment": 1, "member": 1, "action-plan": 1,
    "irm-report": 1, "institution": 2, "source": 1,
}
_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._~-]*$")


# ---------------------------------------------------------------- paths <-> IRIs

@dataclass(frozen=True)
class Target:
    """What a request path names: ``institution`` + ``peru/proetica``; ``policy-area`` + ''."""

    kind: str
    key: str

    @property
    def path(self) -> str:
        return f"{self.kind}/{self.key}" if self.key else self.kind

    @property
    def is_concept(self) -> bool:
        return self.kind in SCHEMES


def parse_target(path: str) -> Target | None:
    """Only kinds of our URI scheme, with the right number of well-formed segments."""
    kind, _, key = path.partition("/")
    segments = key.split("/") if key else []
    if not all(_SEGMENT.match(s) for s in segments):
        return None
    if kind in ENTITY_KINDS and len(segments) == ENTITY_KINDS[kind]:
        return Target(kind, key)
    if kind in SCHEMES and len(segments) <= 1:
        return Target(kind, key)
    return None


def split_extension(path: str) -> tuple[str, DocumentFormat | None]:
    stem, dot, ext = path.rpartition(".")
    if dot and ext in BY_EXTENSION and "/" not in ext:
        return stem, BY_EXTENSION[ext]
    return path, None


def iri_of(base: str, target: Target) -> URIRef:
    return URIRef(f"{base}id/{target.path}")


def doc_url(base: str, target: Target, fmt: DocumentFormat | None = None) -> str:
    return f"{base}doc/{target.path}" + (f".{fmt.extension}" if fmt else "")


def is_known(published: PublishedBuild, iri: URIRef, target: Target) -> bool:
    if target.is_concept:
        return published.store.ask(f"ASK {{ {{ <{iri}> ?p ?o }} UNION {{ ?s ?p <{iri}> }} }}")
    return published.store.ask(f"ASK {{ <{iri}> ?p ?o }}")


def canonical_case(target: Target) -> Target | None:
    """Commitment ids are upper case (PE0055); milestones/assessments start with one."""
    if target.kind in ("commitment", "milestone"):
        fixed = target.key.upper()
    elif target.kind == "assessment":
        ident, dash, rest = target.key.partition("-")
        fixed = ident.upper() + dash + rest
    else:
        return None
    return Target(target.kind, fixed) if fixed != target.key else None


# ---------------------------------------------------------------- headers

def link_header(base: str, target: Target, current: DocumentFormat | None,
                describedby: bool = False) -> str:
    links = [f'<{doc_url(base, target, f)}>; rel="alternate"; type="{f.media_type}"'
             for f in rdf_formats.DOCUMENT_FORMATS if f is not current]
    if current is not None:
        rel = "canonical describedby" if describedby else "canonical"
        links.insert(0, f'<{doc_url(base, target, current)}>; rel="{rel}"; '
                        f'type="{current.media_type}"')
    return ", ".join(links)


def _base(request: Request) -> str:
    return request.app.state.settings.base_uri


def _page(request: Request) -> int:
    raw = request.query_params.get("page", "1")
    return int(raw) if raw.isdigit() and int(raw) > 0 else 1


# ---------------------------------------------------------------- errors

def not_acceptable(request: Request) -> Response:
    offered = ", ".join(rdf_formats.OFFERED)
    return finish(request, PlainTextResponse(
        f"406 Not Acceptable: this resource is available as {offered}\n", status_code=406,
        headers={"Vary": "Accept"}))


def suggestions(published: PublishedBuild, base: str, path: str,
                lang: str) -> list[tuple[str, str]]:
    """Nearest identifiers of the same kind (or nearest kinds): (IRI, label) pairs."""
    kind, _, key = path.partition("/")
    kinds = [*ENTITY_KINDS, *SCHEMES]
    if kind not in kinds:
        return [(f"{base}id/{k}", k) for k in difflib.get_close_matches(kind, kinds, n=5,
                                                                          cutoff=0.5)]
    prefix = f"{base}id/{kind}/"
    rows = published.store.select(
        f'SELECT DISTINCT ?s WHERE {{ ?s a ?t FILTER(STRSTARTS(STR(?s), "{prefix}")) }} '
        f"LIMIT 50000")
    keys = {str(r["s"])[len(prefix):]: r["s"] for r in rows}
    folded = {k.lower(): k for k in keys}
    near = difflib.get_close_matches(key.lower(), list(folded), n=5, cutoff=0.5)
    iris = [keys[folded[k]] for k in near]
    labels = fetch_labels(published.store, iris, lang)
    return [(str(i), str(labels.get(i, fallback_label(str(i))))) for i in iris]


def not_found(request: Request, published: PublishedBuild, path: str) -> Response:
    base = _base(request)
    wants_html = negotiate(request.headers.get("accept"), ["text/html", "text/plain"],
                           "text/plain") == "text/html"
    near = suggestions(published, base, path, reader_lang(request))
    if wants_html:
        response: Response = render(request, "not_found.html", status_code=404,
                                    path=path, suggestions=near, query=path.rsplit("/", 1)[-1])
    else:
        lines = [f"404 Not Found: no resource {base}id/{path}"]
        lines += [f"Did you mean {iri} ({label})?" for iri, label in near]
        lines.append(f"Search: {base}search?q={path.rsplit('/', 1)[-1]}")
        response = PlainTextResponse("\n".join(lines) + "\n", status_code=404)
    response.headers["Vary"] = "Accept"
    return finish(request, response)


def _resolve(request: Request, published: PublishedBuild, path: str, area: str,
             suffix: str) -> tuple[Target, URIRef] | Response:
    """The target and IRI, or the 301/404 to answer instead."""
    base = _base(request)
    target = parse_target(path)
    if target is None:
        return not_found(request, published, path)
    iri = iri_of(base, target)
    if is_known(published, iri, target):
        return target, iri
    fixed = canonical_case(target)
    if fixed is not None and is_known(published, iri_of(base, fixed), fixed):
        query = f"?{request.url.query}" if request.url.query else ""
        return finish(request, Response(status_code=301, headers={
            "Location": f"{base}{area}/{fixed.path}{suffix}{query}",
            "Cache-Control": "public, max-age=86400"}))
    return not_found(request, published, path)


# ---------------------------------------------------------------- routes

@router.api_route("/id/{path:path}", methods=["GET", "HEAD"], include_in_schema=False)
def dereference(path: str, request: Request,
                published: Published) -> Response:
    resolved = _resolve(request, published, path, "id", "")
    if isinstance(resolved, Response):
        return resolved
    target, _iri = resolved
    fmt = _negotiated(request)
    if fmt is None:
        return not_acceptable(request)
    base = _base(request)
    location = doc_url(base, target, fmt)
    headers = validators(published, "303", location)
    headers.update({"Location": location, "Vary": "Accept",
                    "Link": link_header(base, target, fmt, describedby=True)})
    if (cached := not_modified(request, headers)) is not None:
        return cached
    return finish(request, Response(status_code=303, headers=headers))


def _negotiated(request: Request) -> DocumentFormat | None:
    chosen = negotiate(request.headers.get("accept"), rdf_formats.OFFERED,
                       rdf_formats.DEFAULT_FORMAT.media_type)
    return rdf_formats.BY_MEDIA_TYPE[chosen] if chosen else None


@router.api_route("/doc/{path:path}", methods=["GET", "HEAD"], include_in_schema=False)
def document(path: str, request: Request,
             published: Published) -> Response:
    stem, fmt = split_extension(path)
    resolved = _resolve(request, published, stem, "doc", f".{fmt.extension}" if fmt else "")
    if isinstance(resolved, Response):
        return resolved
    target, iri = resolved
    base = _base(request)
    vary = ["Accept"] if fmt is None else []
    if fmt is None:
        fmt = _negotiated(request)
        if fmt is None:
            return not_acceptable(request)
    page = _page(request)
    lang = reader_lang(request)
    url = doc_url(base, target, fmt)
    if not fmt.is_rdf and "lang" not in request.query_params:
        vary.append("Accept-Language")
    headers = validators(published, url, fmt.extension, str(page),
                         lang if not fmt.is_rdf else "")
    headers["Link"] = link_header(base, target, fmt)
    if vary:
        headers["Vary"] = ", ".join(vary)
        headers["Content-Location"] = url
    if (cached := not_modified(request, headers)) is not None:
        return cached
    if fmt.is_rdf:
        doc = build_document(published.store, base, iri, url, published.built_at, page)
        assert fmt.render is not None
        body = fmt.render(doc.graph, document_prefixes(base))
        response: Response = Response(body, media_type=fmt.content_type, headers=headers)
    else:
        response = html_page(request, published, target, iri, page, lang, headers)
    return finish(request, response)


@router.api_route("/static/{name}", methods=["GET", "HEAD"], include_in_schema=False)
def static_file(name: str, request: Request,
                published: Published) -> Response:
    """The stylesheet (and any other flat file in web/static)."""
    media = {"css": "text/css; charset=utf-8", "svg": "image/svg+xml"}
    path = STATIC_DIR / name
    ext = name.rsplit(".", 1)[-1]
    if not _SEGMENT.match(name) or ext not in media or not path.is_file():
        return finish(request, PlainTextResponse("404 Not Found\n", status_code=404))
    body = path.read_bytes()
    headers = validators(published, "static", name, str(hash(body)))
    if (cached := not_modified(request, headers)) is not None:
        return cached
    return finish(request, Response(body, media_type=media[ext], headers=headers))


# ---------------------------------------------------------------- HTML views

def props_of(graph: Graph, subject: Node, skip: tuple[URIRef, ...] = ()
             ) -> list[tuple[URIRef, list[Node]]]:
    grouped: dict[URIRef, list[Node]] = defaultdict(list)
    for p, o in graph.predicate_objects(subject):
        if p not in skip:
            grouped[p].append(o)
    return sorted(((p, sorted(v, key=str)) for p, v in grouped.items()), key=lambda x: str(x[0]))


def incoming_of(graph: Graph, iri: URIRef) -> list[tuple[URIRef, list[Node]]]:
    grouped: dict[URIRef, list[Node]] = defaultdict(list)
    for s, p in graph.subject_predicates(iri):
        if p != FOAF.primaryTopic:  # the document's own description, not a link in the data
            grouped[p].append(s)
    return sorted(((p, sorted(v, key=str)) for p, v in grouped.items()), key=lambda x: str(x[0]))


def pager(page: int, total: int, size: int) -> dict[str, int]:
    return {"page": page, "pages": max(1, -(-total // size)), "total": total, "size": size}


def rows_iris(rows: list[dict[str, Node]]) -> set[Node]:
    return {v for row in rows for v in row.values() if isinstance(v, URIRef)}


def html_page(request: Request, published: PublishedBuild, target: Target, iri: URIRef,
              page: int, lang: str, headers: dict[str, str]) -> Response:
    base = _base(request)
    html_url = doc_url(base, target, rdf_formats.HTML)
    doc = build_document(published.store, base, iri, html_url, published.built_at, page,
                         incoming_cap=HTML_PAGE_SIZE)
    graph = doc.graph
    ogp = ontology_namespace(base)
    types = set(graph.objects(iri, RDF.type))
    view, extra = _kind_view(published, base, target, iri, graph, types, page, lang)
    template = view.pop("template", "resource.html")
    labels = fetch_labels(published.store,
                          set(graph.all_nodes()) | set(graph.predicates()) | extra, lang)
    titles = list(graph.objects(iri, DCTERMS.title))
    title = pick_literal(titles, lang) or labels.get(iri) or Literal(fallback_label(str(iri)))
    jsonld = rdf_formats.JSONLD.render
    assert jsonld is not None
    alternates = [{"href": doc_url(base, target, f), "type": f.media_type, "label": f.label}
                  for f in rdf_formats.RDF_FORMATS]
    context: dict[str, Any] = {
        "iri": iri, "target": target, "doc": doc, "graph": graph, "labels": labels,
        "title": title, "types": sorted(types, key=str), "canonical": html_url,
        "alternates": alternates, "ogp": ogp,
        "jsonld": jsonld(graph, document_prefixes(base)).decode("utf-8"),
        "props": props_of(graph, iri, skip=(RDF.type,)),
        "incoming": incoming_of(graph, iri),
        "incoming_pager": pager(page, doc.incoming_total, HTML_PAGE_SIZE),
        "page_url": html_url,
        **view,
    }
    return render(request, template, headers=headers, **context)


def _kind_view(published: PublishedBuild, base: str, target: Target, iri: URIRef,
               graph: Graph, types: set[Node], page: int, lang: str
               ) -> tuple[dict[str, Any], set[Node]]:
    ogp = ontology_namespace(base)
    if target.kind == "commitment":
        return commitment_view(graph, iri, ogp, lang), set()
    if target.kind == "member":
        return member_view(published, base, iri, ogp, page)
    if target.kind == "action-plan":
        return action_plan_view(published, iri, ogp)
    if target.kind == "institution":
        return institution_view(published, iri, ogp)
    if target.kind == "irm-report":
        return irm_report_view(published, iri, ogp)
    if target.is_concept:
        return concept_view(published, iri, ogp, page, SKOS.ConceptScheme in types)
    return {}, set()


def commitment_view(graph: Graph, iri: URIRef, ogp: Any, lang: str) -> dict[str, Any]:
    milestones = sorted(graph.objects(iri, ogp.milestone),
                        key=lambda m: (int(graph.value(m, SCHEMA.position) or 0), str(m)))
    by_report: dict[Node, list[Node]] = defaultdict(list)
    for assessment in graph.objects(iri, ogp.assessment):
        by_report[graph.value(assessment, ogp.report) or assessment].append(assessment)
    skip = (RDF.type, RDFS.label, ogp.assessedCommitment, ogp.report)
    reports = []
    for report, assessments in by_report.items():
        reports.append({
            "report": report, "kind": graph.value(report, ogp.reportKind),
            "issued": graph.value(report, DCTERMS.issued),
            "assessments": [{"iri": a, "values": props_of(graph, a, skip)} for a in assessments],
        })
    reports.sort(key=lambda r: (str(r["issued"] or ""), str(r["report"])))
    return {
        "template": "commitment.html",
        "milestones": [{"iri": m, "position": graph.value(m, SCHEMA.position),
                        "description": pick_literal(graph.objects(m, DCTERMS.description), lang)}
                       for m in milestones],
        "description": pick_literal(graph.objects(iri, DCTERMS.description), lang),
        "other_titles": sorted(graph.objects(iri, DCTERMS.title), key=str),
        "reports": reports,
        "value": lambda p: sorted(graph.objects(iri, p), key=str),
    }


def member_view(published: PublishedBuild, base: str, iri: URIRef, ogp: Any, page: int
                ) -> tuple[dict[str, Any], set[Node]]:
    """Action plans and commitments by cycle from the build's listing index: the union of
    source graphs restates shared facts once per source, so scanning it per request would
    multiply rows (and did: a member page of the 10k bench build ran out of memory)."""
    listings = published.listings
    member = str(iri)
    plans = [{"ap": URIRef(row[0]), "year": row[2]} for row in
             listings.action_plans_page(member, MAX_PLANS, 0)]
    plans.sort(key=lambda plan: (str(plan["year"] or ""), str(plan["ap"])))
    query = listings.commitment_where(member=member)
    total = listings.count_commitments(query)
    offset = (page - 1) * HTML_PAGE_SIZE
    rows = listings.commitment_page(query, "cycle", False, HTML_PAGE_SIZE, offset)
    cycles: dict[str | None, list[Node]] = defaultdict(list)
    for row in rows:
        cycles[row[3]].append(URIRef(row[0]))
    chart = completion_chart(published, iri, ogp, base)
    extra = ({plan["ap"] for plan in plans} | {c for cs in cycles.values() for c in cs}
             | {bar["concept"] for bar in chart["bars"] if bar["concept"] is not None})
    return {"template": "member.html", "plans": plans,
            "cycles": [{"cycle": year, "commitments": cs} for year, cs in cycles.items()],
            "commitment_count": total, "commitments_pager": pager(page, total, HTML_PAGE_SIZE),
            "chart": chart}, extra


def completion_chart(published: PublishedBuild, iri: URIRef, ogp: Any, base: str
                     ) -> dict[str, Any]:
    """The member's commitments by the highest completion level any IRM report found
    (rank order), from the listing index."""
    listings = published.listings
    scheme = f"{base}id/completion"
    counts = listings.completion_counts(listings.commitment_where(member=str(iri)))
    bars = []
    for rank, count in counts:
        concept = listings.concept_with_rank(scheme, rank) if rank is not None else None
        bars.append({"concept": URIRef(concept) if concept else None, "rank": rank,
                     "count": count})
    top = max((b["count"] for b in bars), default=0)
    return {"bars": bars, "max": top, "width": 320, "row": 26}


def action_plan_view(published: PublishedBuild, iri: URIRef, ogp: Any
                     ) -> tuple[dict[str, Any], set[Node]]:
    commitments = published.store.select(f"""
SELECT DISTINCT ?c ?n WHERE {{ ?c a <{ogp.Commitment}> ; <{ogp.actionPlan}> <{iri}> .
  OPTIONAL {{ ?c <{ogp.commitmentNumber}> ?n }} OPTIONAL {{ ?c <{DCTERMS.identifier}> ?id }} }}
ORDER BY ?n ?id ?c""")
    reports = published.store.select(f"""
SELECT DISTINCT ?r ?year WHERE {{ ?r a <{ogp.IRMReport}> ; <{ogp.actionPlan}> <{iri}> .
  OPTIONAL {{ ?r <{DCTERMS.issued}> ?year }} }} ORDER BY ?year ?r""")
    return ({"template": "action_plan.html", "commitments": commitments, "reports": reports},
            rows_iris(commitments) | rows_iris(reports))


def institution_view(published: PublishedBuild, iri: URIRef, ogp: Any
                     ) -> tuple[dict[str, Any], set[Node]]:
    rows = published.store.select(f"""
SELECT DISTINCT ?c ?role ?ap ?year WHERE {{
  VALUES ?role {{ <{ogp.leadInstitution}> <{ogp.supportingInstitution}> }}
  ?c ?role <{iri}> .
  OPTIONAL {{ ?c <{ogp.actionPlan}> ?ap OPTIONAL {{ ?ap <{ogp.cycleYear}> ?year }} }}
}} ORDER BY ?year ?ap ?c""")
    leads = [r for r in rows if r["role"] == ogp.leadInstitution]
    supports = [r for r in rows if r["role"] == ogp.supportingInstitution]
    return ({"template": "institution.html", "leads": leads, "supports": supports},
            rows_iris(rows))


def irm_report_view(published: PublishedBuild, iri: URIRef, ogp: Any
                    ) -> tuple[dict[str, Any], set[Node]]:
    rows = published.store.select(f"""
SELECT DISTINCT ?a ?c ?specificity ?impact ?completion ?id WHERE {{
  ?a <{ogp.report}> <{iri}> ; <{ogp.assessedCommitment}> ?c .
  OPTIONAL {{ ?c <{DCTERMS.identifier}> ?id }}
  OPTIONAL {{ ?a <{ogp.specificity}> ?specificity }}
  OPTIONAL {{ ?a <{ogp.potentialImpact}> ?impact }}
  OPTIONAL {{ ?a <{ogp.completion}> ?completion }}
}} ORDER BY ?id ?a""")
    return {"template": "irm_report.html", "assessments": rows}, rows_iris(rows)


def concept_view(published: PublishedBuild, iri: URIRef, ogp: Any, page: int,
                 is_scheme: bool) -> tuple[dict[str, Any], set[Node]]:
    store = published.store
    concepts: list[dict[str, Node]] = []
    if is_scheme:
        concepts = store.select(f"""
SELECT DISTINCT ?k ?rank WHERE {{ ?k <{SKOS.inScheme}> <{iri}>
  OPTIONAL {{ ?k <{ogp.rank}> ?rank }} }}
ORDER BY ?rank ?k""")
    using = f"""
  {{ ?c ?p <{iri}> . ?c a <{ogp.Commitment}> }}
  UNION {{ ?a ?p <{iri}> . ?a <{ogp.assessedCommitment}> ?c }}"""
    total_rows = store.select(f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ {using} }}")
    total = int(total_rows[0]["n"]) if total_rows else 0
    offset = (page - 1) * HTML_PAGE_SIZE
    rows = store.select(f"""
SELECT DISTINCT ?c ?m ?id WHERE {{
  {{ SELECT DISTINCT ?c WHERE {{ {using} }} }}
  OPTIONAL {{ ?c <{ogp.member}> ?m }} OPTIONAL {{ ?c <{DCTERMS.identifier}> ?id }}
}} ORDER BY ?m ?id ?c OFFSET {offset} LIMIT {HTML_PAGE_SIZE}""")
    return ({"template": "concept.html", "concepts": concepts, "is_scheme": is_scheme,
             "commitments": rows, "commitments_pager": pager(page, total, HTML_PAGE_SIZE)},
            rows_iris(rows) | rows_iris(concepts))


__all__ = ["doc_href", "parse_target", "router", "split_extension", "ResourceDocument"]
