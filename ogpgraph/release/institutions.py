"""The build-level pass over institutions, before mapping.

Every institution field of every source (kept whole by the readers in
``Commitment.institution_fields``) is grouped by the commitment's member; each member is
reconciled once (``records.institutions.reconcile_member``: every field read again with the
member's gazetteer, the spellings gathered into institutions, one sector each); then every
commitment's ``lead_institutions`` / ``supporting_institutions`` are replaced by the
member's canonical institutions, so every source graph names one IRI per institution and
types it with the one class the build concluded. Never across members. The same input
gives the same institutions and IRIs (fields are fed in source and row order, and the
reconciliation does not depend on that order).

Also: the warnings for the build report (fields kept whole, acronyms left apart as
ambiguous, classification conflicts), the reconciliation report (``institutions-report.json``
and ``.md`` in the release) and the redirects (old IRI -> kept IRI) of merged spellings.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from ogpgraph.graph.uris import Uris
from ogpgraph.records.institutions import (
    FieldInput,
    Institution,
    MemberInstitutions,
    Mention,
    identity,
    reconcile_member,
    report,
)
from ogpgraph.records.model import Commitment, InstitutionField, InstitutionRef, SourceRecords

REPORT_JSON = "institutions-report.json"
REPORT_TEXT = "institutions-report.md"
# issue kinds that become build warnings (the report lists every issue)
WARNED = {"unsplit": "kept whole: it may name several institutions"}


class BookCache(Protocol):
    """Members' books kept from the previous release, by the digest of their fields."""

    def book(self, member: str, digest: str) -> MemberInstitutions | None: ...


@dataclass
class InstitutionPass:
    """What the pass concluded, per member; ``digests``: each member's fields' digest (what
    its book is a function of), ``reused``: the members whose book came from the cache."""

    books: list[MemberInstitutions] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    digests: dict[str, str] = field(default_factory=dict)
    reused: set[str] = field(default_factory=set)

    def redirects(self, base: str) -> dict[str, str]:
        """Old IRI -> kept IRI for every merged spelling (``MemberInstitutions.redirects``)."""
        uris = Uris(base)
        return {str(uris.institution_slug(book.member, old)): str(
                    uris.institution_slug(book.member, new))
                for book in self.books for old, new in book.redirects().items()}

    def write_reports(self, folder: Path) -> list[Path]:
        """The reconciliation report as JSON and as Markdown; returns the files."""
        data = report.as_dict(self.books)
        json_path, text_path = folder / REPORT_JSON, folder / REPORT_TEXT
        json_path.write_text(json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True),
                             encoding="utf-8")
        text_path.write_text(report.render(self.books), encoding="utf-8")
        return [json_path, text_path]


@dataclass(frozen=True)
class _Entry:
    commitment: Commitment
    field: InstitutionField


def reconcile_institutions(all_records: list[SourceRecords],
                           cache: BookCache | None = None) -> InstitutionPass:
    """Reconcile every member's institutions and rewrite the commitments' institution lists
    with them (in place). A member whose fields are those of the previous release takes its
    book from ``cache``: reconciling is a function of the fields alone."""
    by_member: dict[str, list[tuple[FieldInput, _Entry]]] = defaultdict(list)
    for records in all_records:
        for commitment in records.commitments:
            if commitment.member is None or not commitment.institution_fields:
                continue
            commitment.lead_institutions, commitment.supporting_institutions = [], []
            for f in commitment.institution_fields:
                where = f"{records.source.path}:{commitment.line or 0} {commitment.identifier} " \
                        f"{f.label}"
                by_member[commitment.member.slug].append(
                    (FieldInput(where, f.role, f.text), _Entry(commitment, f)))
    result = InstitutionPass()
    for member in sorted(by_member):
        entries = by_member[member]
        inputs = [field_input for field_input, _ in entries]
        digest = result.digests[member] = fields_digest(member, inputs)
        book = cache.book(member, digest) if cache is not None else None
        if book is None:
            book = reconcile_member(member, inputs)
        else:
            result.reused.add(member)
        _assign(book, [entry for _, entry in entries])
        result.books.append(book)
        result.warnings += _warnings(book)
    return result


def fields_digest(member: str, inputs: list[FieldInput]) -> str:
    """sha256 of a member's institution fields, in order (where, role, text)."""
    digest = hashlib.sha256(member.encode() + b"\0")
    for item in inputs:
        role = getattr(item.role, "value", item.role)
        digest.update(json.dumps([item.where, role, item.text]).encode() + b"\n")
    return digest.hexdigest()


def _assign(book: MemberInstitutions, entries: list[_Entry]) -> None:
    refs = _Refs(book)
    for r_index, ((_, reading), entry) in enumerate(zip(book.readings, entries, strict=True)):
        found = [refs.of(mention, book.by_mention[(r_index, m_index)])
                 for m_index, mention in enumerate(reading.mentions)]
        target = entry.commitment.lead_institutions if entry.field.role == "lead" \
            else entry.commitment.supporting_institutions
        for ref in found:
            if all(ref.slug != known.slug for known in target):
                target.append(ref)


class _Refs:
    """The member's institutions as :class:`InstitutionRef`, parents included."""

    def __init__(self, book: MemberInstitutions) -> None:
        self.book = book
        self.by_slug = {inst.slug: inst for inst in book.institutions}
        self.by_key: dict[tuple[str, ...], str] = {}
        for inst in book.institutions:
            for spelling in sorted({inst.name, *inst.alt_labels, *inst.merged}):
                self.by_key.setdefault(identity.name_key(spelling), inst.slug)
        self.plain: dict[str, InstitutionRef] = {}

    def institution(self, slug: str, depth: int = 0) -> InstitutionRef:
        """The institution alone (no spelling or note of a mention); parents up to 4 deep."""
        if slug not in self.plain:
            inst: Institution = self.by_slug[slug]
            parent = self.institution(inst.parent, depth + 1) \
                if inst.parent and inst.parent != slug and depth < 4 else None
            self.plain[slug] = InstitutionRef(inst.name, inst.sector.value, inst.acronym,
                                              parent=parent, slug=inst.slug)
        return self.plain[slug]

    def of(self, mention: Mention, slug: str) -> InstitutionRef:
        plain = self.institution(slug)
        via_slug = self.by_key.get(identity.name_key(mention.via)) if mention.via else None
        via = self.institution(via_slug) if via_slug and via_slug != slug else None
        return InstitutionRef(plain.name, plain.sector, plain.acronym, note=mention.note,
                              parent=plain.parent, via=via, spelling=mention.name,
                              slug=plain.slug)


def _warnings(book: MemberInstitutions) -> list[str]:
    lines = [f"institutions of {book.member}: {issue.detail.split(': ')[0]}: {issue.text!r} "
             f"{WARNED[issue.kind]}" for issue in book.issues if issue.kind in WARNED]
    lines += [f"institutions of {book.member}: acronym left apart, ambiguous: {a}"
              for a in book.ambiguous]
    lines += [f"institutions of {book.member}: classification: {c}" for c in book.conflicts]
    return lines


def report_entries(files: list[Path]) -> list[dict[str, Any]]:
    """Manifest entries of the report files (name, media type, size)."""
    types = {".json": "application/json", ".md": "text/markdown; charset=utf-8"}
    return [{"file": path.name, "media_type": types.get(path.suffix, "text/plain"),
             "bytes": path.stat().st_size,
             "description": "Institutions: reconciliation report (merged spellings, names "
                            "left apart as ambiguous, fields kept whole, classifications)"}
            for path in files]
