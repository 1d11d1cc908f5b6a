"""The home page, the browse listings and search.

Listings are paginated 50 to a page on the store; a page number past the last page answers
404 (page 1 always exists, empty or not), so a crawler following stale links learns the page
is gone instead of receiving a copy of another page. Invalid filter values answer 400.
Pages depend on the reader's language (labels), hence ``Vary: Accept-Language``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request, Response
from rdflib import URIRef
from rdflib.term import Node

from ogpgraph.web.browse_listings import (
    SORT_KEYS,
    BadFilter,
    BrowseService,
    CommitmentFilters,
    Page,
    PageOutOfRange,
    list_page,
)
from ogpgraph.web.charts import Bar, bar_chart
from ogpgraph.web.errors import HttpProblem
from ogpgraph.web.i18n import gettext
from ogpgraph.web.listing_data import download_links, serve_listing
from ogpgraph.web.listing_tables import (
    ACTION_PLANS,
    COMMITMENTS,
    INSTITUTIONS,
    MEMBERS,
    POLICY_AREAS,
    SEARCH,
    ListingTable,
)
from ogpgraph.web.published import Published, PublishedBuild
from ogpgraph.web.reader_labels import fetch_labels, ontology_labels, reader_lang
from ogpgraph.web.templating import doc_href, page_response, render

router = APIRouter()

SCHEMA_CONTEXT = "https://schema.org/"
VOID_ALTERNATE = {"type": "text/turtle", "label": "VoID description (Turtle)"}


# --- helpers shared by the routers of this package ------------------------------------------

def service(published: PublishedBuild) -> BrowseService:
    return BrowseService(published.store, published.base, published.listings)


def labels_for(published: PublishedBuild, request: Request, iris: list[Node | None]
               ) -> dict[URIRef, Any]:
    """Labels from the listing index, our ontology's terms from the ontology file; the store
    is asked only about IRIs neither has."""
    lang = reader_lang(request)
    wanted = {i for i in iris if isinstance(i, URIRef)}
    labels: dict[URIRef, Any] = service(published).labels(wanted, lang)
    labels.update(ontology_labels(published.base, wanted - labels.keys(), lang))
    missing = wanted - labels.keys()
    if missing:
        labels.update(fetch_labels(published.store, missing, lang, published.label_cache))
    return labels


def item_list(base: str, name: str, page: Page[Any], labels: dict[URIRef, Any],
              url: str) -> dict[str, Any]:
    """A schema.org ItemList of the page's items, embedded as JSON-LD."""
    return {
        "@context": SCHEMA_CONTEXT, "@type": "ItemList", "name": name, "url": url,
        "numberOfItems": page.total,
        "itemListElement": [
            {"@type": "ListItem", "position": page.first_index + n,
             "item": {"@id": str(item.iri), "url": doc_href(str(item.iri), base),
                      "name": str(labels.get(item.iri, item.iri))}}
            for n, item in enumerate(page.items)
        ],
    }


def pager_links(request: Request, page: Page[Any], params: dict[str, str]) -> dict[str, Any]:
    """prev/next URLs that keep every filter and sort parameter."""
    path = str(request.url.path)

    def url(number: int) -> str:
        query = urlencode({**params, "page": str(number)})
        return f"{path}?{query}"

    return {"prev_url": url(page.number - 1) if page.has_prev else None,
            "next_url": url(page.number + 1) if page.has_next else None}


def _run(call, *args: Any, **kwargs: Any) -> Any:
    try:
        return call(*args, **kwargs)
    except PageOutOfRange as exc:
        raise HttpProblem(404, f"there is no page {exc.args[0]} of this listing") from exc
    except BadFilter as exc:
        raise HttpProblem(400, str(exc)) from exc


def _home_bars(published: PublishedBuild, request: Request) -> tuple[list[Bar], dict]:
    areas = service(published).commitments_per_policy_area(top=15)
    labels = labels_for(published, request, [a.iri for a in areas])
    base = published.base
    bars = [Bar(str(labels.get(a.iri, a.key)), a.uses,
                f"{base}commitments?{urlencode({'policy_area': a.key})}") for a in areas]
    return bars, labels


# --- routes ---------------------------------------------------------------------------------

@router.api_route("/", methods=["GET", "HEAD"], include_in_schema=False)
def home(request: Request, published: Published) -> Response:
    manifest = published.manifest
    base = published.base
    bars, _ = _home_bars(published, request)
    dataset_ld = {
        "@context": SCHEMA_CONTEXT, "@type": "Dataset", "@id": str(published.uris.dataset),
        "name": "Open Government Partnership commitments",
        "description": "OGP commitments, action plans, institutions and IRM assessments "
                       "as linked data.",
        "url": base, "license": "https://creativecommons.org/licenses/by/4.0/",
        "dateModified": manifest.get("built_at"),
        "distribution": [
            {"@type": "DataDownload", "contentUrl": f"{base}dumps/{d['file']}",
             "encodingFormat": d.get("media_type"), "contentSize": d.get("bytes")}
            for d in manifest.get("dumps", [])
        ],
    }
    return page_response(
        request, published, "home.html",
        counts=manifest.get("counts", {}), triples=manifest.get("triples"),
        validation=manifest.get("validation"), chart=bar_chart(
            bars, gettext(reader_lang(request), "Commitments per policy area (top 15)")),
        jsonld=dataset_ld,
        alternates=[{**VOID_ALTERNATE, "href": f"{base}.well-known/void"}],
    )


def _listing(request: Request, published: PublishedBuild, table: ListingTable,
             fetch: Callable[..., Page[Any]], html: Callable[[dict[str, str]], Response],
             page: int = 1) -> Response:
    """Every listing route ends here: the page, or the listing as data (listing_data)."""
    return serve_listing(
        request, published, table, lambda number, size: _run(fetch, number, size),
        lambda iris: labels_for(published, request, iris), html, page)


def _page(request: Request, published: PublishedBuild, template: str,
          headers: dict[str, str], **ctx: Any) -> Response:
    """A listing page, with its download links (same filters and sort)."""
    shown = ctx.get("page")
    links = download_links(request, published.base,
                           shown.number if isinstance(shown, Page) else 1)
    return render(request, template, headers=headers, downloads=links, **ctx)


@router.api_route("/members", methods=["GET", "HEAD"], include_in_schema=False)
def members(request: Request, published: Published, page: int = Query(1, ge=1)) -> Response:
    svc = service(published)

    def html(headers: dict[str, str]) -> Response:
        result = _run(svc.members, page=page)
        labels = labels_for(published, request, [m.iri for m in result.items])
        return _page(
            request, published, "list.html", headers, kind="members", heading="Members",
            page=result, labels=labels, totals=svc.member_totals(),
            jsonld=item_list(published.base, "OGP members", result, labels, str(request.url)),
            **pager_links(request, result, {}))

    return _listing(request, published, MEMBERS,
                    lambda n, size: svc.members(page=n, per_page=size), html, page)


@router.api_route("/action-plans", methods=["GET", "HEAD"], include_in_schema=False)
def action_plans(request: Request, published: Published,
        page: int = Query(1, ge=1), member: str | None = None) -> Response:
    svc = service(published)

    def html(headers: dict[str, str]) -> Response:
        result = _run(svc.action_plans, member=member, page=page)
        labels = labels_for(published, request,
                            [p.iri for p in result.items] + [p.member for p in result.items])
        params = {"member": member} if member else {}
        return _page(
            request, published, "list.html", headers, kind="action-plans", heading="Action plans",
            page=result, labels=labels, member=member,
            jsonld=item_list(published.base, "OGP action plans", result, labels,
                             str(request.url)),
            **pager_links(request, result, params))

    return _listing(request, published, ACTION_PLANS,
                    lambda n, size: svc.action_plans(member=member, page=n, per_page=size),
                    html, page)


@router.api_route("/institutions", methods=["GET", "HEAD"], include_in_schema=False)
def institutions(request: Request, published: Published,
        page: int = Query(1, ge=1), member: str | None = None,
        type: str | None = Query(None, description="a class: Legislature, GovernmentBody, …")
        ) -> Response:
    svc = service(published)

    def html(headers: dict[str, str]) -> Response:
        result = _run(svc.institutions, member=member, page=page, type_=type)
        options = svc.member_options()
        types = svc.institution_type_options()
        labels = labels_for(published, request, [i.iri for i in result.items]
                            + [i.member for i in result.items] + [o.iri for o in options]
                            + [i.type for i in result.items] + [t.iri for t in types])
        params = {k: v for k, v in (("member", member), ("type", type)) if v}
        return _page(
            request, published, "list.html", headers, kind="institutions", heading="Institutions",
            page=result, labels=labels, member=member, member_options=options,
            type=type, type_options=types,
            jsonld=item_list(published.base, "Institutions", result, labels,
                             str(request.url)),
            **pager_links(request, result, params))

    return _listing(request, published, INSTITUTIONS,
                    lambda n, size: svc.institutions(member=member, page=n, per_page=size,
                                                     type_=type),
                    html, page)


@router.api_route("/policy-areas", methods=["GET", "HEAD"], include_in_schema=False)
def policy_areas(request: Request, published: Published,
                 page: int = Query(1, ge=1)) -> Response:
    svc = service(published)
    concepts = svc.concepts("policy-area")
    scheme = published.uris.scheme("policy-area")

    def html(headers: dict[str, str]) -> Response:
        labels = labels_for(published, request, [c.iri for c in concepts] + [scheme])
        whole = Page(concepts, 1, len(concepts), per_page=max(1, len(concepts)))
        return _page(
            request, published, "scheme.html", headers, heading="Policy areas", labels=labels,
            schemes=[{"iri": scheme, "key": "policy-area", "concepts": concepts,
                      "filter_param": "policy_area"}],
            uses_label="Commitments",
            jsonld=item_list(published.base, "Policy areas", whole, labels,
                             str(request.url)))

    return _listing(request, published, POLICY_AREAS,
                    lambda n, size: list_page(concepts, n, size), html, page)


def _commitment_filters(member: str | None, cycle: int | None, policy_area: str | None,
                        starred: bool | None, completion: str | None) -> CommitmentFilters:
    return CommitmentFilters(member=member or None, cycle=cycle,
                             policy_area=policy_area or None, starred=starred,
                             completion=completion or None)


@router.api_route("/commitments", methods=["GET", "HEAD"], include_in_schema=False)
def commitments(request: Request, published: Published,
        page: int = Query(1, ge=1), member: str | None = None,
                cycle: int | None = Query(None, ge=1900, le=2200),
                policy_area: str | None = None, starred: bool | None = None,
                completion: str | None = None, sort: str = "id", order: str = "asc") -> Response:
    if order not in ("asc", "desc"):
        raise HttpProblem(400, "order: asc or desc")
    svc = service(published)
    filters = _commitment_filters(member, cycle, policy_area, starred, completion)
    descending = order == "desc"

    def html(headers: dict[str, str]) -> Response:
        result = _run(svc.commitments, filters, sort=sort, descending=descending, page=page)
        members_opt = svc.member_options()
        areas_opt = svc.concept_options("policy-area")
        completion_opt = [o for o in svc.concepts("completion", with_counts=False)
                          if o.rank is not None]
        labels = labels_for(published, request,
                            [c.iri for c in result.items] + [c.member for c in result.items]
                            + [o.iri for o in members_opt] + [o.iri for o in areas_opt]
                            + [o.iri for o in completion_opt])
        params = {**filters.as_params(), "sort": sort, "order": order}
        sort_urls = {
            key: f"{request.url.path}?" + urlencode({
                **filters.as_params(), "sort": key,
                "order": "desc" if key == sort and order == "asc" else "asc"})
            for key in SORT_KEYS
        }
        return _page(
            request, published, "commitments.html", headers, page=result, labels=labels,
            filters=filters, sort=sort, order=order, sort_urls=sort_urls,
            member_options=members_opt, cycle_options=svc.cycle_options(),
            area_options=areas_opt, completion_options=completion_opt,
            jsonld=item_list(published.base, "OGP commitments", result, labels,
                             str(request.url)),
            **pager_links(request, result, params))

    return _listing(request, published, COMMITMENTS,
                    lambda n, size: svc.commitments(filters, sort=sort, descending=descending,
                                                    page=n, per_page=size), html, page)


@router.api_route("/search", methods=["GET", "HEAD"], include_in_schema=False)
def search(request: Request, published: Published,
        q: str = "", page: int = Query(1, ge=1)) -> Response:
    svc = service(published)

    def html(headers: dict[str, str]) -> Response:
        result = _run(svc.search, q, page=page)
        labels = labels_for(published, request,
                            [c.iri for c in result.items] + [c.member for c in result.items])
        ld = item_list(published.base, f"Search results for {q}", result, labels,
                       str(request.url))
        return _page(
            request, published, "search.html", headers, q=q, search_query=q, page=result,
            labels=labels, jsonld=ld if q.strip() else None,
            **pager_links(request, result, {"q": q}))

    return _listing(request, published, SEARCH,
                    lambda n, size: svc.search(q, page=n, per_page=size), html, page)
