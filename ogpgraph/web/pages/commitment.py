"""A commitment: milestones in order, IRM assessments grouped by report, titles, prose.

Everything comes from the commitment's own document (it owns its milestones and
assessments), so this view runs no query of its own.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from rdflib.namespace import DCTERMS, RDF, RDFS
from rdflib.term import Node

from ogpgraph.graph.labels import pick_literal
from ogpgraph.graph.terms import SCHEMA
from ogpgraph.web.pages.kind import PageContext, PageView, props_of


def _reports(ctx: PageContext) -> list[dict[str, Any]]:
    graph, iri, ogp = ctx.graph, ctx.iri, ctx.ogp
    by_report: dict[Node, list[Node]] = defaultdict(list)
    for assessment in graph.objects(iri, ogp.assessment):
        by_report[graph.value(assessment, ogp.report) or assessment].append(assessment)
    skip = (RDF.type, RDFS.label, ogp.assessedCommitment, ogp.report)
    reports = [{"report": report, "kind": graph.value(report, ogp.reportKind),
                "issued": graph.value(report, DCTERMS.issued),
                "assessments": [{"iri": a, "values": props_of(graph, a, skip)}
                                for a in assessments]}
               for report, assessments in by_report.items()]
    reports.sort(key=lambda r: (str(r["issued"] or ""), str(r["report"])))
    return reports


def summary_properties(ctx: PageContext) -> list[Node]:
    """The properties at the top of the page, in this order (each with its label)."""
    ogp = ctx.ogp
    return [ogp.member, ogp.actionPlan, ogp.leadInstitution, ogp.supportingInstitution,
            ogp.policyArea, ogp.theme, ogp.status, ogp.shortTitle, SCHEMA.startDate,
            SCHEMA.endDate, DCTERMS.identifier, ogp.starred]


def commitment_view(ctx: PageContext) -> PageView:
    graph, iri, lang = ctx.graph, ctx.iri, ctx.lang
    milestones = sorted(graph.objects(iri, ctx.ogp.milestone),
                        key=lambda m: (int(graph.value(m, SCHEMA.position) or 0), str(m)))
    return PageView({
        "milestones": [{"iri": m, "position": graph.value(m, SCHEMA.position),
                        "description": pick_literal(graph.objects(m, DCTERMS.description), lang)}
                       for m in milestones],
        "description": pick_literal(graph.objects(iri, DCTERMS.description), lang),
        "other_titles": sorted(graph.objects(iri, DCTERMS.title), key=str),
        "reports": _reports(ctx),
        "value": lambda p: sorted(graph.objects(iri, p), key=str),
        "summary_properties": summary_properties(ctx),
        "dcterms": DCTERMS,
    })
