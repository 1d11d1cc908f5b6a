"""Reader errors are complete and precise: bytes that are not UTF-8 are located (line, byte
offset, the bytes), and a file with several bad fields reports every one of them, through
the same error path as any source error (``ogpgraph build`` / ``parse``: ``error:`` lines,
exit 1, no traceback)."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ogpgraph.cli.app import app
from ogpgraph.sources import csv_columns as col
from ogpgraph.sources.commitment_list import parse_commitment_list
from ogpgraph.sources.csv_export import read_csv_export
from ogpgraph.sources.errors import SourceError, SourceErrors
from ogpgraph.sources.page_html import read_page_html
from ogpgraph.sources.page_text import read_page_text

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SAMPLE = FIXTURES / "csv" / "sample.csv"
BAD_DATE_PAGE = FIXTURES / "bad" / "bad_date.txt"
HTML_PAGE = FIXTURES / "html" / "UK0063_v2.html"
runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty data folder and a build folder, as ``ogpgraph build`` reads them."""
    (tmp_path / "data").mkdir()
    monkeypatch.setenv("OGPGRAPH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("OGPGRAPH_BUILD_DIR", str(tmp_path / "build"))
    return tmp_path


def _sample() -> tuple[list[str], list[dict[str, str]]]:
    with SAMPLE.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def _write_csv(path: Path, header: list[str], rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:  # CRLF between rows
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    return path


def _physical_line(raw: bytes, offset: int) -> int:
    """The line of a byte as csv counts lines: the file read in text mode with newline=""
    (CRLF, LF and a bare CR each end a line), counted independently of the reader."""
    before = io.StringIO(raw[:offset].decode("latin-1"), newline="")
    return 1 + sum(1 for line in before if line.endswith(("\n", "\r")))


def _failed_cleanly(result) -> None:
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)  # an error path, not a crash
    assert "Traceback" not in result.output


# --- bytes that are not UTF-8 -----------------------------------------------------------------


def test_a_latin1_byte_in_a_csv_names_its_line_and_byte(env: Path) -> None:
    header, rows = _sample()
    # the Latin-1 byte sits on the second physical line of a row whose title spans two lines,
    # after CRLF row ends and a bare CR, so that rows, LF-lines and CSV lines all differ
    rows[2] = {**rows[2], col.TITLE: "Participaci\u00f3n\nciudadana en la gesti\u00f3n",
               col.THEME: "a\rb"}
    text = _write_csv(env / "utf8.csv", header, rows).read_bytes()
    raw = text.replace("gesti\u00f3n".encode(), b"gesti\xe9n ", 1)
    path = env / "data" / "latin1.csv"
    path.write_bytes(raw)
    offset = raw.index(b"\xe9")
    line = _physical_line(raw, offset)
    assert line > 4  # not trivially the row number: the header and three rows come first

    with pytest.raises(SourceError) as caught:
        read_csv_export(path)
    assert caught.value.line == line
    assert f"not UTF-8 at byte {offset:,} (bytes 0xe9 0x6e)" in str(caught.value)

    for command in (["build"], ["parse", str(path)]):
        result = runner.invoke(app, command)
        _failed_cleanly(result)
        assert (f"error: {path}:{line}: not UTF-8 at byte {offset:,} (bytes 0xe9 0x6e); "
                "save the file as UTF-8") in result.output
    assert not (env / "build" / "current").exists()


def test_every_further_line_that_is_not_utf8_is_counted(tmp_path: Path) -> None:
    lines = SAMPLE.read_bytes().split(b"\n")
    for number in (3, 6, 7):  # 1-based; 0xff is never UTF-8
        lines[number - 1] = b"\xff" + lines[number - 1]
    path = tmp_path / "bad.csv"
    path.write_bytes(b"\n".join(lines))
    with pytest.raises(SourceError) as caught:
        read_csv_export(path)
    assert caught.value.line == 3
    assert "(bytes 0xff); 2 more lines are not UTF-8 either (6, 7)" in str(caught.value)


@pytest.mark.parametrize("name", ["page.txt", "page.html"])
def test_a_latin1_page_names_its_line_and_byte(env: Path, name: str) -> None:
    source = BAD_DATE_PAGE if name.endswith(".txt") else HTML_PAGE
    text = source.read_text(encoding="utf-8")
    marker = "Objective" if name.endswith(".html") else "Objetivo"
    raw = text.replace(marker, "Gesti\u00f3n " + marker, 1).encode("utf-8")
    raw = raw.replace("Gesti\u00f3n".encode(), b"Gesti\xf3n", 1)
    path = env / "data" / name
    path.write_bytes(raw)
    offset = raw.index(b"\xf3")
    line = _physical_line(raw, offset)

    reader = read_page_text if name.endswith(".txt") else read_page_html
    with pytest.raises(SourceError) as caught:
        reader(path)
    assert caught.value.line == line
    assert f"not UTF-8 at byte {offset:,} (bytes 0xf3 0x6e)" in str(caught.value)

    result = runner.invoke(app, ["build"])
    _failed_cleanly(result)
    assert f"error: {path}:{line}: not UTF-8 at byte {offset:,}" in result.output


# --- every bad field, not only the first ------------------------------------------------------


def _three_bad_fields() -> str:
    """The bad-date page (start date 31 febrero) with a bad cycle and a bad end date too."""
    text = BAD_DATE_PAGE.read_text(encoding="utf-8")
    return text.replace("Action Plan Cycle: 2015", "Action Plan Cycle: twenty15").replace(
        "Fecha final: julio 2016", "Fecha final: 40 julio 2016")


def test_a_page_with_three_bad_fields_reports_all_three(env: Path) -> None:
    text = _three_bad_fields()
    with pytest.raises(SourceErrors) as caught:
        read_page_text(Path("p.txt"), text)
    lines = text.splitlines()
    cycle = next(i for i, line in enumerate(lines, 1) if "twenty15" in line)
    dates = next(i for i, line in enumerate(lines, 1) if "febrero" in line)
    assert [(e.line, e.field) for e in caught.value.errors] == [
        (cycle, "cycle"), (dates, "start_date"), (dates, "end_date")]
    assert str(caught.value).splitlines() == [
        f"p.txt:{cycle}: field 'cycle': action plan cycle 'twenty15' is not a year",
        f"p.txt:{dates}: field 'start_date': impossible or unreadable date '31 febrero 2015'",
        f"p.txt:{dates}: field 'end_date': impossible or unreadable date '40 julio 2016'"]

    path = env / "data" / "three.txt"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["build"])
    _failed_cleanly(result)
    reported = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert reported == [f"error: {path}:{cycle}: field 'cycle': action plan cycle 'twenty15' "
                        "is not a year",
                        f"error: {path}:{dates}: field 'start_date': impossible or unreadable "
                        "date '31 febrero 2015'",
                        f"error: {path}:{dates}: field 'end_date': impossible or unreadable "
                        "date '40 julio 2016'"]
    assert "build failed: 3 error(s)" in result.output


def test_an_html_page_with_two_bad_fields_reports_both() -> None:
    html = HTML_PAGE.read_text(encoding="utf-8").replace("<dd>2016</dd>", "<dd>MMXVI</dd>")
    html = html.replace("<p><strong>Objective:</strong>",
                        "<p>Start Date: 31 February 2016</p><p><strong>Objective:</strong>")
    with pytest.raises(SourceErrors) as caught:
        read_page_html(Path("uk.html"), html)
    assert [(e.field, e.reason) for e in caught.value.errors] == [
        ("cycle", "action plan cycle 'MMXVI' is not a year"),
        ("start_date", "impossible or unreadable date '31 February 2016'")]
    assert all(e.path == "uk.html" and e.line for e in caught.value.errors)


def test_every_malformed_commitment_list_entry_is_reported() -> None:
    from ogpgraph.records.model import MemberRef, Source

    lines = ["Peru's Commitments", "  1. First", "    PE00X1, 2015, Open Data",
             "  2. Second", "  3. Third", "    PE0003, 2015, Open Data",
             "  4. Fourth", "    pe0004, 15, Open Data"]
    source = Source(kind="page", path="list.txt", sha256="0" * 64)
    with pytest.raises(SourceErrors) as caught:
        parse_commitment_list(lines, 1, MemberRef("Peru", "peru"), source, "en")
    assert [(e.line, e.field) for e in caught.value.errors] == [
        (3, "identifier"), (4, None), (8, "identifier"), (8, "year")]
    assert "'Second' has no 'ID, year' line" in str(caught.value)


def test_every_bad_cell_of_every_csv_row_is_reported(env: Path) -> None:
    header, rows = _sample()
    rows = rows[:4]
    rows[0] = {**rows[0], col.START: "2/30/2019", col.REGION: "Atlantis"}  # two in one row
    rows[2] = {**rows[2], col.ID: "NOT-AN-ID"}
    rows[3] = {**rows[3], col.ID: rows[1][col.ID]}  # the same commitment again
    path = _write_csv(env / "data" / "many.csv", header, rows)
    raw = path.read_bytes().rstrip(b"\r\n") + b"\r\nXA9999,Testland\r\n"  # a ragged row
    path.write_bytes(raw)
    starts = _row_lines(path)
    with pytest.raises(SourceErrors) as caught:
        read_csv_export(path, workers=1)
    found = [(e.line, e.field) for e in caught.value.errors]
    assert found == [(starts[0], col.REGION), (starts[0], col.START), (starts[2], col.ID),
                     (starts[3], col.ID), (starts[4], None)]
    assert "appears again (first at line" in caught.value.errors[3].reason
    assert "row has 2 fields" in caught.value.errors[4].reason

    result = runner.invoke(app, ["build"])
    _failed_cleanly(result)
    assert len(re.findall(rf"^error: {re.escape(str(path))}:\d+: ", result.output,
                          re.MULTILINE)) == 5
    assert "build failed: 5 error(s)" in result.output


def test_rows_read_by_worker_processes_report_every_error_too(tmp_path: Path) -> None:
    header, rows = _sample()
    rows = [{**row, col.START: "2/30/2019"} for row in rows]
    path = _write_csv(tmp_path / "dates.csv", header, rows)
    with pytest.raises(SourceErrors) as caught:
        read_csv_export(path, workers=2)
    assert [e.line for e in caught.value.errors] == _row_lines(path)


def _row_lines(path: Path) -> list[int]:
    """The physical line each data row starts on, as csv counts them."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        starts = []
        while True:
            start = reader.line_num + 1
            if next(reader, None) is None:
                return starts
            starts.append(start)

