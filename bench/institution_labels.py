"""How many published institution labels are not one institution, and what else changed:
two releases compared side by side (e.g. a build by the previous version and one by this).

    .venv/bin/python bench/institution_labels.py --after DIR [--before DIR] [--show N]
        [--diff]

DIR is a build folder (its ``current`` release) or a release folder. Per release: the
institutions, the links from commitments to them (``ogp:leadInstitution`` /
``ogp:supportingInstitution``, i.e. per mention), and the share of labels that look like
lists, headings, sentences or broken text (``records.institutions.quality.doubts``), per
mention and per institution. ``--diff``: every other fact of the default graph that differs
(triples about institutions, their links, and the build's own disagreement and ontology
nodes left out), counted by predicate, with examples: what must be explained.
"""

from __future__ import annotations

import argparse
import gzip
import sys
from collections import Counter
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ogpgraph.config import DEFAULT_BASE_URI as B  # noqa: E402
from ogpgraph.records.institutions import doubts  # noqa: E402

OGP = f"{B}ontology#"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
ROLES = (f"{OGP}leadInstitution", f"{OGP}supportingInstitution")
LEFT_OUT = (f"{B}id/institution/", f"{B}id/disagreement/", f"{B}ontology", f"{B}graph/",
            f"{B}shapes")


def release_of(folder: Path) -> Path:
    current = folder / "current"
    return current.resolve() if current.exists() else folder


def triples(folder: Path) -> tuple[set[tuple[str, str, str]], dict[str, str]]:
    """The default graph's triples (N-Triples terms) and the institutions' labels (text)."""
    dump = release_of(folder) / "dumps" / "ogpgraph.nt.gz"
    facts, labels = set(), {}
    with gzip.open(dump, "rb") as stream:
        for q in ox.parse(stream, ox.RdfFormat.N_TRIPLES):
            facts.add((str(q.subject), str(q.predicate), str(q.object)))
            if q.predicate.value == LABEL and q.subject.value.startswith(
                    f"{B}id/institution/"):
                labels[str(q.subject)] = q.object.value
    return facts, labels


def label_report(title: str, facts: set[tuple[str, str, str]], labels: dict[str, str],
                 show: int) -> None:
    links = [(s, o) for s, p, o in facts if p in {f"<{r}>" for r in ROLES}]
    mentions = [labels.get(o, o) for _, o in links]
    doubtful = [label for label in mentions if doubts(label)]
    institutions = list(labels.values())
    doubtful_institutions = [label for label in institutions if doubts(label)]
    print(f"\n== {title}")
    print(f"institutions: {len(labels)}; commitment -> institution links (mentions): "
          f"{len(links)}")
    print(f"doubtful labels per mention: {len(doubtful)} = "
          f"{100 * len(doubtful) / max(1, len(mentions)):.1f} %; per institution: "
          f"{len(doubtful_institutions)} = "
          f"{100 * len(doubtful_institutions) / max(1, len(institutions)):.1f} %")
    reasons = Counter(r for label in doubtful_institutions for r in doubts(label))
    print("reasons (per institution):", ", ".join(f"{r} {n}" for r, n in reasons.most_common()))
    for label in sorted(set(doubtful_institutions))[:show]:
        print(f"  {label!r} <- {', '.join(doubts(label))}")


def other_facts(facts: set[tuple[str, str, str]]) -> set[tuple[str, str, str]]:
    """Everything but institutions, their links and the build's own nodes."""
    def left_out(term: str) -> bool:
        return any(term.startswith(f"<{prefix}") for prefix in LEFT_OUT)
    return {t for t in facts if not (left_out(t[0]) or left_out(t[2])
                                     or t[1] in {f"<{r}>" for r in ROLES})}


def diff_report(before: set[tuple[str, str, str]], after: set[tuple[str, str, str]],
                show: int) -> None:
    old, new = other_facts(before), other_facts(after)
    gone, added = sorted(old - new), sorted(new - old)
    print(f"\n== other facts of the default graph: {len(old)} before, {len(new)} after; "
          f"only before: {len(gone)}, only after: {len(added)}")
    for name, rows in (("only before", gone), ("only after", added)):
        by_predicate = Counter(p for _, p, _ in rows)
        print(f"{name}: " + ", ".join(f"{p} {n}" for p, n in by_predicate.most_common()))
        for row in rows[:show]:
            print("   ", " ".join(row)[:240])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--after", type=Path, required=True, help="build or release folder")
    parser.add_argument("--before", type=Path, help="build or release folder to compare")
    parser.add_argument("--show", type=int, default=40, help="doubtful labels to list")
    parser.add_argument("--diff", action="store_true", help="compare the other facts")
    args = parser.parse_args()
    after, after_labels = triples(args.after)
    if args.before:
        before, before_labels = triples(args.before)
        label_report(f"before: {release_of(args.before)}", before, before_labels, args.show)
    label_report(f"after: {release_of(args.after)}", after, after_labels, args.show)
    if args.diff and args.before:
        diff_report(before, after, args.show)


if __name__ == "__main__":
    main()
