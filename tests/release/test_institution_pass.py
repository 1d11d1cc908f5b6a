"""The build-level pass over institutions (release/institutions.py): one reconciliation per
member, applied to every source's commitments; deterministic; never across members; its
redirects, warnings and report."""

from __future__ import annotations

import json
from pathlib import Path

from ogpgraph.config import DEFAULT_BASE_URI as B
from ogpgraph.records.model import (
    Commitment,
    InstitutionField,
    MemberRef,
    Source,
    SourceRecords,
)
from ogpgraph.release.institutions import reconcile_institutions

FIELDS = {  # (source kind, id, member) -> (role, text) fields
    ("csv", "KE0001", "kenya"): [("lead", "Commission on Administrative Justice (CAJ)"),
                                 ("support", "Ministry of Justice, Kenya Law Reform Commission; "
                                             "Article 19, Mzalendo Trust")],
    ("csv", "KE0002", "kenya"): [("lead", "CAJ"), ("support", "the Ministry of Justice")],
    ("page", "KE0002", "kenya"): [("lead", "CAJ"),
                                  ("support", "Ministry of Justice Kenya Law Reform "
                                              "Commission Office of the Auditor General")],
    ("csv", "UG0001", "uganda"): [("lead", "CAJ")],
}


def _records(order: int = 1) -> list[SourceRecords]:
    by_source: dict[str, SourceRecords] = {}
    for (kind, identifier, member), fields in list(FIELDS.items())[::order]:
        records = by_source.setdefault(kind, SourceRecords(
            Source(kind, f"{kind}.src", kind[0] * 64, label=kind)))  # type: ignore[arg-type]
        records.commitments.append(Commitment(
            identifier, records.source, MemberRef(member.title(), member),
            institution_fields=[InstitutionField(r, r, t) for r, t in fields]))
    return list(by_source.values())[::order]


def _institutions(all_records: list[SourceRecords]) -> dict[tuple[str, str, str], list]:
    return {(r.source.kind, c.identifier, role): sorted(
                (i.slug, i.sector, i.name) for i in getattr(c, f"{role}_institutions"))
            for r in all_records for c in r.commitments
            for role in ("lead", "supporting")}


def test_acronym_and_spellings_are_one_institution_within_a_member() -> None:
    records = _records()
    result = reconcile_institutions(records)
    found = _institutions(records)
    caj = ("commission-on-administrative-justice", "government",
           "Commission on Administrative Justice")
    assert found[("csv", "KE0001", "lead")] == [caj]
    assert found[("csv", "KE0002", "lead")] == [caj] == found[("page", "KE0002", "lead")]
    ministry = ("ministry-of-justice", "executive", "Ministry of Justice")
    assert ministry in found[("csv", "KE0002", "supporting")]  # "the Ministry of Justice"
    # never across members: Uganda's CAJ is Uganda's own
    assert found[("csv", "UG0001", "lead")] == [("caj", "unknown", "CAJ")]
    redirects = result.redirects(B)
    assert redirects[f"{B}id/institution/kenya/caj"] == \
        f"{B}id/institution/kenya/commission-on-administrative-justice"
    assert f"{B}id/institution/uganda/caj" not in redirects
    # the glued list is split with names the member's other fields give (the CSV's)
    assert ("kenya-law-reform-commission", "government", "Kenya Law Reform Commission") in \
        found[("page", "KE0002", "supporting")]


def test_the_pass_does_not_depend_on_the_order_of_sources_and_rows() -> None:
    forward, backward = _records(), _records(order=-1)
    reconcile_institutions(forward)
    reconcile_institutions(backward)
    assert _institutions(forward) == _institutions(backward)


def test_the_report_and_warnings(tmp_path: Path) -> None:
    records = _records()
    records[0].commitments[0].institution_fields.append(InstitutionField(
        "support", "support", "the Auditor General National Sector Working Groups Ministry of "
        "Devolution and Planning Kenya School of Government National Assembly Uwezo"))
    result = reconcile_institutions(records)
    assert any("kept whole" in w and "Uwezo" in w for w in result.warnings), result.warnings
    files = result.write_reports(tmp_path)
    report = json.loads(files[0].read_text("utf-8"))
    kenya = report["members"]["kenya"]
    assert any(m["slug"] == "commission-on-administrative-justice" and "caj" in m["old_slugs"]
               for m in kenya["merged"])
    assert any("Uwezo" in x["text"] for x in kenya["kept_whole_or_left_out"])
    assert "kenya" in files[1].read_text("utf-8")
