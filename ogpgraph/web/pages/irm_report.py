"""An IRM report: the assessments it made, one row per commitment."""

from __future__ import annotations

from rdflib.namespace import DCTERMS

from ogpgraph.web.pages.kind import PageContext, PageView, rows_iris


def irm_report_view(ctx: PageContext) -> PageView:
    ogp, iri = ctx.ogp, ctx.iri
    rows = ctx.published.store.select(f"""
SELECT DISTINCT ?a ?c ?specificity ?impact ?completion ?id WHERE {{
  ?a <{ogp.report}> <{iri}> ; <{ogp.assessedCommitment}> ?c .
  OPTIONAL {{ ?c <{DCTERMS.identifier}> ?id }}
  OPTIONAL {{ ?a <{ogp.specificity}> ?specificity }}
  OPTIONAL {{ ?a <{ogp.potentialImpact}> ?impact }}
  OPTIONAL {{ ?a <{ogp.completion}> ?completion }}
}} ORDER BY ?id ?a""")
    headings = {ogp.Commitment, ogp.specificity, ogp.potentialImpact, ogp.completion}
    return PageView({"assessments": rows}, rows_iris(rows) | headings)
