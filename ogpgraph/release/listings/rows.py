"""Every table's rows from the listing state (``state.py``), ids and positions included, so
the same state always gives the same rows (a full build inserts them all; an incremental
one writes the difference with the previous release's)."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ogpgraph.release.listings.schema import FACET_ORDERS, SCHEMA_VERSION, SORT_ORDERS
from ogpgraph.release.listings.state import CommitmentRecord, ListingState

COMMITMENT_COLUMNS = ("id", "iri", "identifier", "member", "cycle", "starred", "max_rank",
                      "snippet", *SORT_ORDERS)
# every table's columns, in the order rows give them (search is written apart)
COLUMNS: dict[str, tuple[str, ...]] = {
    "commitments": COMMITMENT_COLUMNS,
    "facet_values": ("id", "facet", "value"),
    "facets": ("value_id", "position", "commitment", *FACET_ORDERS),
    "members": ("id", "iri", "slug", "sort_key", "local", "commitments"),
    "action_plans": ("id", "iri", "member", "member_key", "cycle", "commitments"),
    "cycles": ("year",),
    "institutions": ("id", "iri", "member", "sort_key", "led", "supported", "type"),
    "institution_types": ("class", "institution"),
    "redirects": ("old", "new"),
    "memberships": ("member", "resource"),
    "schemes": ("iri",),
    "concepts": ("iri", "scheme", "notation", "rank", "uses"),
    "labels": ("iri", "lang", "text", "tag"),
    "identifiers": ("kind", "key", "folded", "backwards", "iri", "label"),
    "meta": ("key", "value"),
}


@dataclass
class CommitmentRows:
    """Commitments in (identifier, IRI) order (their ids), with each listing order's
    positions and their facet values."""

    order: list[str] = field(default_factory=list)
    ids: dict[str, int] = field(default_factory=dict)
    positions: dict[str, dict[str, int]] = field(default_factory=dict)


def sort_key(record: CommitmentRecord, key: str) -> str:
    return {"id": record.identifier, "member": record.member_key,
            "cycle": record.cycles[0] if record.cycles else "", "title": record.title_key}[key]


def commitment_order(state: ListingState) -> CommitmentRows:
    found = CommitmentRows(sorted(state.commitments,
                                  key=lambda c: (state.commitments[c].identifier, c)))
    found.ids = {c: n for n, c in enumerate(found.order, start=1)}
    # each order's ties go by (identifier, IRI) ascending, which is row order; Python sorts
    # are stable, so sorting the rows by the key alone keeps that tie order
    for name in SORT_ORDERS:
        key, _, direction = name.partition("_")
        ranked = sorted(found.order, key=lambda c, k=key: sort_key(state.commitments[c], k),
                        reverse=direction == "desc")
        found.positions[name] = {c: n for n, c in enumerate(ranked, start=1)}
    return found


def commitment_rows(state: ListingState, order: CommitmentRows) -> list[tuple[Any, ...]]:
    rows = []
    for c in order.order:
        r = state.commitments[c]
        rows.append((order.ids[c], c, r.identifier, r.members[0] if r.members else None,
                     r.cycles[0] if r.cycles else None, int(r.starred), r.max_rank, r.snippet,
                     *(order.positions[name][c] for name in SORT_ORDERS)))
    return rows


def facet_rows(state: ListingState, order: CommitmentRows
               ) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """facet_values (numbered as they first appear in row order) and facets: within each
    value, its commitments numbered in id order and in each listing order."""
    value_ids: dict[tuple[str, str], int] = {}
    by_value: dict[int, list[str]] = defaultdict(list)
    for c in order.order:
        r = state.commitments[c]
        for facet, values in (("member", r.members), ("cycle", r.cycles),
                              ("policy-area", r.policy_areas)):
            for value in values:
                by_value[value_ids.setdefault((facet, value), len(value_ids) + 1)].append(c)
    values = [(key, facet, value) for (facet, value), key in value_ids.items()]
    facets = []
    for value_id, members in by_value.items():
        within = [{c: n for n, c in enumerate(
            sorted(members, key=lambda c, o=name: order.positions[o][c]), start=1)}
            for name in FACET_ORDERS]
        for position, c in enumerate(members, start=1):
            facets.append((value_id, position, order.ids[c], *(w[c] for w in within)))
    return values, facets


def numbered(rows: Iterable[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Rows given their ids 1..n in the order given (what an INTEGER PRIMARY KEY column
    gets when they are inserted into an empty table in that order)."""
    return [(n, *row) for n, row in enumerate(rows, start=1)]


# long: one table after the other, each as its reader expects it
def table_rows(state: ListingState, base: str, redirects: dict[str, str], fts: bool
               ) -> tuple[dict[str, list[tuple[Any, ...]]], CommitmentRows]:
    """Every table's rows but the search table's."""
    order = commitment_order(state)
    tables: dict[str, list[tuple[Any, ...]]] = {"commitments": commitment_rows(state, order)}
    tables["facet_values"], tables["facets"] = facet_rows(state, order)
    in_member: Counter[str] = Counter(m for r in state.commitments.values() for m in r.members)
    in_plan: Counter[str] = Counter(p for r in state.commitments.values() for p in r.plans)
    prefix = f"{base}id/member/"
    tables["members"] = numbered(sorted(
        ((m, m.removeprefix(prefix), key, int(local), in_member[m])
         for m, (key, local) in state.members.items()), key=lambda r: (r[2], r[0])))
    tables["action_plans"] = numbered(
        (p, r.members[0] if r.members else None, r.member_key,
         r.cycles[0] if r.cycles else None, in_plan[p]) for p, r in sorted(state.plans.items()))
    tables["cycles"] = [(y,) for y in sorted({y for r in state.plans.values() for y in r.cycles})]
    tables["institutions"] = numbered(sorted(
        ((i, r.members[0] if r.members else None, r.sort_key, state.led[i],
          state.supported[i], r.types[0]) for i, r in state.institutions.items()),
        key=lambda r: (r[2], r[0])))
    tables["institution_types"] = sorted(
        {(cls, i) for i, r in state.institutions.items() for cls in r.types})
    tables["redirects"] = sorted(redirects.items())
    tables["memberships"] = sorted(
        {(m, r) for r, members in [*((p, rec.members) for p, rec in state.plans.items()),
                                   *((i, rec.members) for i, rec in state.institutions.items())]
         for m in members})
    tables["schemes"] = [(s,) for s in sorted(state.schemes)]
    tables["concepts"] = [(x, s, r.notation, r.rank, state.uses[x])
                          for x, r in sorted(state.concepts.items()) for s in r.schemes]
    labelled = (state.commitments.keys() | state.members.keys() | state.plans.keys()
                | state.institutions.keys() | state.concepts.keys() | state.schemes
                | state.classes())
    tables["labels"] = [(iri, *row) for iri in sorted(labelled & state.labels.keys())
                        for row in state.labels[iri]]
    tables["identifiers"] = [(kind, key, key.lower(), key.lower()[::-1], iri, label)
                             for iri, (kind, key, label) in sorted(state.identifiers.items())]
    totals = {"commitments": len(state.commitments), "members": len(state.members),
              "local_members": sum(local for _, local in state.members.values()),
              "action_plans": len(state.plans), "institutions": len(state.institutions),
              "fts5": int(fts), "schema": SCHEMA_VERSION}
    tables["meta"] = [(k, json.dumps(v)) for k, v in totals.items()]
    return tables, order
