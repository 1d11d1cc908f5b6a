"""The reader of OGP's commitments export: hand-made fixtures and the real 558-row file."""

from __future__ import annotations

import csv
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib import Literal as RdfLiteral

from ogpgraph.graph.mapping import map_records
from ogpgraph.records import vocabulary
from ogpgraph.records.model import Assessment, Commitment, InstitutionField, SourceRecords
from ogpgraph.sources import csv_columns as col
from ogpgraph.sources.csv_export import is_csv_export, read_csv_export
from ogpgraph.sources.errors import SourceError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "csv"
SAMPLE = FIXTURES / "sample.csv"
REAL_DIR = Path(__file__).resolve().parents[3] / "shared" / "ogp"
REAL = REAL_DIR / "commitments.csv"
ISO_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
# The real export's cells that mean "no value", written here rather than taken from the
# reader's own table, so that a marker the reader stops knowing (or a value it starts
# treating as one) fails a test.
MARKERS = {"", "NA", "N/A", "ND", "NR", "Not Applicable", "No early results to report yet"}


def is_marker(cell: str) -> bool:
    return cell.strip() in MARKERS


def slug(label: str) -> str:
    """The key a label of the export has in our vocabularies, by the rule they were made
    by (lower case, "&" as "and", runs of other characters as one hyphen): independent of
    the look-up table the reader uses (ontology/vocabularies.ttl)."""
    return re.sub(r"[^a-z0-9]+", "-", label.strip().lower().replace("&", " and ")).strip("-")


def _sample_rows() -> tuple[list[str], list[dict[str, str]]]:
    with SAMPLE.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _write(path: Path, header: list[str], rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    return path


def _one_row(tmp_path: Path, **changes: str) -> Path:
    """The sample's first row with some cells changed, alone in a file (its row is on line 2)."""
    header, rows = _sample_rows()
    return _write(tmp_path / "one.csv", header, [{**rows[0], **changes}])


# The export's two column groups; plans of the refreshed IRM (cycle 2020 on) name their
# reports "action-plan-review" and "results".
ROLE = {"action-plan-review": "mid-term", "results": "end-of-term"}


def _by_kind(commitment: Commitment) -> dict[str, Assessment]:
    """Assessments by column group (mid-term / end-of-term), whatever the report's name."""
    return {ROLE.get(a.report.kind, a.report.kind): a for a in commitment.assessments}


# --- fixtures: what is read ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample() -> dict[str, Commitment]:
    records = read_csv_export(SAMPLE)
    assert records.source.kind == "csv" and len(records.source.sha256) == 64
    return {c.identifier: c for c in records.commitments}


def test_sample_identity_member_plan(sample: dict[str, Commitment]) -> None:
    assert list(sample) == ["XA0001", "XA0002", "XAB0003", "XA0004"]  # xa0004 upper-cased
    first = sample["XA0001"]
    assert first.member is not None and first.action_plan is not None
    assert (first.member.name, first.member.slug, first.member.iso_code) == (
        "Testland", "testland", "TST")
    assert (first.member.region, first.member.local) == ("europe", False)
    assert (first.action_plan.cycle_year, first.action_plan.end_year) == (2014, 2016)
    assert (first.action_plan.number, first.action_plan.identifier) == (2, "AP_TST02")
    assert first.action_plan.name is None
    assert (first.commitment_number, first.status) == (3, "inactive")
    assert first.theme == "Open Parliament"
    assert first.page_url == "https://opengovpartnership.org/members/testland/commitments/xa0001"
    local = sample["XAB0003"].member
    assert local is not None
    assert (local.slug, local.local, local.iso_code, local.region) == (
        "villa-prueba-testland", True, None, "americas")
    assert sample["XAB0003"].status == "active"


def test_line_is_where_the_row_starts_despite_multiline_cells(
        sample: dict[str, Commitment]) -> None:
    # XA0001's Full Text spans four lines (2-5), so XA0002 starts on line 6
    assert [c.line for c in sample.values()] == [2, 6, 7, 10]


def test_prose_and_languages(sample: dict[str, Commitment]) -> None:
    spanish = sample["XAB0003"]
    assert spanish.titles[0].lang == "es" and spanish.description is not None
    assert spanish.description.lang == "es"
    english = sample["XA0001"]
    assert english.titles[0].value.startswith("Publish the draft laws")
    assert english.titles[0].lang == "en"
    assert english.description is not None and "\n" in english.description.value


def test_markers_give_no_values(sample: dict[str, Commitment]) -> None:
    empty = sample["XA0002"]
    assert empty.theme is None and empty.short_title is None and empty.description is None
    assert empty.start_date is None and empty.end_date is None
    assert empty.lead_institutions == [] and empty.supporting_institutions == []
    assert empty.status is None and empty.page_url is None
    assert empty.action_plan is not None and empty.action_plan.end_year is None
    assert empty.policy_areas == []  # Youth = NA, Digital Participation = ND
    assert empty.commitment_number is None  # "2.3.1" is not a whole number
    # NR/ND years, NR values and "No early results to report yet": no assessment at all
    assert empty.assessments == []


def test_two_assessments_are_not_merged(sample: dict[str, Commitment]) -> None:
    reports = _by_kind(sample["XA0001"])
    assert sorted(reports) == ["end-of-term", "mid-term"]
    mid, end = reports["mid-term"], reports["end-of-term"]
    assert (mid.report.year, end.report.year) == (2016, 2017)
    assert mid.report.cycle_year == end.report.cycle_year == 2014
    assert mid.report.member_slug == "testland"
    assert (mid.completion, end.completion) == ("limited", "complete")
    assert (mid.specificity, mid.verifiable, mid.potential_impact, mid.relevant) == (
        "high", True, "transformative", True)
    assert mid.ogp_values == ["access-to-information", "civic-participation"]
    assert (mid.starred, mid.starred_formula) == (True, "current")
    assert end.specificity is None and end.ogp_values == [] and mid.did_it_open_government is None
    assert (end.change_in_completion, end.did_it_open_government) == ("increase", "major")
    # Civic Participation is "Not Applicable": no entry
    assert end.diog_by_value == {"access-to-information": "major",
                                 "public-accountability": "did-not-change"}
    assert (end.starred, end.starred_formula, end.carried_forward) == (True, "current", False)


def test_only_the_report_with_data_is_created(sample: dict[str, Commitment]) -> None:
    assert [a.report.kind for a in sample["XAB0003"].assessments] == ["action-plan-review"]
    assert sample["XAB0003"].assessments[0].potential_for_results == "modest"
    assert list(_by_kind(sample["XA0004"])) == ["end-of-term"]


def test_refreshed_irm_reports_are_named_by_cycle(sample: dict[str, Commitment]) -> None:
    assert sample["XAB0003"].action_plan.cycle_year == 2020
    assert {a.report.kind for a in sample["XA0001"].assessments} == {"mid-term", "end-of-term"}


def test_policy_areas_from_flags(sample: dict[str, Commitment]) -> None:
    assert sample["XA0001"].policy_areas == ["open-parliaments", "legislation",
                                             "public-participation"]
    assert sample["XA0004"].policy_areas == ["lobbying"]


def test_dates(sample: dict[str, Commitment]) -> None:
    assert (sample["XA0001"].start_date, sample["XA0001"].end_date) == ("2014-09-01", "2016-07")
    # quarters: first month of the start quarter, last month of the end quarter
    assert (sample["XAB0003"].start_date, sample["XAB0003"].end_date) == ("2021-01", "2022-12")
    assert (sample["XA0004"].start_date, sample["XA0004"].end_date) == (None, "2015-12-31")


def test_warnings_for_twins_and_dateless_text() -> None:
    warnings = read_csv_export(SAMPLE).warnings
    assert any(":10:" in w and "'Start Date' 'Ongoing'" in w for w in warnings)
    twin = [w for w in warnings if "_CompletionEndTerm" in w]
    assert len(twin) == 1 and ":10:" in twin[0]
    assert "'Completion (End Of Term)' 'Substantial'" in twin[0] and "'3'" in twin[0]
    assert any(":7:" in w and "'_Specificity' '2'" in w for w in warnings)
    # documented encodings are not mismatches: "No early results…" = 1, "Not Applicable" = 0
    assert not any("_OpenGovernment" in w or "_DIOGCP" in w for w in warnings)
    assert len(warnings) == 3


def test_institutions(sample: dict[str, Commitment]) -> None:
    first = sample["XA0001"]
    assert [(i.name, i.sector) for i in first.lead_institutions] == [
        ("Parliament of Testland", "legislature")]
    # OGP's ";" convention: government before it, the non-governmental side after it
    assert [(i.name, i.sector) for i in first.supporting_institutions] == [
        ("Ministry of Justice", "executive"), ("Office of the Clerk", "government"),
        ("Open Data Testland", "non-government"), ("Citizens Watch", "non-government")]
    assert [(i.name, i.sector) for i in sample["XAB0003"].supporting_institutions] == [
        ("Fundación Ciudad Abierta", "civil-society"), ("Red de Periodistas", "civil-society")]
    # a line break between two names separates them, even after "Municipal"
    assert [i.name for i in sample["XAB0003"].lead_institutions] == [
        "Concejo Municipal", "Secretaría de Transparencia"]
    # a conjunction after commas: one name listing portfolios
    assert [i.name for i in sample["XA0004"].lead_institutions] == [
        "Ministry of Gender, Children and Social Protection"]
    assert sample["XA0004"].supporting_institutions == []  # "Unclear"


def test_institution_cells_are_kept_whole(sample: dict[str, Commitment]) -> None:
    assert sample["XA0001"].institution_fields == [
        InstitutionField("lead", col.LEAD, "Parliament of Testland"),
        InstitutionField("support", col.SUPPORT, "Ministry of Justice, Office of the Clerk; "
                                                 "Open Data Testland, Citizens Watch")]
    assert [f.text for f in sample["XAB0003"].institution_fields] == [
        "Concejo Municipal\nSecretaría de Transparencia",
        "• Fundación Ciudad Abierta\n• Red de Periodistas"]


def test_sniffer(tmp_path: Path) -> None:
    assert is_csv_export(SAMPLE, SAMPLE.read_text(encoding="utf-8")[:2000])
    assert is_csv_export(SAMPLE, "\ufeff" + SAMPLE.read_text(encoding="utf-8")[:500])
    page = Path(__file__).resolve().parents[1] / "fixtures" / "pages" / "UK0063.txt"
    assert not is_csv_export(page, page.read_text(encoding="utf-8")[:2000])
    assert not is_csv_export(tmp_path / "x.csv", "id,title\n1,Open data\n")


# --- fixtures: what is refused ----------------------------------------------------------------


def test_missing_required_columns(tmp_path: Path) -> None:
    header, rows = _sample_rows()
    kept = [name for name in header if name not in (col.AP_YEAR, col.TITLE)]
    path = _write(tmp_path / "short.csv", kept,
                  [{k: v for k, v in rows[0].items() if k in kept}])
    with pytest.raises(SourceError) as caught:
        read_csv_export(path)
    message = str(caught.value)
    assert message.startswith(str(path))
    assert "'Commitment Title'" in message and "'Year Of Submission'" in message
    assert "Commitment Unique Identifier" not in message


@pytest.mark.parametrize("bad_id", ["A0001", "ALBANIA01", "AL-0002", ""])
def test_bad_identifier(tmp_path: Path, bad_id: str) -> None:
    path = _one_row(tmp_path, **{col.ID: bad_id})
    with pytest.raises(SourceError) as caught:
        read_csv_export(path)
    assert (caught.value.line, caught.value.field) == (2, col.ID)
    assert f"{path}:2: field 'Commitment Unique Identifier'" in str(caught.value)


@pytest.mark.parametrize(("column", "value"), [
    (col.START, "2/30/2019"), (col.END, "13/13/2019"), (col.START, "31/2/2015"),
    (col.END, "12/31/1850"),
])
def test_impossible_date(tmp_path: Path, column: str, value: str) -> None:
    path = _one_row(tmp_path, **{column: value})
    with pytest.raises(SourceError) as caught:
        read_csv_export(path)
    assert str(caught.value).startswith(f"{path}:2: field '{column}'")
    assert value in str(caught.value)


@pytest.mark.parametrize(("column", "value"), [
    ("Specificity", "Very high"), ("Completion (End Of Term)", "Done"),
    ("Did It Open Government (Civic Participation)", "Somewhat"), ("Verifiable", "Maybe"),
    ("Open Parliaments", "yes"), (col.REGION, "Atlantis"), (col.AP_YEAR, "2014/15"),
])
def test_value_outside_its_scheme(tmp_path: Path, column: str, value: str) -> None:
    path = _one_row(tmp_path, **{column: value})
    with pytest.raises(SourceError) as caught:
        read_csv_export(path)
    assert (caught.value.line, caught.value.field) == (2, column)
    assert repr(value) in str(caught.value)


def test_duplicate_identifier(tmp_path: Path) -> None:
    header, rows = _sample_rows()
    path = _write(tmp_path / "dup.csv", header, [rows[1], {**rows[2], col.ID: "xa0002"}])
    again = r"dup\.csv:3: .*XA0002 appears again \(first at line 2\)"
    with pytest.raises(SourceError, match=again):
        read_csv_export(path)


@pytest.mark.parametrize(("content", "reason"), [
    (b"", "empty file"), (b"\n\n", "empty file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", "not UTF-8 at byte 0"),
    (b"<html><body>Commitments</body></html>\n", "missing column"),
])
def test_not_an_export(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "input.csv"
    path.write_bytes(content)
    with pytest.raises(SourceError, match=reason) as caught:
        read_csv_export(path)
    assert str(caught.value).startswith(str(path))


def test_ragged_row(tmp_path: Path) -> None:
    path = tmp_path / "ragged.csv"
    path.write_text(SAMPLE.read_text(encoding="utf-8").splitlines()[0] + "\nXA0009,Testland\n",
                    encoding="utf-8")
    with pytest.raises(SourceError, match=r"ragged\.csv:2: row has 2 fields"):
        read_csv_export(path)


@pytest.mark.parametrize(("start", "end", "expected", "warned"), [
    ("Quarter 2 2015", "Q3 2016", ("2015-04", "2016-09"), False),
    ("43525", "44439", ("2019-03-01", "2021-08-31"), False),  # Excel day serials
    ("7/15/1905", "7/19/1905", ("2023", "2027"), True),  # years formatted as dates
    ("28/5/2014", "Spring 2015", ("2014-05-28", "2015"), False),
    ("1/1/2020", "12/31/2019", ("2020-01-01", "2019-12-31"), True),  # start after end
    ("In progress", "Permanent activity", (None, None), True),
])
def test_date_variants(tmp_path: Path, start: str, end: str,
                       expected: tuple[str | None, str | None], warned: bool) -> None:
    records = read_csv_export(_one_row(tmp_path, **{col.START: start, col.END: end}))
    found = records.commitments[0]
    assert (found.start_date, found.end_date) == expected
    date_warnings = [w for w in records.warnings if "Date'" in w]
    assert bool(date_warnings) == warned
    assert all(":2:" in w for w in date_warnings)


# --- the real export --------------------------------------------------------------------------


def _real_rows() -> list[dict[str, str]]:
    if not REAL.exists():
        return []
    with REAL.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


REAL_ROWS = _real_rows()


@pytest.fixture(scope="module")
def real_records() -> SourceRecords:
    if not REAL_DIR.exists():
        pytest.skip(f"the shared OGP sources are not at {REAL_DIR}")
    return read_csv_export(REAL)


@pytest.fixture(scope="module")
def real(real_records: SourceRecords) -> dict[str, Commitment]:
    return {c.identifier: c for c in real_records.commitments}


@pytest.fixture(scope="module")
def real_warnings(real_records: SourceRecords) -> list[str]:
    return real_records.warnings


def test_real_every_commitment_with_its_basics(real: dict[str, Commitment]) -> None:
    assert len(real) == 558 == len(REAL_ROWS)
    assert set(real) == {row[col.ID].upper() for row in REAL_ROWS}
    for row in REAL_ROWS:
        found = real[row[col.ID].upper()]
        assert found.titles and found.titles[0].value == row[col.TITLE].strip()
        assert found.member is not None and found.member.name == row[col.MEMBER].strip()
        assert found.action_plan is not None
        assert found.action_plan.cycle_year == int(row[col.AP_YEAR])
        assert found.action_plan.member_slug == found.member.slug
        assert bool(found.lead_institutions) != is_marker(row[col.LEAD]), found.identifier
        assert found.member.region == slug(row[col.REGION]), found.identifier


def test_real_pe0074_title_is_spanish(real: dict[str, Commitment]) -> None:
    assert real["PE0074"].titles[0].lang == "es"
    assert real["PE0074"].titles[0].value.startswith("Transporte Urbano de Lima y Callao")


def test_real_dates_parse(real: dict[str, Commitment]) -> None:
    for row in REAL_ROWS:
        found = real[row[col.ID].upper()]
        for column, value in ((col.START, found.start_date), (col.END, found.end_date)):
            cell = row[column].strip()
            if is_marker(cell) or not any(ch.isdigit() for ch in cell):
                assert value is None
            else:
                assert value is not None and ISO_DATE.fullmatch(value), (found.identifier, cell)
                assert 2000 <= int(value[:4]) <= 2030, (found.identifier, cell)


def test_real_policy_area_headers_all_resolve() -> None:
    if not REAL_DIR.exists():
        pytest.skip(f"the shared OGP sources are not at {REAL_DIR}")
    header = list(REAL_ROWS[0])
    flags = header[header.index(col.POLICY_AREA_FIRST):header.index(col.POLICY_AREA_LAST) + 1]
    assert len(flags) == 86
    wrong = {name: vocabulary.lookup("policy-area", name) for name in flags
             if vocabulary.lookup("policy-area", name) != slug(name)}
    assert not wrong, f"policy-area columns the vocabulary lacks or maps elsewhere: {wrong}"


def test_real_ogp_value_keys_are_in_the_vocabulary() -> None:
    keys = vocabulary.keys("ogp-value")
    assert set(col.OGP_VALUE_FLAGS.values()) <= keys
    assert set(col.DIOG_BY_VALUE.values()) <= keys


@pytest.mark.parametrize(("identifier", "expected"), [
    ("AL0002", {"mid-term": dict(
        year=2014, specificity="medium", verifiable=True, relevant=True,
        ogp_values=["access-to-information", "public-accountability",
                    "technology-and-innovation-for-transparency-and-accountability"],
        potential_impact="moderate", completion="substantial",
        starred=True, starred_formula="2015")}),  # 2015 formula 1, current formula 0
    ("PE0074", {"mid-term": dict(
        year=2019, verifiable=True, ogp_values=["civic-participation"],
        potential_impact="moderate", specificity=None, completion=None),
        "end-of-term": dict(year=2020, completion="limited",
                            did_it_open_government="did-not-change",
                            starred=False, starred_formula="current")}),
    ("NZ0010", {"mid-term": dict(
        year=2018, specificity="high", completion="substantial", starred=True,
        starred_formula="current"),
        "end-of-term": dict(year=2019, completion="complete", change_in_completion="increase",
                            did_it_open_government="marginal",
                            diog_by_value={"access-to-information": "marginal"},
                            starred=True, carried_forward=True)}),
    ("FI0032", {"mid-term": dict(year=2020, potential_impact="transformative",
                                 ogp_values=["access-to-information", "civic-participation"]),
                "end-of-term": dict(year=2024, completion="complete",
                                    early_results="significant")}),
    ("AL0097", {"mid-term": dict(year=2024, verifiable=True, relevant=True,
                                 potential_for_results="modest", ogp_values=[])}),
    ("SK0013", {"mid-term": dict(completion="withdrawn", starred=False)}),
    ("LT0033", {"mid-term": dict(verifiable=True, potential_for_results="substantial")}),
])
def test_real_sample_assessments(real: dict[str, Commitment], identifier: str,
                                 expected: dict[str, dict[str, object]]) -> None:
    reports = _by_kind(real[identifier])
    assert set(reports) == set(expected)
    for kind, values in expected.items():
        assessment = reports[kind]
        assert assessment.report.cycle_year == real[identifier].action_plan.cycle_year
        for name, value in values.items():
            got = assessment.report.year if name == "year" else getattr(assessment, name)
            assert got == value, (identifier, kind, name)


def _flag(cell: str) -> bool:
    return cell.strip() in ("1", "Yes")


@pytest.mark.parametrize("row", REAL_ROWS or [None],
                         ids=[r[col.ID] for r in REAL_ROWS] or ["absent"])
def test_real_no_irm_value_is_dropped(real: dict[str, Commitment],
                                      row: dict[str, str] | None) -> None:
    """Every non-marker IRM cell shows up on its assessment (written independently of the
    reader's tables, so a column the reader forgets fails here)."""
    assert row is not None
    reports = _by_kind(real[row[col.ID].upper()])

    def on(kind: str) -> Assessment:
        assert kind in reports, (row[col.ID], kind)
        return reports[kind]

    def present(column: str) -> bool:
        return not is_marker(row[column])

    checks = {
        "Report Publication Year (Progress Report)": lambda: on("mid-term").report.year,
        "Specificity": lambda: on("mid-term").specificity,
        "Verifiable": lambda: on("mid-term").verifiable,
        "Potential Impact": lambda: on("mid-term").potential_impact,
        "Completion (Progress Report)": lambda: on("mid-term").completion,
        "Potential for Results": lambda: on("mid-term").potential_for_results,
        "Report Publication Year (End Of Term)": lambda: on("end-of-term").report.year,
        "Completion (End Of Term)": lambda: on("end-of-term").completion,
        "Change In Completion": lambda: on("end-of-term").change_in_completion,
        "Early Results": lambda: on("end-of-term").early_results,
        "Did It Open Government (Overall)": lambda: on("end-of-term").did_it_open_government,
        "Carried Forward": lambda: on("end-of-term").carried_forward,
        "_Relevant": lambda: on("mid-term").relevant,
    }
    for column, get in checks.items():
        if present(column):
            value = get()
            assert value is not None, (row[col.ID], column)
            if isinstance(value, bool):
                assert value == _flag(row[column]), (row[col.ID], column)
            elif isinstance(value, int):
                assert value == int(row[column])
            else:
                assert value == slug(row[column]), (row[col.ID], column)
    for column, key in col.OGP_VALUE_FLAGS.items():
        if present(column):
            assert (key in on("mid-term").ogp_values) == _flag(row[column]), (row[col.ID], column)
    for column, key in col.DIOG_BY_VALUE.items():
        if present(column):
            assert on("end-of-term").diog_by_value[key] == slug(row[column]), (row[col.ID],
                                                                              column)
    if present("Starred (Current Formula) End of Term"):
        end = on("end-of-term")
        assert (end.starred, end.starred_formula) == (
            _flag(row["Starred (Current Formula) End of Term"]), "current")
    stars = {formula: row[column].strip() for formula, column in
             (("current", "Starred (Current Formula) Progress Report"),
              ("2015", "Starred (2015 Only)")) if present(column)}
    if stars:
        mid = on("mid-term")
        if "1" in stars.values():  # a star under either formula is kept, current first
            assert mid.starred is True and stars[mid.starred_formula or ""] == "1"
        else:
            assert mid.starred is False and mid.starred_formula in stars


def test_real_policy_areas_match_the_flags(real: dict[str, Commitment]) -> None:
    header = list(REAL_ROWS[0])
    flags = header[header.index(col.POLICY_AREA_FIRST):header.index(col.POLICY_AREA_LAST) + 1]
    for row in REAL_ROWS:
        expected = {slug(name) for name in flags if row[name] == "1"}
        assert set(real[row[col.ID].upper()].policy_areas) == expected, row[col.ID]


def test_real_twin_mismatches(real_warnings: list[str]) -> None:
    """The real file's known disagreements between text columns and their numeric twins."""
    twins = [w for w in real_warnings if "twin" in w or "'_Relevant'" in w]
    kinds = sorted(re.search(r"twin '(_\w+)'|'(_Relevant)'", w).group(0) for w in twins)
    assert kinds.count("twin '_ChangeCompletion'") == 9
    assert kinds.count("twin '_DIOGCP'") == 2
    assert kinds.count("twin '_DIOGATI'") == 1 and kinds.count("twin '_DIOGPA'") == 1
    assert kinds.count("'_Relevant'") == 2
    assert len(twins) == 15
    assert all(re.match(r".*commitments\.csv:\d+: ", w) for w in twins)


# --- chosen rows, as RDF: every IRI and value written out by hand from the CSV cells -----------

BASE = "http://127.0.0.1:8000/"
WHEN = datetime(2026, 1, 1, tzinfo=UTC)
UNCHECKED = {"type", "label", "title", "description", "identifier", "shortTitle", "theme",
             "page", "leadInstitution", "supportingInstitution", "assessedCommitment",
             "commitmentNumber"}  # read from the CSV above; here the vocabulary-backed values

# subject (under {BASE}id/) -> "predicate object" for each of its statements
AS_RDF: dict[str, dict[str, set[str]]] = {
    "sample": {
        "commitment/XA0001": {
            "member id/member/testland", "actionPlan id/action-plan/testland-2014",
            "status id/status/inactive",
            "policyArea id/policy-area/open-parliaments",
            "policyArea id/policy-area/legislation",
            "policyArea id/policy-area/public-participation",
            "startDate 2014-09-01^^date", "endDate 2016-07^^gYearMonth",
            "assessment id/assessment/XA0001-mid-term",
            "assessment id/assessment/XA0001-end-of-term"},
        "assessment/XA0001-mid-term": {
            "report id/irm-report/testland-2014-mid-term",
            "specificity id/specificity/high", "verifiable true^^boolean",
            "relevantToOGPValues true^^boolean",
            "ogpValue id/ogp-value/access-to-information",
            "ogpValue id/ogp-value/civic-participation",
            "potentialImpact id/potential-impact/transformative",
            "completion id/completion/limited", "starred true^^boolean",
            "starredFormula current"},
        "assessment/XA0001-end-of-term": {
            "report id/irm-report/testland-2014-end-of-term",
            "completion id/completion/complete",
            "changeInCompletion id/change-in-completion/increase",
            "didItOpenGovernment id/did-it-open-government/major",
            "didItOpenGovernmentAccessToInformation id/did-it-open-government/major",
            "didItOpenGovernmentPublicAccountability id/did-it-open-government/did-not-change",
            "starred true^^boolean", "starredFormula current", "carriedForward false^^boolean"},
    },
    "real": {
        # Specificity Medium, Potential Impact Moderate, Completion Substantial; starred by
        # the 2015 formula only; start and end dates NA
        "commitment/AL0002": {
            "member id/member/albania", "actionPlan id/action-plan/albania-2012",
            "status id/status/inactive",
            "policyArea id/policy-area/democratizing-decision-making",
            "policyArea id/policy-area/regulatory-governance",
            "policyArea id/policy-area/open-parliaments",
            "assessment id/assessment/AL0002-mid-term"},
        "assessment/AL0002-mid-term": {
            "report id/irm-report/albania-2012-mid-term",
            "specificity id/specificity/medium", "verifiable true^^boolean",
            "relevantToOGPValues true^^boolean",
            "ogpValue id/ogp-value/access-to-information",
            "ogpValue id/ogp-value/public-accountability",
            "ogpValue id/ogp-value/"
            "technology-and-innovation-for-transparency-and-accountability",
            "potentialImpact id/potential-impact/moderate",
            "completion id/completion/substantial", "starred true^^boolean",
            "starredFormula 2015"},
        # 10/1/2016 - 6/30/2018; Did It Open Government: ATI Marginal, CP and PA Not Applicable
        "commitment/NZ0010": {
            "member id/member/new-zealand", "actionPlan id/action-plan/new-zealand-2016",
            "status id/status/inactive",
            "policyArea id/policy-area/democratizing-decision-making",
            "policyArea id/policy-area/regulatory-governance",
            "policyArea id/policy-area/open-parliaments",
            "policyArea id/policy-area/capacity-building",
            "startDate 2016-10-01^^date", "endDate 2018-06-30^^date",
            "assessment id/assessment/NZ0010-mid-term",
            "assessment id/assessment/NZ0010-end-of-term"},
        "assessment/NZ0010-end-of-term": {
            "report id/irm-report/new-zealand-2016-end-of-term",
            "completion id/completion/complete",
            "changeInCompletion id/change-in-completion/increase",
            "didItOpenGovernment id/did-it-open-government/marginal",
            "didItOpenGovernmentAccessToInformation id/did-it-open-government/marginal",
            "starred true^^boolean", "starredFormula current", "carriedForward true^^boolean"},
        # seven policy areas, "Infrastructure & Transport" among them
        "commitment/PE0074": {
            "member id/member/peru", "actionPlan id/action-plan/peru-2017",
            "status id/status/inactive",
            "policyArea id/policy-area/democratizing-decision-making",
            "policyArea id/policy-area/social-accountability",
            "policyArea id/policy-area/public-service-delivery",
            "policyArea id/policy-area/infrastructure-and-transport",
            "policyArea id/policy-area/legislation",
            "policyArea id/policy-area/public-participation",
            "policyArea id/policy-area/subnational",
            "startDate 2017-01-01^^date", "endDate 2019-12-31^^date",
            "assessment id/assessment/PE0074-mid-term",
            "assessment id/assessment/PE0074-end-of-term"},
        "assessment/PE0074-end-of-term": {
            "report id/irm-report/peru-2017-end-of-term",
            "completion id/completion/limited",
            "didItOpenGovernment id/did-it-open-government/did-not-change",
            "starred false^^boolean", "starredFormula current"},
        # an active commitment of the refreshed IRM: its review, Potential for Results Modest
        "commitment/AL0097": {
            "member id/member/albania", "actionPlan id/action-plan/albania-2023",
            "status id/status/active",
            "policyArea id/policy-area/open-parliaments",
            "policyArea id/policy-area/capacity-building",
            "policyArea id/policy-area/digital-transformation",
            "startDate 2023-01-01^^date", "endDate 2025-12-31^^date",
            "assessment id/assessment/AL0097-action-plan-review"},
        "assessment/AL0097-action-plan-review": {
            "report id/irm-report/albania-2023-action-plan-review",
            "verifiable true^^boolean", "relevantToOGPValues true^^boolean",
            "potentialForResults id/potential-for-results/modest"},
        # End Date 30/6/2015 (day first), Start Date NA; the one "Worsens"
        "commitment/HR0024": {
            "member id/member/croatia", "actionPlan id/action-plan/croatia-2014",
            "status id/status/inactive",
            "policyArea id/policy-area/justice",
            "policyArea id/policy-area/policing-and-corrections",
            "policyArea id/policy-area/legislation",
            "policyArea id/policy-area/public-participation",
            "endDate 2015-06-30^^date",
            "assessment id/assessment/HR0024-mid-term",
            "assessment id/assessment/HR0024-end-of-term"},
        "assessment/HR0024-mid-term": {
            "report id/irm-report/croatia-2014-mid-term",
            "specificity id/specificity/low", "verifiable false^^boolean",
            "relevantToOGPValues true^^boolean",
            "ogpValue id/ogp-value/civic-participation",
            "ogpValue id/ogp-value/public-accountability",
            "potentialImpact id/potential-impact/minor",
            "completion id/completion/substantial", "starred false^^boolean",
            "starredFormula current"},
        "assessment/HR0024-end-of-term": {
            "report id/irm-report/croatia-2014-end-of-term",
            "completion id/completion/substantial",
            "changeInCompletion id/change-in-completion/no-change",
            "didItOpenGovernment id/did-it-open-government/worsens",
            "didItOpenGovernmentCivicParticipation id/did-it-open-government/did-not-change",
            "didItOpenGovernmentPublicAccountability id/did-it-open-government/worsens",
            "starred false^^boolean", "starredFormula current",
            "carriedForward false^^boolean"},
        # July 2014 - June 2016; Not Started at both reports
        "commitment/GR0029": {
            "member id/member/greece", "actionPlan id/action-plan/greece-2014",
            "status id/status/inactive",
            "policyArea id/policy-area/open-parliaments",
            "policyArea id/policy-area/public-participation",
            "policyArea id/policy-area/participation-in-lawmaking",
            "startDate 2014-07^^gYearMonth", "endDate 2016-06^^gYearMonth",
            "assessment id/assessment/GR0029-mid-term",
            "assessment id/assessment/GR0029-end-of-term"},
        "assessment/GR0029-end-of-term": {
            "report id/irm-report/greece-2014-end-of-term",
            "completion id/completion/not-started",
            "changeInCompletion id/change-in-completion/no-change",
            "didItOpenGovernment id/did-it-open-government/did-not-change",
            "didItOpenGovernmentAccessToInformation id/did-it-open-government/did-not-change",
            "didItOpenGovernmentCivicParticipation id/did-it-open-government/did-not-change",
            "starred false^^boolean", "starredFormula current",
            "carriedForward false^^boolean"},
    },
}


def _statements(graph: Graph, subject: URIRef) -> set[str]:
    """A subject's statements as AS_RDF writes them (IRIs relative to BASE)."""
    found = set()
    for predicate, value in graph.predicate_objects(subject):
        name = re.split(r"[#/]", str(predicate))[-1]
        if name in UNCHECKED:
            continue
        text = str(value).removeprefix(BASE)
        if isinstance(value, RdfLiteral) and value.datatype is not None:
            text += "^^" + re.split(r"[#/]", str(value.datatype))[-1]
        found.add(f"{name} {text}")
    return found


@pytest.mark.parametrize("which", ["sample", "real"])
def test_chosen_rows_as_rdf(which: str, request: pytest.FixtureRequest) -> None:
    """A look-up table that maps a label to the wrong concept, a date read month-first where
    the cell is day-first, a status or an IRM level on the wrong property: each changes an
    IRI or value written out here."""
    records = (read_csv_export(SAMPLE, workers=1) if which == "sample"
               else request.getfixturevalue("real_records"))
    _, graph = map_records(records, BASE, WHEN)
    for subject, expected in AS_RDF[which].items():
        assert _statements(graph, URIRef(f"{BASE}id/{subject}")) == expected, subject
