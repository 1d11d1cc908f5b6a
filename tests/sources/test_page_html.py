"""Saved HTML of commitment pages: flattened, then read like the text pages."""

from __future__ import annotations

import hashlib
from dataclasses import asdict
from pathlib import Path

import pytest

from ogpgraph.sources.errors import SourceError
from ogpgraph.sources.page_html import flatten, is_page_html, read_page_html
from ogpgraph.sources.page_text import read_page_text

ROOT = Path(__file__).resolve().parents[2]
HTML = ROOT / "tests" / "fixtures" / "html"
PAGES = ROOT / "tests" / "fixtures" / "pages"
PAIRS = [("UK0063_v2.html", "UK0063_v2.txt"), ("HN0065_es.html", "HN0065_es.txt")]


def _comparable(records):
    rows = [asdict(c) for c in records.commitments]
    for row in rows:
        row.pop("source"), row.pop("line")  # the file and its line numbers differ, not the data
    return rows


@pytest.mark.parametrize("html, text", PAIRS)
def test_html_gives_the_same_records_as_the_text(html, text):
    from_html = read_page_html(HTML / html)
    from_text = read_page_text(PAGES / text)
    assert _comparable(from_html) == _comparable(from_text)
    assert from_html.warnings == from_text.warnings
    assert from_html.commitments[0].assessments  # the comparison is not of empty records


@pytest.mark.parametrize("html, text", PAIRS)
def test_html_source(html, text):
    path = HTML / html
    records = read_page_html(path)
    assert records.source.kind == "page"
    assert records.source.path == str(path)
    assert records.source.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert records.source.url == (PAGES / text).read_text(encoding="utf-8").splitlines()[0] \
        .removeprefix("# source: ")


def test_flatten_layout():
    text = flatten((HTML / "UK0063_v2.html").read_text(encoding="utf-8"))
    lines = text.splitlines()
    assert lines[0].startswith("# source: https://www.opengovpartnership.org/")
    assert "Action Plan: United Kingdom – Third National Action Plan 2016-18" in lines  # dt+dd
    assert "  • Beneficial Ownership" in lines  # <li>
    assert "Design i" in lines and "Implementation i" in lines
    # page furniture is dropped: navigation, scripts, styles, footer
    for noise in ("About", "Members", "dataLayer", "position: absolute", "Privacy"):
        assert noise not in text
    assert "Open Government Partnership" not in lines


def test_flatten_keeps_inline_text_together_and_breaks_blocks():
    text = flatten("<body><p>Status:<b> Active</b></p><div>Two<br>lines</div>"
                   "<ul><li>A <i>b</i></li></ul></body>")
    assert text.splitlines() == ["Status: Active", "Two", "lines", "  • A b"]


@pytest.mark.parametrize("name", [h for h, _ in PAIRS])
def test_sniffing_pages(name):
    assert is_page_html((HTML / name).read_text(encoding="utf-8"))


def test_other_html_is_not_a_page(tmp_path):
    html = ("<!DOCTYPE html><html><body><h1>About OGP (OGP2011)</h1>"
            "<p>The Open Government Partnership was launched in 2011.</p></body></html>")
    assert not is_page_html(html)
    assert not is_page_html("Status: Active\nAction Plan: x\n")  # no HTML at all
    path = tmp_path / "about.html"
    path.write_text(html, encoding="utf-8")
    with pytest.raises(SourceError, match="not an OGP commitment page"):
        read_page_html(path)
