"""Shared helpers of the institution tests (no test here)."""

from __future__ import annotations

import csv
import importlib.util
from functools import lru_cache
from pathlib import Path

from ogpgraph.records.institutions import read_field

ROOT = Path(__file__).resolve().parents[2]
PAGES = ROOT / "tests" / "fixtures" / "pages"


def _root_conftest():
    spec = importlib.util.spec_from_file_location("_tests_root_conftest",
                                                  ROOT / "tests" / "conftest.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def shared() -> Path:
    """../shared/ogp, or skip the test (tests/conftest.py's require_shared)."""
    return _root_conftest().require_shared()


@lru_cache(maxsize=1)
def _rows() -> dict[str, dict[str, str]]:
    with (shared() / "commitments.csv").open(encoding="utf-8-sig", newline="") as handle:
        return {r["Commitment Unique Identifier"]: r for r in csv.DictReader(handle)}


def csv_cell(identifier: str, column: str) -> str:
    return _rows()[identifier][column]


def page_value(name: str, label: str) -> str:
    """The text after ``label`` on a fixture page (one line)."""
    for line in (PAGES / name).read_text(encoding="utf-8").splitlines():
        if line.startswith(label):
            return line[len(label):].strip()
    raise AssertionError(f"{label!r} not on {name}")


def triples(text: str, role: str = "support", **kwargs) -> list[tuple[str, str, str | None]]:
    """(name, sector, note) of every mention of a field."""
    return [(m.name, m.sector.value, m.note) for m in read_field(text, role, **kwargs).mentions]
