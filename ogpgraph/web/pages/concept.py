"""A SKOS concept or scheme: the scheme's concepts in order, and the commitments that use
the concept (directly, or through one of their IRM assessments), paginated."""

from __future__ import annotations

from rdflib.namespace import DCTERMS, SKOS
from rdflib.term import Node

from ogpgraph.web.pages.kind import HTML_PAGE_SIZE, PageContext, PageView, pager, rows_iris


def concept_view(ctx: PageContext) -> PageView:
    store, ogp, iri = ctx.published.store, ctx.ogp, ctx.iri
    is_scheme = SKOS.ConceptScheme in ctx.types
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
    offset = (ctx.page - 1) * HTML_PAGE_SIZE
    rows = store.select(f"""
SELECT DISTINCT ?c ?m ?id WHERE {{
  {{ SELECT DISTINCT ?c WHERE {{ {using} }} }}
  OPTIONAL {{ ?c <{ogp.member}> ?m }} OPTIONAL {{ ?c <{DCTERMS.identifier}> ?id }}
}} ORDER BY ?m ?id ?c OFFSET {offset} LIMIT {HTML_PAGE_SIZE}""")
    return PageView({"concepts": concepts, "is_scheme": is_scheme, "commitments": rows,
                     "commitments_pager": pager(ctx.page, total)},
                    rows_iris(rows) | rows_iris(concepts))
