"""Where sources disagree about the same commitment. Reported by the build, never resolved:
each source's statement stays in its own named graph."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from ogpgraph.records.model import Commitment, SourceRecords

Getter = Callable[[Commitment], object]

FIELDS: dict[str, Getter] = {
    "member": lambda c: c.member.slug if c.member else None,
    "action plan cycle": lambda c: c.action_plan.cycle_year if c.action_plan else None,
    "start date": lambda c: c.start_date,
    "end date": lambda c: c.end_date,
    "status": lambda c: c.status,
}
ASSESSMENT_FIELDS = (
    "specificity", "verifiable", "potential_impact", "ambition", "potential_for_results",
    "completion", "change_in_completion", "did_it_open_government", "early_results",
)


def _compatible(a: object, b: object) -> bool:
    # "2015-08" (month precision) agrees with "2015-08-01"
    if isinstance(a, str) and isinstance(b, str):
        return a.startswith(b) or b.startswith(a)
    return a == b


def find_disagreements(all_records: list[SourceRecords]) -> list[str]:
    by_id: dict[str, list[tuple[str, Commitment]]] = defaultdict(list)
    for records in all_records:
        for commitment in records.commitments:
            by_id[commitment.identifier.upper()].append((records.source.label, commitment))
    messages: list[str] = []
    for identifier in sorted(by_id):
        entries = by_id[identifier]
        if len({label for label, _ in entries}) < 2:
            continue
        checks: dict[str, list[tuple[str, object]]] = defaultdict(list)
        for label, commitment in entries:
            for name, get in FIELDS.items():
                checks[name].append((label, get(commitment)))
            for assessment in commitment.assessments:
                for attr in ASSESSMENT_FIELDS:
                    name = f"{assessment.report.kind} {attr.replace('_', ' ')}"
                    checks[name].append((label, getattr(assessment, attr)))
        for name, said in checks.items():
            values = [(label, value) for label, value in said if value is not None]
            first_label, first = values[0] if values else ("", None)
            for label, value in values[1:]:
                if not _compatible(first, value):
                    messages.append(f"{identifier}: sources disagree on {name}: "
                                    f"{first!r} ({first_label}) vs {value!r} ({label})")
                    break
    return messages


PLAN_FIELDS = ("end_year", "identifier", "number")


def find_action_plan_disagreements(all_records: list[SourceRecords]) -> list[str]:
    """Facts about one action plan (keyed by member and cycle) stated differently."""
    said: dict[tuple[str, int | None, str], dict[object, str]] = defaultdict(dict)
    for records in all_records:
        for commitment in records.commitments:
            plan = commitment.action_plan
            if plan is None:
                continue
            for name in PLAN_FIELDS:
                value = getattr(plan, name)
                if value is not None:
                    key = (plan.member_slug, plan.cycle_year, name)
                    said[key].setdefault(value, f"{records.source.label} {commitment.identifier}")
    messages = []
    for (member, cycle, name), values in sorted(said.items(), key=lambda item: str(item[0])):
        if len(values) > 1:
            listed = ", ".join(f"{value!r} ({where})" for value, where in values.items())
            messages.append(f"action plan {member}-{cycle}: sources disagree on "
                            f"{name.replace('_', ' ')}: {listed}")
    return messages
