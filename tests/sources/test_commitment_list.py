"""The member commitment list at the foot of a page ("Peru's Commitments")."""

from __future__ import annotations

from pathlib import Path

import pytest

from ogpgraph.records.model import MemberRef, Source
from ogpgraph.sources.commitment_list import (
    find_commitment_list,
    list_heading_member,
    parse_commitment_list,
)
from ogpgraph.sources.errors import SourceError

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "data" / "PE0055.txt"
SOURCE = Source(kind="page", path="list.txt", sha256="0" * 64)
PERU = MemberRef(name="Peru", slug="peru")

# The seed's 83 entries, in order: identifier, action plan year, policy-area key ("-": none).
SEED_ENTRIES = """
PE0066 2017 ogp | PE0067 2017 capacity-building | PE0068 2017 capacity-building
PE0069 2017 extractive-industries | PE0070 2017 capacity-building | PE0071 2017 capacity-building
PE0072 2017 e-government | PE0073 2017 education | PE0074 2017 infrastructure-and-transport
PE0075 2017 environment-and-climate | PE0076 2017 capacity-building | PE0077 2017 capacity-building
PE0078 2017 e-government | PE0079 2017 e-government | PE0080 2017 e-government
PE0081 2017 capacity-building | PE0082 2017 open-data | PE0083 2017 capacity-building
PE0049 2015 capacity-building | PE0050 2015 capacity-building | PE0051 2015 capacity-building
PE0052 2015 e-government | PE0053 2015 e-government | PE0054 2015 extractive-industries
PE0055 2015 capacity-building | PE0056 2015 capacity-building | PE0057 2015 audits
PE0058 2015 judiciary | PE0059 2015 audits | PE0060 2015 capacity-building
PE0061 2015 fiscal-openness | PE0062 2015 e-government | PE0063 2015 capacity-building
PE0064 2015 capacity-building | PE0065 2015 capacity-building | PE0028 2012 capacity-building
PE0029 2012 anti-corruption-institutions | PE0030 2012 labor
PE0031 2012 legislation-and-regulation | PE0032 2012 private-sector | PE0033 2012 -
PE0034 2012 open-contracting-and-procurement | PE0035 2012 e-government
PE0036 2012 capacity-building | PE0037 2012 labor | PE0038 2012 capacity-building
PE0039 2012 capacity-building | PE0040 2012 open-data | PE0041 2012 capacity-building
PE0042 2012 e-government | PE0043 2012 e-government | PE0044 2012 e-government
PE0045 2012 public-service-delivery | PE0046 2012 records-management
PE0047 2012 capacity-building | PE0048 2012 capacity-building | PE0001 2012 capacity-building
PE0002 2012 capacity-building | PE0003 2012 e-government | PE0004 2012 records-management
PE0005 2012 right-to-information | PE0006 2012 e-government | PE0007 2012 right-to-information
PE0008 2012 right-to-information | PE0009 2012 capacity-building
PE0010 2012 environment-and-climate | PE0011 2012 extractive-industries
PE0012 2012 public-participation | PE0013 2012 capacity-building | PE0014 2012 capacity-building
PE0015 2012 e-government | PE0016 2012 e-government | PE0017 2012 fiscal-openness
PE0018 2012 legislature | PE0019 2012 open-contracting-and-procurement
PE0020 2012 anti-corruption-institutions | PE0021 2012 conflicts-of-interest
PE0022 2012 conflicts-of-interest | PE0023 2012 capacity-building | PE0024 2012 judiciary
PE0025 2012 anti-corruption-institutions | PE0026 2012 anti-corruption-institutions
PE0027 2012 capacity-building
"""


def _expected() -> list[tuple[str, int, list[str]]]:
    rows = []
    for cell in SEED_ENTRIES.replace("\n", " | ").split("|"):
        if cell.strip():
            ident, year, area = cell.split()
            rows.append((ident, int(year), [] if area == "-" else [area]))
    return rows


def _seed_list():
    lines = SEED.read_text(encoding="utf-8").splitlines()
    start = find_commitment_list(lines)
    assert start is not None
    warnings: list[str] = []
    return parse_commitment_list(lines[start:], start + 1, PERU, SOURCE, "en",
                                 warnings=warnings), warnings, start


def test_seed_list_all_entries():
    entries, warnings, start = _seed_list()
    assert start + 1 == 104  # "Peru's Commitments"
    assert [(c.identifier, c.action_plan.cycle_year, c.policy_areas) for c in entries] \
        == _expected()
    assert len(entries) == 83
    assert warnings == []


def test_seed_list_records():
    entries, _, _ = _seed_list()
    first = entries[0]
    assert first.titles[0].value == ("Multistakeholder Forums in Priority Sectors and Open "
                                     "Government Commitments")
    assert first.line == 106
    assert {t.lang for c in entries for t in c.titles} == {"en"}
    assert all(c.member.slug == "peru" and c.action_plan.member_slug == "peru" for c in entries)
    assert all(c.source is SOURCE for c in entries)


def test_seed_list_starred_prefix_removed():
    entries, _, _ = _seed_list()
    starred = {c.identifier: c.titles[0].value for c in entries if c.starred}
    assert starred == {
        "PE0054": "Commissions for Extractive Industries Transparency",
        "PE0059": "Understandable Information on Accountability Reports",
        "PE0062": "Reusable Open Data",
    }
    assert {c.starred for c in entries} == {True, None}  # no marker is not "not starred"


@pytest.mark.parametrize("heading, member", [
    ("Peru's Commitments", "Peru"),
    ("Buenos Aires, Argentina’s Commitments", "Buenos Aires, Argentina"),
    ("Compromisos de Perú", "Perú"),
    ("Engagements de l'Ukraine", "Ukraine"),
    ("Engagements du Burkina Faso", "Burkina Faso"),
    ("Commitments", None),
    ("Peru's Commitments were many", None),
])
def test_list_headings(heading, member):
    assert list_heading_member(heading) == member


def test_translated_list_without_page_member():
    lines = ["Compromisos de Honduras", "", "  1. Compromiso estelar Datos abiertos municipales",
             "", "    HN0065, 2018, Anticorrupción", "", "  2. Un título", "    HN0066, 2018,",
             "", "Open Government Partnership"]
    entries = parse_commitment_list(lines, 40, None, SOURCE, "es")
    assert [(c.identifier, c.member.name, c.starred, c.policy_areas, c.line)
            for c in entries] == [
        ("HN0065", "Honduras", True, ["anti-corruption-and-integrity"], 42),
        ("HN0066", "Honduras", None, [], 46),
    ]
    assert entries[0].titles[0].value == "Datos abiertos municipales"
    assert entries[0].titles[0].lang == "es"


def test_unknown_list_policy_area_warns():
    lines = ["Peru's Commitments", "1. Something", "PE0001, 2012, Space Policy"]
    warnings: list[str] = []
    new: dict = {}
    entries = parse_commitment_list(lines, 1, PERU, SOURCE, "en", warnings=warnings,
                                    new_concepts=new)
    assert entries[0].policy_areas == ["space-policy"]
    assert len(warnings) == 1 and "list.txt:3" in warnings[0] and "Space Policy" in warnings[0]
    assert new[("policy-area", "space-policy")].value == "Space Policy"


@pytest.mark.parametrize("data, field", [
    ("PE00X5, 2015, Open Data", "identifier"),
    ("pe0005, 2015, Open Data", "identifier"),
    ("PE0005, 15, Open Data", "year"),
    ("PE0005, two thousand, Open Data", "year"),
    ("PE0005, , Open Data", "year"),
])
def test_malformed_entries(data, field):
    lines = ["Peru's Commitments", "", "  1. A title", "", f"    {data}"]
    with pytest.raises(SourceError) as raised:
        parse_commitment_list(lines, 100, PERU, SOURCE, "en")
    assert raised.value.line == 104
    assert raised.value.field == field


def test_entry_without_data_line():
    lines = ["Peru's Commitments", "  1. A title", "  2. Another title", "PE0002, 2012, OGP"]
    with pytest.raises(SourceError, match="has no 'ID, year' line") as raised:
        parse_commitment_list(lines, 1, PERU, SOURCE, "en")
    assert raised.value.line == 2


def test_wrapped_title_is_joined_and_list_ends_at_prose():
    lines = ["Peru's Commitments", "  1. A title that wraps", "  onto a second line",
             "    PE0001, 2012, Open Data", "", "Some footer prose, not an entry"]
    entries = parse_commitment_list(lines, 1, PERU, SOURCE, "en")
    assert [c.titles[0].value for c in entries] == ["A title that wraps onto a second line"]
