"""The institutions issue 10 names, as the published graph states them: input (OGP's CSV
export and the BUE0006 page in ../shared/ogp) -> expected institutions table per commitment
and role (IRI, most specific class, label), after the build-level reconciliation, including
the names that must not be split; and the build's report, warnings and redirects."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from ogpgraph.config import DEFAULT_BASE_URI as B
from ogpgraph.config import PROJECT_ROOT
from ogpgraph.graph.terms import ORG, SECTOR_CLASSES
from ogpgraph.release.institutions import reconcile_institutions
from ogpgraph.release.pipeline import NullProgress, build_time, map_records, read_all

OGP = f"{B}ontology#"
INST = f"{B}id/institution/"


def _shared() -> Path:
    """../shared/ogp, or skip (as tests/conftest.py's require_shared: module-level conftest
    imports are ambiguous across the test folders)."""
    shared = PROJECT_ROOT.parent / "shared" / "ogp"
    if not shared.is_dir():
        pytest.skip(f"{shared} is absent: the shared OGP data sits beside the repository in CI")
    return shared


@pytest.fixture(scope="module")
def graph() -> Graph:
    shared = _shared()
    records, errors, _ = read_all([shared / "commitments.csv",
                                   shared / "pages" / "BUE0006_local.txt"], NullProgress())
    assert not errors
    reconcile_institutions(records)
    union = Graph()
    for r in records:
        union += map_records(r, B, build_time())[1]
    return union


def _class(graph: Graph, iri: URIRef) -> str:
    types = set(graph.objects(iri, RDF.type))
    for names in SECTOR_CLASSES.values():
        if names and URIRef(OGP + names[0]) in types:
            return names[0]
    return "Institution"


def table(graph: Graph, identifier: str, role: str) -> list[tuple[str, str, str]]:
    commitment = URIRef(f"{B}id/commitment/{identifier}")
    return sorted((str(i).removeprefix(INST), _class(graph, i), str(graph.value(i, RDFS.label)))
                  for i in graph.objects(commitment, URIRef(OGP + role)))


LEAD, SUPPORT = "leadInstitution", "supportingInstitution"
EXPECTED = {
    ("BR0122", SUPPORT): [
        ("brazil/associacao-de-atendimento-a-pessoas-com-deficiencia-de-piracicaba-avistar",
         "CivilSocietyOrganization",
         "Associação de Atendimento a Pessoas com Deficiência de Piracicaba (Avistar)"),
        ("brazil/chamber-of-deputies", "Legislature", "Chamber of Deputies"),
        ("brazil/federal-senate", "Legislature", "Federal Senate"),
        ("brazil/fundacao-dorina-dowill", "CivilSocietyOrganization", "Fundação Dorina Dowill"),
        ("brazil/municipal-chamber-of-piracicaba", "Legislature",
         "Municipal Chamber of Piracicaba"),
        ("brazil/parlametria", "CivilSocietyOrganization", "Parlametria"),
        ("brazil/rede-de-avocacy-colaborativo", "CivilSocietyOrganization",
         "Rede de Avocacy Colaborativo"),
        ("brazil/universidade-federal-de-alfenas", "AcademicInstitution",
         "Universidade Federal de Alfenas"),
        ("brazil/w3c-brasil", "CivilSocietyOrganization", "W3C Brasil"),
    ],
    ("BR0106", SUPPORT): [
        ("brazil/brazilian-institute-for-criminal-science", "Institution",
         "Brazilian Institute for Criminal Science"),
        ("brazil/brazilian-senate", "Legislature", "Brazilian Senate"),
        ("brazil/district-chamber-for-the-federal-district", "Institution",
         "District Chamber for the Federal District"),
        ("brazil/house-of-representatives", "Legislature", "House of Representatives"),
        ("brazil/intelligent-citizenship", "Institution", "Intelligent Citizenship"),
        ("brazil/legislative-assembly-of-minas-gerais", "Legislature",
         "Legislative Assembly of Minas Gerais"),
        ("brazil/municipal-chamber-of-piracicaba", "Legislature",
         "Municipal Chamber of Piracicaba"),
    ],
    ("CL0069", LEAD): [("chile/congreso-nacional-de-chile", "Legislature",
                        "Congreso Nacional de Chile")],
    ("CR0054", SUPPORT): [
        ("costa-rica/abriendo-datos", "Institution", "Abriendo Datos"),
        ("costa-rica/acessa", "Institution", "ACESSA"),
        ("costa-rica/costa-rica-integra", "Institution", "Costa Rica Íntegra"),
        ("costa-rica/defensoria-de-los-habitantes", "GovernmentBody",
         "Defensoría de los Habitantes"),
        ("costa-rica/iplex", "Institution", "IPLEX"),
        ("costa-rica/ojo-al-voto", "Institution", "Ojo al Voto"),
    ],
    ("AR0094", LEAD): [
        ("argentina/administrative-and-parliamentary-secretariat-of-the-honorable-chamber-of",
         "Legislature",
         "Administrative and Parliamentary Secretariat of the Honorable Chamber of Deputies"),
        # must not be split at "and"
        ("argentina/office-of-transparency-and-access-to-public-information", "GovernmentBody",
         "Office of Transparency and Access to Public Information"),
        ("argentina/parliamentary-modernization-program", "Institution",
         "Parliamentary Modernization Program"),
        ("argentina/parliamentary-secretariat-of-the-honorable-senate", "Legislature",
         "Parliamentary Secretariat of the Honorable Senate"),
    ],
    ("AR0094", SUPPORT): [
        ("argentina/acij", "Institution", "ACIJ"),
        # the acronym CIPPEC is tied to its name elsewhere in Argentina's data: one IRI
        ("argentina/centro-de-implementacion-de-politicas-publicas-para-la-equidad-y-el-crecimiento",
         "Institution",
         "Centro de Implementación de Políticas Públicas para la Equidad y el Crecimiento"),
        ("argentina/conocimiento-abierto", "Institution", "Conocimiento Abierto"),
        ("argentina/democracia-en-red", "Institution", "Democracia en Red"),
        ("argentina/eurosocial", "MultilateralOrganization", "Eurosocial"),
        ("argentina/fundacion-directorio-legislativo", "CivilSocietyOrganization",
         "Fundación Directorio Legislativo"),
        ("argentina/poder-ciudadano", "Institution", "Poder Ciudadano"),
    ],
    ("AL0063", SUPPORT): [
        ("albania/albanian-school-of-public-administration", "Institution",
         "Albanian School of Public Administration"),
        ("albania/foundation-open-society-for-albania", "CivilSocietyOrganization",
         'Foundation "Open Society for Albania"'),
        ("albania/institute-for-co-operation-and-development", "Institution",
         "Institute for Co-operation and Development"),
        ("albania/institute-for-promotion-of-social-economic-development", "Institution",
         "Institute for Promotion of Social Economic Development"),
        ("albania/institute-for-research-and-development-alternatives", "Institution",
         "Institute for Research and Development Alternatives"),
        ("albania/ministry-for-europe-and-foreign-affairs", "ExecutiveBody",
         "Ministry for Europe and Foreign Affairs"),
        ("albania/ministry-of-finance-and-economy", "ExecutiveBody",
         "Ministry of Finance and Economy"),
        ("albania/national-agency-of-information-society", "GovernmentBody",
         "National Agency of Information Society"),
        ("albania/partners-for-change-and-development-in-albania", "Institution",
         "Partners for Change and Development in Albania"),
    ],
    # must not be split at "and"
    ("TN0008", LEAD): [
        ("tunisia/ministry-of-economy-and-finance", "ExecutiveBody",
         "Ministry of Economy and Finance"),
        ("tunisia/secretariat-of-state-in-charge-of-governance-and-civil-service",
         "GovernmentBody", "Secretariat of State in charge of governance and civil service"),
    ],
}
# a unit and, in parentheses, the body it belongs to: org:subOrganizationOf (must not split)
EXPECTED[("MO0012", LEAD)] = [
    ("morocco/directorate-of-budget-ministry-of-economy-and-finance", "ExecutiveBody",
     "Directorate of Budget (Ministry of Economy and Finance)")]
BUENOS_AIRES = [  # the same field in the CSV (BUE0009) and on the page (BUE0006)
    ("buenos-aires-argentina/acij", "NonGovernmentalOrganization", "ACIJ"),
    ("buenos-aires-argentina/adc", "NonGovernmentalOrganization", "ADC"),
    ("buenos-aires-argentina/conocimiento-abierto", "NonGovernmentalOrganization",
     "Conocimiento Abierto"),
    ("buenos-aires-argentina/criminal-misdemeanour-and-petty-offense-courts-10-and-13",
     "Judiciary", "Criminal, Misdemeanour and Petty Offense Courts 10 and 13"),
    ("buenos-aires-argentina/democracia-en-red", "NonGovernmentalOrganization",
     "Democracia en Red"),
    ("buenos-aires-argentina/directorio-legislativo", "NonGovernmentalOrganization",
     "Directorio Legislativo"),
    ("buenos-aires-argentina/office-for-the-protection-of-minors-and-incompetent-persons-of-"
     "the-city-of-aires", "GovernmentBody",
     "Office for the Protection of Minors and Incompetent Persons of the City of Buenos Aires"),
    ("buenos-aires-argentina/office-of-the-public-defender-of-the-city-of-buenos-aires",
     "GovernmentBody", "Office of the Public Defender of the City of Buenos Aires"),
    ("buenos-aires-argentina/office-of-the-public-prosecutor-of-the-city-of-buenos-aire",
     "GovernmentBody", "Office of the Public Prosecutor of the City of Buenos Aire"),
    # "Go- vernment" mended; "Government" after "of" is no heading
    ("buenos-aires-argentina/open-data-links-from-the-different-areas-of-government",
     "GovernmentBody", "Open data links from the different areas of Government"),
    ("buenos-aires-argentina/presidency-of-the-cabinet-of-ministers-of-the-government-of-the-"
     "city-of-buenos", "ExecutiveBody",
     "Presidency of the Cabinet of Ministers of the Government of the City of Buenos Aires"),
    ("buenos-aires-argentina/programme-on-parliamentary-modernisation-of-the-chamber-of-"
     "deputies-of-the", "Legislature",
     "Programme on parliamentary modernisation of the Chamber of Deputies of the Nation"),
]
EXPECTED[("BUE0009", SUPPORT)] = BUENOS_AIRES
EXPECTED[("BUE0006", SUPPORT)] = BUENOS_AIRES


@pytest.mark.parametrize(("identifier", "role"), sorted(EXPECTED))
def test_institutions_table(graph: Graph, identifier: str, role: str) -> None:
    assert table(graph, identifier, role) == EXPECTED[(identifier, role)]


def test_units_under_a_heading_are_part_of_their_institution(graph: Graph) -> None:
    """CL0069's "Del Senado: • Fiscalía • …" and "De la Cámara …": units with a parent."""
    commitment = URIRef(f"{B}id/commitment/CL0069")
    rows = {str(graph.value(i, RDFS.label)): graph.value(i, ORG.subOrganizationOf)
            for i in graph.objects(commitment, URIRef(OGP + SUPPORT))}
    senate, chamber = URIRef(f"{INST}chile/senado"), URIRef(
        f"{INST}chile/camara-de-diputadas-y-diputados")
    assert rows["Fiscalía (Senado)"] == senate
    assert rows["Departamento de Informática (Senado)"] == senate
    assert rows["Departamento de Informática (Cámara de Diputadas y Diputados)"] == chamber
    assert (senate, RDF.type, URIRef(OGP + "Legislature")) in graph
    # no heading became an institution
    assert not [label for label in rows if "actores" in label.lower()]


def test_a_unit_names_its_body_in_parentheses(graph: Graph) -> None:
    unit = URIRef(f"{INST}morocco/directorate-of-budget-ministry-of-economy-and-finance")
    ministry = URIRef(f"{INST}morocco/ministry-of-economy-and-finance")
    assert graph.value(unit, ORG.subOrganizationOf) == ministry
    assert str(graph.value(ministry, RDFS.label)) == "Ministry of Economy and Finance"
    assert (ministry, RDF.type, URIRef(OGP + "ExecutiveBody")) in graph


def test_qualifiers_are_notes_and_spellings_alt_labels(graph: Graph) -> None:
    courts = URIRef(f"{INST}buenos-aires-argentina/criminal-misdemeanour-and-petty-offense-"
                    "courts-10-and-13")
    assert {str(n) for n in graph.objects(courts, SKOS.note)} == {
        "BUE0006: Juzgados 10 y 13 PCyF", "BUE0009: Juzgados 10 y 13 PCyF"}
    cippec = URIRef(f"{INST}argentina/centro-de-implementacion-de-politicas-publicas-para-la-"
                    "equidad-y-el-crecimiento")
    assert str(graph.value(cippec, URIRef(OGP + "acronym"))) == "CIPPEC"


def test_one_class_per_institution(graph: Graph) -> None:
    """No institution is typed with two sectors (two disjoint classes least of all)."""
    for institution in set(graph.subjects(RDF.type, URIRef(OGP + "Institution"))):
        most_specific = {names[0] for names in SECTOR_CLASSES.values() if names
                         and (institution, RDF.type, URIRef(OGP + names[0])) in graph}
        chains = [set(names) for names in SECTOR_CLASSES.values() if names]
        assert any(most_specific <= chain for chain in chains), (institution, most_specific)


def test_members_are_never_merged(graph: Graph) -> None:
    """ACIJ of Argentina and ACIJ of Buenos Aires stay two institutions."""
    national, local = URIRef(f"{INST}argentina/acij"), URIRef(f"{INST}buenos-aires-argentina/acij")
    assert (national, RDFS.label, None) in graph and (local, RDFS.label, None) in graph
    assert graph.value(national, URIRef(OGP + "member")) != graph.value(
        local, URIRef(OGP + "member"))
