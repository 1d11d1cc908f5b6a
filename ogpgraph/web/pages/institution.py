"""An institution: its type, member, other spellings and acronym, parent and sub-units, the
commitments it leads and supports (paginated), and the institutions it most often works
with (named on the same commitments). Read from the default graph: one value per fact, as
the build resolved them (an institution is one IRI whatever the spelling)."""

from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from ogpgraph.graph.terms import ORG, SECTOR_CLASSES
from ogpgraph.web.pages.kind import HTML_PAGE_SIZE, PageContext, PageView, pager, rows_iris

PARTNERS = 10  # institutions listed as working most often with this one


def _sector_class(ctx: PageContext) -> URIRef:
    """The institution's most specific sector class (ogp:Institution when none is known)."""
    types = set(ctx.graph.objects(ctx.iri, RDF.type))
    for names in SECTOR_CLASSES.values():
        if names and ctx.ogp[names[0]] in types:
            return ctx.ogp[names[0]]
    return ctx.ogp.Institution


def institution_view(ctx: PageContext) -> PageView:
    store, ogp, iri = ctx.published.store, ctx.ogp, ctx.iri
    roles = f"VALUES ?role {{ <{ogp.leadInstitution}> <{ogp.supportingInstitution}> }}"
    total = int(store.select(f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ {roles} "
                             f"?c ?role <{iri}> }}")[0]["n"])
    offset = (ctx.page - 1) * HTML_PAGE_SIZE
    rows = store.select(f"""
SELECT ?c (MIN(?id) AS ?identifier) (SAMPLE(?ap) AS ?plan)
       (MAX(IF(?role = <{ogp.leadInstitution}>, 1, 0)) AS ?leads)
       (MAX(IF(?role = <{ogp.supportingInstitution}>, 1, 0)) AS ?supports) WHERE {{
  {roles} ?c ?role <{iri}> .
  OPTIONAL {{ ?c <{DCTERMS.identifier}> ?id }} OPTIONAL {{ ?c <{ogp.actionPlan}> ?ap }}
}} GROUP BY ?c ORDER BY ?identifier ?c LIMIT {HTML_PAGE_SIZE} OFFSET {offset}""")
    commitments = [{"c": r["c"], "plan": r.get("plan"), "leads": int(r["leads"]),
                    "supports": int(r["supports"])} for r in rows]
    partners = store.select(f"""
SELECT ?other (COUNT(DISTINCT ?c) AS ?together) WHERE {{
  {roles} ?c ?role <{iri}> . ?c ?role2 ?other .
  VALUES ?role2 {{ <{ogp.leadInstitution}> <{ogp.supportingInstitution}> }}
  FILTER (?other != <{iri}>)
}} GROUP BY ?other ORDER BY DESC(?together) ?other LIMIT {PARTNERS}""")
    units = store.select(f"SELECT ?unit WHERE {{ ?unit <{ORG.subOrganizationOf}> <{iri}> }} "
                         "ORDER BY ?unit")
    parents = sorted(ctx.graph.objects(iri, ORG.subOrganizationOf), key=str)
    sector = _sector_class(ctx)
    context = {
        "sector": sector, "member": ctx.graph.value(iri, ogp.member),
        "acronym": ctx.graph.value(iri, ogp.acronym),
        "variants": sorted(str(v) for v in ctx.graph.objects(iri, SKOS.altLabel)),
        "notes": sorted(str(v) for v in ctx.graph.objects(iri, SKOS.note)),
        "parents": parents, "units": [r["unit"] for r in units],
        "commitments": commitments, "commitments_pager": pager(ctx.page, total),
        "led": int(store.select(f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ ?c "
                                f"<{ogp.leadInstitution}> <{iri}> }}")[0]["n"]),
        "supported": int(store.select(f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ ?c "
                                      f"<{ogp.supportingInstitution}> <{iri}> }}")[0]["n"]),
        "partners": [{"iri": r["other"], "together": int(r["together"])} for r in partners],
    }
    labelled = rows_iris(rows) | rows_iris(partners) | rows_iris(units) | set(parents) | {sector}
    return PageView(context, labelled)
