"""Name patterns -> sector in each language; unknown stays unknown; OGP's convention; the
draft ontology classes of the sectors."""

from __future__ import annotations

from pathlib import Path

import pytest
from institution_helpers import triples
from rdflib import Graph, Literal
from rdflib.namespace import OWL, RDFS, SKOS

from ogpgraph.graph.terms import OGP
from ogpgraph.records.institutions import Sector, classify_name

PATTERNS = [
    ("Ministry of Parliamentary Affairs", "executive"),
    ("Ministerio de Hacienda y Administraciones Públicas", "executive"),
    ("Ministère des finances", "executive"),
    ("Ministério da Justiça", "executive"),
    ("Office of the President", "executive"),
    ("Administration of the Council of Ministers", "executive"),
    ("Parliament of Ghana", "legislature"),
    ("Congreso Nacional de Chile", "legislature"),
    ("Assemblée nationale", "legislature"),
    ("Câmara Municipal de Piracicaba", "legislature"),
    ("Supreme Court", "judiciary"),
    ("Poder Judicial", "judiciary"),
    ("Fundación Directorio Legislativo", "civil-society"),
    ("Association for Legal Assistance to Consumers", "civil-society"),
    ("Transparency International Ukraine", "civil-society"),
    ("Universidad de Costa Rica", "academia"),
    ("University of Ghana", "academia"),
    ("World Bank", "multilateral"),
    ("UNDP", "multilateral"),
    ("USAID", "multilateral"),
    ("Council of Europe", "multilateral"),
    ("American Chamber of Commerce", "private-sector"),
    ("Nova TV d.d.", "private-sector"),
    ("Erdenet LLC", "private-sector"),
    ("Contraloría General de la República", "government"),
    ("Public Procurement Agency", "government"),
    ("Tribunal Superior de Cuentas", "government"),
    ("Democracia en Red", "unknown"),
    ("Ushahidi", "unknown"),
    ("Parliamentary Network Africa", "civil-society"),
]


@pytest.mark.parametrize(("name", "sector"), PATTERNS)
def test_name_patterns(name: str, sector: str) -> None:
    assert classify_name(name).value == sector


CONVENTION = [
    # one ";": government before it, civil society / private sector after it
    ("Cabinet Office; mySociety, Involve",
     [("Cabinet Office", "executive"), ("mySociety", "non-government"),
      ("Involve", "non-government")]),
    # the export's blank line between the two boxes of OGP's template
    ("Federal Ministry of Justice, Central Bank of Nigeria\n\nOne Campaign, BudgIT",
     [("Federal Ministry of Justice", "executive"), ("Central Bank of Nigeria", "government"),
      ("One Campaign", "non-government"), ("BudgIT", "non-government")]),
    # a strong pattern contradicting the convention: not applied (patterns only)
    ("Bulgarian Center for Not-for Profit Law; Administration of the Council of Ministers",
     [("Bulgarian Center for Not-for Profit Law", "unknown"),
      ("Administration of the Council of Ministers", "executive")]),
    # several ";": no convention
    ("GGI; IDFI; GIZ", [("GGI", "unknown"), ("IDFI", "unknown"), ("GIZ", "multilateral")]),
]


@pytest.mark.parametrize(("text", "expected"), CONVENTION, ids=[c[0][:25] for c in CONVENTION])
def test_convention(text: str, expected: list) -> None:
    assert [(n, s) for n, s, _ in triples(text)] == expected


def test_lead_fields_get_no_convention_and_no_default() -> None:
    assert [(n, s) for n, s, _ in triples("Netwerk Democratie; Riigikogu", "lead")] == [
        ("Netwerk Democratie", "unknown"), ("Riigikogu", "legislature")]


def test_sector_hierarchy() -> None:
    assert Sector.LEGISLATURE.refines(Sector.GOVERNMENT)
    assert Sector.PRIVATE_SECTOR.refines(Sector.NON_GOVERNMENT)
    assert not Sector.ACADEMIA.refines(Sector.NON_GOVERNMENT)
    assert Sector.MULTILATERAL.refines(Sector.UNKNOWN)


# --- the ontology's institution classes ------------------------------------------------------

CLASSES = Path(__file__).resolve().parents[2] / "ontology" / "ogp.ttl"
SECTOR_CLASS = {
    Sector.EXECUTIVE: "ExecutiveBody", Sector.LEGISLATURE: "Legislature",
    Sector.JUDICIARY: "Judiciary", Sector.GOVERNMENT: "GovernmentBody",
    Sector.CIVIL_SOCIETY: "CivilSocietyOrganization",
    Sector.PRIVATE_SECTOR: "PrivateSectorOrganization",
    Sector.NON_GOVERNMENT: "NonGovernmentalOrganization",
    Sector.MULTILATERAL: "MultilateralOrganization", Sector.ACADEMIA: "AcademicInstitution",
}


@pytest.fixture(scope="module")
def classes() -> Graph:
    return Graph().parse(CLASSES)


@pytest.mark.parametrize("sector", list(SECTOR_CLASS))
def test_every_sector_has_a_documented_class(classes: Graph, sector: Sector) -> None:
    cls = OGP[SECTOR_CLASS[sector]]
    assert (cls, RDFS.subClassOf, OGP.Institution) in classes
    for lang in ("en", "es", "fr"):
        assert any(isinstance(o, Literal) and o.language == lang
                   for o in classes.objects(cls, RDFS.label)), lang
        assert any(isinstance(o, Literal) and o.language == lang
                   for o in classes.objects(cls, SKOS.definition)), lang


def test_disjointness_only_where_true(classes: Graph) -> None:
    def disjoint(a: str, b: str) -> bool:
        return (OGP[a], OWL.disjointWith, OGP[b]) in classes or \
            (OGP[b], OWL.disjointWith, OGP[a]) in classes
    assert disjoint("GovernmentBody", "CivilSocietyOrganization")
    assert disjoint("ExecutiveBody", "Legislature") and disjoint("Legislature", "Judiciary")
    assert disjoint("CivilSocietyOrganization", "PrivateSectorOrganization")
    assert not disjoint("AcademicInstitution", "GovernmentBody")  # public universities
    assert not disjoint("MultilateralOrganization", "GovernmentBody")  # donor agencies


def test_the_mapping_types_each_sector_with_its_class() -> None:
    from ogpgraph.graph.terms import SECTOR_CLASSES
    assert set(SECTOR_CLASSES) == {s.value for s in Sector}
    assert {k: v[0] for k, v in SECTOR_CLASSES.items() if v} == {
        s.value: name for s, name in SECTOR_CLASS.items()}
