"""``make run`` prints the build's summary and the URL to open, not pages of warnings:
``ogpgraph build --summary`` counts the warnings by kind, prints the most frequent kinds
only, counts the rest, and says where every warning is listed (the release's build.json)."""

from __future__ import annotations

import csv
import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ogpgraph.cli.app import app
from ogpgraph.cli.build import SUMMARY_KINDS
from ogpgraph.config import PROJECT_ROOT

runner = CliRunner()
KINDS = SUMMARY_KINDS + 5  # more kinds of warning than the summary prints


@pytest.fixture
def noisy_export(tmp_path: Path) -> Path:
    """OGP's export format with, on every row, a start date that is a year formatted as a
    date (a spreadsheet's day number 2015 shown as 7/7/1905), each a different one: one kind
    of warning per row."""
    with (PROJECT_ROOT / "tests" / "fixtures" / "csv" / "sample.csv").open(
            newline="", encoding="utf-8") as stream:
        reader = csv.DictReader(stream)
        header, first = reader.fieldnames, next(reader)
    path = tmp_path / "noisy.csv"
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.DictWriter(stream, header)
        writer.writeheader()
        for n in range(KINDS):
            day = date(1899, 12, 30) + timedelta(days=2000 + n)
            writer.writerow({**first, "Commitment Unique Identifier": f"XA{1000 + n}",
                             "Start Date": f"{day.month}/{day.day}/{day.year}"})
    return path


def test_the_summary_is_bounded_and_says_where_every_warning_is(
        noisy_export: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    result = runner.invoke(app, ["build", "--no-default", "--source", str(noisy_export),
                                 "--out", str(out), "--summary"])
    assert result.exit_code == 0, result.output
    warnings = json.loads((out / "current" / "build.json").read_text())["warnings"]
    assert sum("formatted as a date" in w for w in warnings) == KINDS  # all kept in the report
    lines = [line for line in result.output.splitlines() if line.startswith("warning:")]
    assert len(lines) == SUMMARY_KINDS + 1, result.output
    counted = [int(re.match(r"warning: (\d+)", line)[1]) for line in lines]
    assert sum(counted) == len(warnings)  # nothing hidden: the rest is counted
    assert re.search(r"warning: \d+ more, of \d+ other kinds", lines[-1])
    assert f"{out / 'current' / 'build.json'}" in result.output.replace("\n", "")


def test_without_summary_every_warning_is_listed(noisy_export: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["build", "--no-default", "--source", str(noisy_export),
                                 "--out", str(tmp_path / "build")])
    assert result.exit_code == 0, result.output
    assert sum("formatted as a date" in line for line in result.output.splitlines()) == KINDS
