"""How many institution labels are not one institution: before (today's readers) and after
(ogpgraph.records.institutions), over every institution field of ../shared/ogp.

    .venv/bin/python bench/institution_labels.py [--shared ../shared/ogp] [--show N]
        [--merges] [--issues]

Prints the number of fields, of labels (per mention, and distinct per member), the labels
that still look like lists, headings, sentences or broken text (``quality.doubts``), and,
for the new library, the merges of the reconciliation.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ogpgraph.graph.uris import slug  # noqa: E402
from ogpgraph.records.institutions import (  # noqa: E402
    FieldInput,
    Role,
    doubts,
    reconcile_member,
)
from ogpgraph.sources import page_text  # noqa: E402
from ogpgraph.sources.csv_export import split_names, supporting_institutions  # noqa: E402


@dataclass(frozen=True)
class Field:
    where: str  # commitment id and column / page label
    member: str  # member slug
    role: Role
    text: str
    old: tuple[str, ...]  # labels today's reader gives


def csv_fields(path: Path) -> list[Field]:
    out = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            ident, member = row["Commitment Unique Identifier"], slug(row["Country/Locality"])
            lead, support = row["Lead Institution"], row["Supporting Institution(s)"]
            out.append(Field(f"{ident} lead", member, Role.LEAD, lead, tuple(split_names(lead))))
            out.append(Field(f"{ident} support", member, Role.SUPPORT, support,
                             tuple(r.name for r in supporting_institutions(support))))
    return out


def page_fields(path: Path) -> list[Field]:
    """The raw institution fields of a page, and what the page reader makes of them."""
    records = page_text.read_page_text(path)
    commitment = records.commitments[0]
    member = commitment.member.slug if commitment.member else "unknown"
    lines = path.read_text(encoding="utf-8").lstrip("\ufeff").splitlines()
    page = page_text._Page(path=str(path), lines=lines)
    title = page_text._title_index(lines)
    page_text._read_glance(page, (title or 0) + 1)
    old = {"lead": [r.name for r in commitment.lead_institutions],
           "support": [r.name for r in commitment.supporting_institutions]}
    out = []
    for name, role in (("lead", Role.LEAD), ("support", Role.SUPPORT),
                       ("institutions_involved", Role.INVOLVED)):
        items = page.bullets.get(name)
        value = "\n".join(f"- {item}" for item in items) if items else page.value(name)
        if not value and name not in page.glance:
            continue
        old_labels = old["lead"] if role == Role.LEAD else old["support"]
        if role == Role.INVOLVED:
            old_labels, old["support"] = old["support"], []
        out.append(Field(f"{commitment.identifier} {name} ({path.name})", member, role, value,
                         tuple(old_labels)))
    return out


def all_fields(shared: Path) -> list[Field]:
    fields = csv_fields(shared / "commitments.csv")
    for page in sorted((shared / "pages").glob("*.txt")) + [shared / "seed" / "PE0055.txt"]:
        fields += page_fields(page)
    return fields


def report(title: str, labels: list[tuple[str, str, str]], show: int) -> None:
    """labels: (member, label, where)."""
    doubtful = [(m, lab, w, doubts(lab)) for m, lab, w in labels]
    doubtful = [d for d in doubtful if d[3]]
    distinct = {(m, lab) for m, lab, _ in labels}
    distinct_doubtful = {(m, lab) for m, lab, _, _ in doubtful}
    share = 100 * len(doubtful) / max(1, len(labels))
    print(f"\n== {title}")
    print(f"labels: {len(labels)} ({len(distinct)} distinct per member); doubtful: "
          f"{len(doubtful)} = {share:.1f} % ({len(distinct_doubtful)} distinct = "
          f"{100 * len(distinct_doubtful) / max(1, len(distinct)):.1f} %)")
    reasons = Counter(r for *_, rs in doubtful for r in rs)
    print("reasons:", ", ".join(f"{r} {n}" for r, n in reasons.most_common()))
    seen = set()
    for member, label, where, reasons_ in doubtful:
        if (member, label) in seen or len(seen) >= show:
            continue
        seen.add((member, label))
        print(f"  [{where}] {label!r}  <- {', '.join(reasons_)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "ogp")
    parser.add_argument("--show", type=int, default=60, help="doubtful labels to list")
    parser.add_argument("--merges", action="store_true", help="list every merge")
    parser.add_argument("--issues", action="store_true", help="list the unsplit pieces")
    args = parser.parse_args()
    fields = all_fields(args.shared)
    print(f"fields: {len(fields)} ({sum(1 for f in fields if f.where.endswith(')'))} from "
          f"pages), members: {len({f.member for f in fields})}")
    before = [(f.member, lab, f.where) for f in fields for lab in f.old]
    report("before (csv_export.split_names / supporting_institutions, page reader)", before,
           args.show)

    by_member: dict[str, list[FieldInput]] = {}
    for f in fields:
        by_member.setdefault(f.member, []).append(FieldInput(f.where, f.role, f.text))
    after, canonical, books = [], [], []
    for member, inputs in sorted(by_member.items()):
        book = reconcile_member(member, inputs)
        books.append(book)
        for reading_where, mention in book.mentions():
            after.append((member, mention.name, reading_where))
        canonical += [(member, inst.name, "canonical") for inst in book.institutions]
    report("after, mentions (ogpgraph.records.institutions, build-level pass)", after, args.show)
    report("after, institutions (canonical labels, one per institution and member)", canonical,
           args.show)
    issues = Counter(i.kind for b in books for i in b.issues)
    print("\nissues:", ", ".join(f"{k} {n}" for k, n in issues.most_common()))
    merges = [(b.member, inst) for b in books for inst in b.institutions if inst.why]
    print(f"merges: {len(merges)} institutions gathered from several spellings")
    for member, inst in merges if args.merges else merges[:25]:
        print(f"  {member}: {inst.name!r} <- {inst.alt_labels} ({'; '.join(inst.why)})")
    ambiguous = [a for b in books for a in b.ambiguous]
    print(f"left apart as ambiguous: {len(ambiguous)}")
    for item in ambiguous:
        print(f"  {item}")
    if args.issues:
        for b in books:
            for issue in b.issues:
                if issue.kind in ("unsplit", "conflict", "convention"):
                    print(f"  {b.member} {issue.kind}: {issue.text!r} {issue.detail}")


if __name__ == "__main__":
    main()
