"""The reconciliation report of a release: per member, which names were merged and why,
which were left apart as ambiguous, which fields were kept whole, and the classification
conflicts. ``render`` gives Markdown, ``as_dict`` the same as plain data (for JSON)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ogpgraph.records.institutions.reconcile import MemberInstitutions

_LISTED = ("unsplit", "convention", "conflict")


def as_dict(books: Iterable[MemberInstitutions]) -> dict[str, Any]:
    members = {}
    for book in books:
        members[book.member] = {
            "institutions": len(book.institutions),
            "merged": [{"name": i.name, "slug": i.slug, "variants": i.alt_labels,
                        "acronym": i.acronym, "why": i.why,
                        "old_slugs": sorted(set(i.merged.values()))}
                       for i in book.institutions if i.why],
            "ambiguous": book.ambiguous,
            "classification_conflicts": book.conflicts,
            "kept_whole_or_left_out": [{"kind": x.kind, "text": x.text, "detail": x.detail}
                                       for x in book.issues if x.kind in _LISTED],
            "redirects": book.redirects(),
        }
    return {"members": members}


def render(books: Iterable[MemberInstitutions]) -> str:
    """Markdown, one section per member with something to say."""
    lines = ["# Institutions: reconciliation report", ""]
    for book in sorted(books, key=lambda b: b.member):
        merged = [i for i in book.institutions if i.why]
        issues = [x for x in book.issues if x.kind in _LISTED]
        if not (merged or book.ambiguous or book.conflicts or issues):
            continue
        lines += [f"## {book.member} ({len(book.institutions)} institutions)", ""]
        for inst in merged:
            lines.append(f"- merged into **{inst.name}** (`{inst.slug}`): "
                         f"{', '.join(repr(v) for v in inst.alt_labels)} — {'; '.join(inst.why)}")
        lines += [f"- left apart, ambiguous: {a}" for a in book.ambiguous]
        lines += [f"- classification: {c}" for c in book.conflicts]
        lines += [f"- {x.kind}: {x.text!r} ({x.detail})" for x in issues]
        lines.append("")
    return "\n".join(lines)
