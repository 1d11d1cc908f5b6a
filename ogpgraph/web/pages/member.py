"""A member: its action plans, its commitments by cycle (paginated) and a completion chart.

Read from the build's listing index: the union of the source graphs restates shared facts
once per source, so scanning it per request would multiply rows (a member page of the
10,000-commitment benchmark build ran out of memory that way).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from rdflib import URIRef
from rdflib.term import Node

from ogpgraph.web.pages.kind import HTML_PAGE_SIZE, PageContext, PageView, pager

MAX_PLANS = 1_000  # action plans listed on a member page (OGP members have a handful)


def completion_chart(ctx: PageContext) -> dict[str, Any]:
    """The member's commitments by the highest completion level any IRM report found."""
    listings = ctx.published.listings
    scheme = f"{ctx.base}id/completion"
    counts = listings.completion_counts(listings.commitment_where(member=str(ctx.iri)))
    bars = []
    for rank, count in counts:
        concept = listings.concept_with_rank(scheme, rank) if rank is not None else None
        bars.append({"concept": URIRef(concept) if concept else None, "rank": rank,
                     "count": count})
    top = max((b["count"] for b in bars), default=0)
    return {"bars": bars, "max": top, "width": 320, "row": 26}


def member_view(ctx: PageContext) -> PageView:
    listings = ctx.published.listings
    member = str(ctx.iri)
    plans = [{"ap": URIRef(row[0]), "year": row[2]}
             for row in listings.action_plans_page(member, MAX_PLANS, 0)]
    plans.sort(key=lambda plan: (str(plan["year"] or ""), str(plan["ap"])))
    query = listings.commitment_where(member=member)
    total = listings.count_commitments(query)
    rows = listings.commitment_page(query, "cycle", False, HTML_PAGE_SIZE,
                                    (ctx.page - 1) * HTML_PAGE_SIZE)
    cycles: dict[str | None, list[Node]] = defaultdict(list)
    for row in rows:
        cycles[row[3]].append(URIRef(row[0]))
    chart = completion_chart(ctx)
    labelled = ({plan["ap"] for plan in plans} | {c for cs in cycles.values() for c in cs}
                | {bar["concept"] for bar in chart["bars"] if bar["concept"] is not None}
                | {ctx.ogp.completion})  # the chart's heading
    return PageView({"plans": plans,
                     "cycles": [{"cycle": year, "commitments": cs} for year, cs in cycles.items()],
                     "commitment_count": total, "commitments_pager": pager(ctx.page, total),
                     "chart": chart}, labelled)
