"""Disagreements between sources are reported, never silently resolved."""

from __future__ import annotations

from pathlib import Path

from ogpgraph.records.disagreements import find_action_plan_disagreements, find_disagreements
from ogpgraph.records.model import ActionPlanRef, Commitment, MemberRef, Source, SourceRecords
from ogpgraph.release.layout import BuildLayout


def records(label: str, **fields: object) -> SourceRecords:
    source = Source(kind="page", path=label, sha256=label * 8, label=label)
    commitment = Commitment(identifier="PE0055", source=source,
                            member=MemberRef("Peru", "peru"), **fields)
    return SourceRecords(source=source, commitments=[commitment])


def test_conflicting_dates_are_reported_and_compatible_precision_is_not() -> None:
    one = records("a.txt", start_date="2015-08", end_date="2016-07", status="inactive")
    two = records("b.csv", start_date="2015-08-01", end_date="2017-07-31", status="inactive")
    messages = find_disagreements([one, two])
    assert messages == ["PE0055: sources disagree on end date: '2016-07' (a.txt) vs "
                        "'2017-07-31' (b.csv)"]


def test_one_source_never_disagrees_with_itself() -> None:
    assert find_disagreements([records("a.txt", status="active")]) == []


def test_action_plan_facts_are_compared_across_commitments() -> None:
    one = records("a.txt", action_plan=ActionPlanRef("peru", 2015, end_year=2016))
    two = records("b.csv", action_plan=ActionPlanRef("peru", 2015, end_year=2017))
    [message] = find_action_plan_disagreements([one, two])
    assert message.startswith("action plan peru-2015: sources disagree on end year: 2016")


def test_the_shared_build_reports_a_real_disagreement(shared_build_dir: Path) -> None:
    warnings = BuildLayout.current(shared_build_dir).manifest()["warnings"]
    assert any("honduras-2018: sources disagree on end year" in w for w in warnings)
