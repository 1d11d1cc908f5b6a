"""An action plan: its commitments in plan order and the IRM reports on it."""

from __future__ import annotations

from rdflib.namespace import DCTERMS

from ogpgraph.web.pages.kind import PageContext, PageView, rows_iris


def action_plan_view(ctx: PageContext) -> PageView:
    store, ogp, iri = ctx.published.store, ctx.ogp, ctx.iri
    commitments = store.select(f"""
SELECT DISTINCT ?c ?n WHERE {{ ?c a <{ogp.Commitment}> ; <{ogp.actionPlan}> <{iri}> .
  OPTIONAL {{ ?c <{ogp.commitmentNumber}> ?n }} OPTIONAL {{ ?c <{DCTERMS.identifier}> ?id }} }}
ORDER BY ?n ?id ?c""")
    reports = store.select(f"""
SELECT DISTINCT ?r ?year WHERE {{ ?r a <{ogp.IRMReport}> ; <{ogp.actionPlan}> <{iri}> .
  OPTIONAL {{ ?r <{DCTERMS.issued}> ?year }} }} ORDER BY ?year ?r""")
    return PageView({"commitments": commitments, "reports": reports},
                    rows_iris(commitments) | rows_iris(reports))
