"""An institution: the commitments it leads and supports."""

from __future__ import annotations

from ogpgraph.web.pages.kind import PageContext, PageView, rows_iris


def institution_view(ctx: PageContext) -> PageView:
    ogp, iri = ctx.ogp, ctx.iri
    rows = ctx.published.store.select(f"""
SELECT DISTINCT ?c ?role ?ap ?year WHERE {{
  VALUES ?role {{ <{ogp.leadInstitution}> <{ogp.supportingInstitution}> }}
  ?c ?role <{iri}> .
  OPTIONAL {{ ?c <{ogp.actionPlan}> ?ap OPTIONAL {{ ?ap <{ogp.cycleYear}> ?year }} }}
}} ORDER BY ?year ?ap ?c""")
    leads = [r for r in rows if r["role"] == ogp.leadInstitution]
    supports = [r for r in rows if r["role"] == ogp.supportingInstitution]
    return PageView({"leads": leads, "supports": supports}, rows_iris(rows))
