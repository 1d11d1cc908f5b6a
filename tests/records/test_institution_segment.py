"""One field -> its institutions: separators, headings, qualifiers, none markers, the cases
that must not be split, lists glued with no separator (tables: input -> expected)."""

from __future__ import annotations

import pytest
from institution_helpers import csv_cell, page_value, triples

from ogpgraph.records.institutions import Gazetteer, read_field

# --- the rows issue 10 names (../shared/ogp/commitments.csv) --------------------------------

SUPPORT = "Supporting Institution(s)"
LEAD = "Lead Institution"

CSV_CASES = [
    ("BR0122", SUPPORT, [
        ("Municipal Chamber of Piracicaba", "legislature", None),
        ("Chamber of Deputies", "legislature", None),
        ("Federal Senate", "legislature", None),
        ("Associação de Atendimento a Pessoas com Deficiência de Piracicaba (Avistar)",
         "civil-society", None),
        ("Parlametria", "civil-society", None),
        ("Fundação Dorina Dowill", "civil-society", None),
        ("Universidade Federal de Alfenas", "academia", None),
        ("W3C Brasil", "civil-society", None),
        ("Rede de Avocacy Colaborativo", "civil-society", None),
    ]),
    ("BR0106", SUPPORT, [
        ("House of Representatives", "legislature", None),
        ("Brazilian Senate", "legislature", None),
        ("Municipal Chamber of Piracicaba", "legislature", None),
        ("Legislative Assembly of Minas Gerais", "legislature", None),
        ("District Chamber for the Federal District", "unknown", None),
        ("Brazilian Institute for Criminal Science", "unknown", None),
        ("Intelligent Citizenship", "unknown", None),
    ]),
    ("CR0054", SUPPORT, [
        ("Defensoría de los Habitantes", "government", None),
        ("ACESSA", "unknown", None),
        ("Costa Rica Integra", "unknown", None),
        ("Ojo al Voto", "unknown", None),
        ("Abriendo Datos", "unknown", None),
        ("IPLEX", "unknown", None),
    ]),
    ("AR0094", LEAD, [
        ("Parliamentary Modernization Program", "unknown", None),
        ("Office of Transparency and Access to Public Information", "government", None),
        ("Administrative and Parliamentary Secretariat of the Honorable Chamber of Deputies",
         "legislature", None),
        ("Parliamentary Secretariat of the Honorable Senate", "legislature", None),
    ]),
    ("AR0094", SUPPORT, [
        ("Fundación Directorio Legislativo", "civil-society", None),
        ("ACIJ", "unknown", None), ("CIPPEC", "unknown", None),
        ("Conocimiento Abierto", "unknown", None), ("Democracia en Red", "unknown", None),
        ("Poder Ciudadano", "unknown", None), ("Eurosocial", "multilateral", None),
    ]),
    ("AL0063", SUPPORT, [
        ("Ministry of Finance and Economy", "executive", None),
        ("The National Agency of Information Society", "government", None),
        ("Albanian School of Public Administration", "unknown", None),
        # "Line\nMinistries" is rejoined, then left out: it names no one in particular
        ("Ministry for Europe and Foreign Affairs", "executive", None),
        ("Partners for Change and Development in Albania", "unknown", None),
        ("Institute for Research and Development Alternatives", "unknown", None),
        ("Institute for Co-operation and Development", "unknown", None),
        ('Foundation "Open Society for Albania"', "civil-society", None),
        ("Institute for Promotion of Social Economic Development", "unknown", None),
    ]),
    ("BUE0009", SUPPORT, [
        ("Presidency of the Cabinet of Ministers of the Government of the City of Buenos Aires",
         "executive", None),
        ("Programme on parliamentary modernisation of the Chamber of Deputies of the Nation",
         "legislature", None),
        ("Open data links from the different areas of Government", "government", None),
        ("Criminal, Misdemeanour and Petty Offense Courts 10 and 13", "judiciary",
         "Juzgados 10 y 13 PCyF"),
        ("Office of the Public Prosecutor of the City of Buenos Aire", "government", None),
        ("Office of the Public Defender of the City of Buenos Aires", "government", None),
        ("Office for the Protection of Minors and Incompetent Persons of the City of Buenos "
         "Aires", "government", None),
        ("ACIJ", "non-government", "Civil Association for Equality and Justice"),
        ("Directorio Legislativo", "non-government", None),
        ("Conocimiento Abierto", "non-government", "Open Knowledge"),
        ("ADC", "non-government", "Association for Civil Rights"),
        ("Democracia en Red", "non-government", None),
    ]),
]


@pytest.mark.parametrize(("identifier", "column", "expected"), CSV_CASES,
                         ids=[f"{c[0]}-{c[1][:4]}" for c in CSV_CASES])
def test_issue_rows(identifier: str, column: str, expected: list) -> None:
    role = "lead" if column == LEAD else "support"
    assert triples(csv_cell(identifier, column), role) == expected


def test_chile_headings_give_units_and_classes_never_institutions() -> None:
    """CL0069: "Actores de gobierno", "De la Cámara …:", "Del Senado:", "De la BCN:" and
    "OSC, sector privado, …" are headings; the units under a "De …:" heading are its units."""
    reading = read_field(csv_cell("CL0069", SUPPORT), "support")
    got = [(m.name, m.sector.value, m.parent) for m in reading.mentions]
    camara, senado = "Cámara de Diputadas y Diputados", "Senado"
    assert got[:9] == [
        ("Unidad de Transparencia", "legislature", camara),
        ("Comunicaciones", "legislature", camara),
        ("Departamento de Informática", "legislature", camara),
        ("Comisión de Ética y Transparencia", "legislature", camara),
        ("Fiscalía", "legislature", senado),
        ("Unidad de Planificación y Control de Gestión", "legislature", senado),
        ("Oficina de Participación Ciudadana", "legislature", senado),
        ("Departamento de Informática", "legislature", senado),
        ("Comisión de Ética y Transparencia", "legislature", senado),
    ]
    assert got[9][2] == "BCN"
    names = [m.name for m in reading.mentions]
    for heading in ("Actores de gobierno", "OSC", "Del Senado", "De la BCN", "sector privado"):
        assert not any(heading in name for name in names)
    # the civil-society side: one sector for what follows the heading
    assert {m.sector.value for m in reading.mentions[10:]} <= {"academia", "non-government"}


# --- fixture pages (tests/fixtures/pages) ----------------------------------------------------

def test_buenos_aires_page_headings_and_broken_words() -> None:
    value = page_value("BUE0006_local.txt", "Support Institution(s):")
    got = triples(value)
    assert got[0] == ("Presidency of the Cabinet of Ministers of the Government of the City "
                      "of Buenos Aires", "executive", None)  # "Go- vernment" mended
    assert ("Office of the Public Prosecutor of the City of Buenos Aire", "government",
            None) in got  # "Bue- nos"
    assert ("Directorio Legislativo", "non-government", None) in got
    assert not any(name in ("Government", "Civil Society / Private Sector")
                   for name, _, _ in got)


def test_uk_page_convention() -> None:
    got = triples(page_value("UK0063.txt", "Support Institution(s):"))
    assert got == [("Cabinet Office", "executive", None),
                   ("mySociety", "non-government", None),
                   ("Natural Resource Governance Institute", "non-government", None),
                   ("ONE", "non-government", None),
                   ("Publish What You Pay UK", "non-government", None),
                   ("The Open Data Institute", "non-government", None),
                   ("Transparency International UK", "civil-society", None)]


def test_french_page_glued_lead_with_qualifiers() -> None:
    got = triples(page_value("UA0087_fr.txt", "Institution chef de file :"), "lead")
    assert got == [("Ministère des finances", "executive", None),
                   ("Ministère de l'économie", "executive", None),
                   ("Trésor public", "executive", None),
                   ('Institution publique "Finances publiques ouvertes"', "unknown",
                    "par convention"),
                   ("Entreprise d'État ProZorro", "unknown", "par convention")]


def test_french_page_support_drops_the_collective_tail() -> None:
    got = triples(page_value("UA0087_fr.txt", "Institution(s) de soutien :"))
    assert [name for name, _, _ in got] == [
        "ONG Transparency International Ukraine",
        'ONG Centre d\'études et d\'analyse politiques "Eidos"',
        'Initiative gouvernementale et civique "Ensemble contre la corruption"']
    assert all(note == "par accord" for _, _, note in got)


def test_seed_via_and_filler() -> None:
    reading = read_field("Presidencia del Consejo de Ministros, a través de la Secretaría de "
                         "Gestión Pública.", "lead")
    assert [(m.name, m.via) for m in reading.mentions] == [
        ("Presidencia del Consejo de Ministros", "Secretaría de Gestión Pública")]
    got = triples("Proética, Grupo Propuesta Ciudadana, entre otras organizaciones de la "
                  "sociedad civil.")
    assert [name for name, _, _ in got] == ["Proética", "Grupo Propuesta Ciudadana"]


# --- generic tables --------------------------------------------------------------------------

NOT_SPLIT = [
    "Ministry of Economy and Finance",
    "Office of Transparency and Access to Public Information",
    "Ministry of Education, Science, Research and Sport",
    "Ministry of Finance, Budget and National Planning",
    "Ministry of Justice and Attorney-General's Department (MJAGD)",
    "Ministry of Justice and Public Administration",
    "Ministerio del Interior, Obras Públicas y Vivienda",
    "Commission for Human Rights and Administrative Justice",
    "Open Society Foundation – Georgia",
    "Sovereign National Congress of the Republic of Honduras",
    "Kenya Civil Society Platform on Oil and Gas (KCSPOG)",
    "Agencia de Gobierno Electrónico y Sociedad de la Información y del Conocimiento",
    "Franco-German Office for Youth",
]


@pytest.mark.parametrize("text", NOT_SPLIT)
def test_not_split(text: str) -> None:
    reading = read_field(text, "lead")
    assert len(reading.mentions) == 1, [m.name for m in reading.mentions]
    assert reading.mentions[0].confident
    assert text.startswith(reading.mentions[0].name.split(" (")[0])


SPLIT = [
    ("Parliament and Ministry of Information", ["Parliament", "Ministry of Information"]),
    ("Ministry of Health and Ministry of Finance", ["Ministry of Health", "Ministry of Finance"]),
    ("Department of the Interior and Local Government (DILG) and Department of Budget and "
     "Management (DBM)", ["Department of the Interior and Local Government",
                          "Department of Budget and Management"]),
    ("1. ANRMAP, 2. MT, 3. ANAF, 4. MoJ & MoF, 5. MoJ/RAF",
     ["ANRMAP", "MT", "ANAF", "MoJ", "MoF", "RAF"]),
    ("(a)        Secretary General,\n(b)        Legislation Committee,",
     ["Secretary General", "Legislation Committee"]),
    ("-Regional departments of the Ministry of Justice - Legal clinics - Associations of "
     "citizens", ["Regional departments of the Ministry of Justice", "Legal clinics"]),
    ("Ministerio de Justicia (MJ). Secretaría Nacional Anticorrupción (SENAC).",
     ["Ministerio de Justicia", "Secretaría Nacional Anticorrupción"]),
    ("Cámara de Diputados de la Nación - Senado de la Nación",
     ["Cámara de Diputados de la Nación", "Senado de la Nación"]),
    ("Ministry of Finance\nMinistry of Industry and Commerce\nMunicipalities\nCasa do Cidadão",
     ["Ministry of Finance", "Ministry of Industry and Commerce", "Casa do Cidadão"]),
    ("Instituto Costarricense de Turismo y Comisión Nacional de Prevención de Riesgos y "
     "Atención de Emergencias (CNE)", ["Instituto Costarricense de Turismo",
                                       "Comisión Nacional de Prevención de Riesgos y Atención "
                                       "de Emergencias"]),
    ("Ministry of Finance Ministry of Economy State Treasury State Institution “Open Public "
     "Finance” (by agreement) State Enterprise ProZorro (by agreement)",
     ["Ministry of Finance", "Ministry of Economy", "State Treasury",
      'State Institution "Open Public Finance"', "State Enterprise ProZorro"]),
]


@pytest.mark.parametrize(("text", "expected"), SPLIT, ids=[s[0][:30] for s in SPLIT])
def test_split(text: str, expected: list[str]) -> None:
    assert [name for name, _, _ in triples(text, "lead")] == expected


HEADINGS = [
    ("State actors involved Parliament of Ghana\n\nCSOs, private sector, multilaterals, "
     "working groups Institute for Fiscal Studies (IFS)",
     [("Parliament of Ghana", "legislature", None),
      ("Institute for Fiscal Studies", "non-government", None)]),
    ("Other actors involved - government\nOffice of the President\nOther actors involved - "
     "CSOs, private sector, working groups, Multilaterals etc\nMzalendo, World Bank",
     [("Office of the President", "executive", None), ("Mzalendo", "non-government", None),
      ("World Bank", "multilateral", None)]),
    ("Gobierno: IAIP, Comisión Presidencial\nSociedad civil/Iniciativa privada: ASJ, FONAC",
     [("IAIP", "government", None), ("Comisión Presidencial", "government", None),
      ("ASJ", "non-government", None), ("FONAC", "non-government", None)]),
    ("Government: -Konza Technopolis -ICT Authority Civil Society: -Development Gateway "
     "Academia: IDS/UoN, Strathmore University",
     [("Konza Technopolis", "government", None), ("ICT Authority", "government", None),
      ("Development Gateway", "civil-society", None), ("IDS", "academia", None),
      ("UoN", "academia", None), ("Strathmore University", "academia", None)]),
    ("Société civile : Transparency International France",
     [("Transparency International France", "civil-society", None)]),
    ("Initiator: GIZ Eastern Partnership Parliamentary Project",
     [("GIZ Eastern Partnership Parliamentary Project", "multilateral", "Initiator")]),
    ("Ministry of Finance: Fiscal Policy and Planning Dept, Treasury Office",
     [("Fiscal Policy and Planning Dept", "executive", None),
      ("Treasury Office", "executive", None)]),
]


@pytest.mark.parametrize(("text", "expected"), HEADINGS, ids=[h[0][:30] for h in HEADINGS])
def test_headings_classify(text: str, expected: list) -> None:
    assert triples(text) == expected


NONE = ["NA", "N/A", "Unclear", "None", "ND", "NR", "Ninguna", "  na ", "See Action Plan", ""]


@pytest.mark.parametrize("text", NONE)
def test_none_markers_give_no_institution(text: str) -> None:
    reading = read_field(text, "support")
    assert reading.mentions == []


LEFT_OUT = [
    ("Comments submitted by users of the Parliament's Website have been taken into account.",
     "prose"),
    ("Ms. Atyr Abdrakhmatova– member of National Forum", "person"),
    ("Line Ministries", "generic"),
    ("other civil society institutions (by agreement)", "generic"),
    ("Mr. Myktar Tagaev (0773 769329, oshresearch@mail.ru)", "person"),
]


@pytest.mark.parametrize(("text", "kind"), LEFT_OUT)
def test_left_out_and_reported(text: str, kind: str) -> None:
    reading = read_field(text, "support")
    assert reading.mentions == []
    assert [i.kind for i in reading.issues] == [kind]


QUALIFIERS = [
    ("Parliamentary Budget Office (TBC)", ("Parliamentary Budget Office", "TBC")),
    ("NGO Dixi Group (by agreement)", ("NGO Dixi Group", "by agreement")),
    ("Yerevan Municipality and other local self-government bodies (upon consent)",
     ("Yerevan Municipality", "upon consent")),
    ("Parliament of the Czech Republic (within the normal course of the legislative process)",
     ("Parliament of the Czech Republic",
      "within the normal course of the legislative process")),
]


@pytest.mark.parametrize(("text", "expected"), QUALIFIERS)
def test_qualifiers_are_notes(text: str, expected: tuple) -> None:
    mention = read_field(text, "lead").mentions[0]
    assert (mention.name, mention.note) == expected


ACRONYMS = [
    ("Commission on Administrative Justice (CAJ)", ("Commission on Administrative Justice",
                                                    "CAJ")),
    ("Legislative Assembly of Minas Gerais - ALMG", ("Legislative Assembly of Minas Gerais",
                                                      "ALMG")),
    ("CRTA – Centre for Research, Transparency and Accountability",
     ("Centre for Research, Transparency and Accountability", "CRTA")),
    ("MESP (Ministry of Environment and Spatial Planning)",
     ("Ministry of Environment and Spatial Planning", "MESP")),
    ("Fundación Ciudadanía y Desarrollo FCD (Contraparte)",
     ("Fundación Ciudadanía y Desarrollo", "FCD")),
    ("International Budget Partnership (Kenya)", ("International Budget Partnership (Kenya)",
                                                  None)),
]


@pytest.mark.parametrize(("text", "expected"), ACRONYMS)
def test_acronyms(text: str, expected: tuple) -> None:
    mention = read_field(text, "lead").mentions[0]
    assert (mention.name, mention.acronym) == expected


def test_hyphens_mended_only_inside_words() -> None:
    got = triples("Office for the Protection of Minors and Incompe- tent Persons; "
                  "Franco-German Youth Office; Leer- en Expertisepunt Open Overheid", "lead")
    assert [n for n, _, _ in got] == ["Office for the Protection of Minors and Incompetent "
                                      "Persons", "Franco-German Youth Office",
                                      "Leer- en Expertisepunt Open Overheid"]


# --- glued lists: the gazetteer --------------------------------------------------------------

GLUED = ("Auditor General Ministry of Devolution and Planning Kenya School of Government "
         "National Assembly Ushahidi")


def test_glued_list_unsplittable_alone_is_kept_whole_and_flagged() -> None:
    reading = read_field(GLUED, "support")
    unsplit = [m for m in reading.mentions if not m.confident]
    assert unsplit and [i.kind for i in reading.issues] == ["unsplit"]
    assert "Ushahidi" in unsplit[0].name  # kept whole, never split at a guess


def test_glued_list_split_by_the_members_gazetteer() -> None:
    gazetteer = Gazetteer(["Auditor General", "Kenya School of Government",
                           "National Assembly", "Ushahidi"])
    reading = read_field(GLUED, "support", gazetteer=gazetteer)
    assert [m.name for m in reading.mentions] == [
        "Auditor General", "Ministry of Devolution and Planning", "Kenya School of Government",
        "National Assembly", "Ushahidi"]
    assert all(m.confident for m in reading.mentions) and not reading.issues


def test_gazetteer_from_mentions_uses_confident_names_and_acronyms() -> None:
    first = read_field("Institute of Economic Affairs (IEA), Ushahidi; Twaweza", "support")
    gazetteer = Gazetteer.from_mentions(first.mentions)
    assert gazetteer.known(["ushahidi"]) == 1
    assert gazetteer.known(["institute", "of", "economic", "affairs", "x"]) == 4
    assert gazetteer.known(["iea"]) == 1
    assert gazetteer.known(["twaweza"]) == 1


@pytest.mark.parametrize(("text", "expected"), [
    ("Directorate of Budget (Ministry of Economy and Finance)",
     ("Directorate of Budget", "Ministry of Economy and Finance", None)),
    ("Unidad de Transparencia (Ministerio de Hacienda)",
     ("Unidad de Transparencia", "Ministerio de Hacienda", None)),
    # a qualifier stays a note; a ministry's own parenthesis is no parent
    ("Office of the Clerk (by agreement)", ("Office of the Clerk", None, "by agreement")),
    ("Ministry of Finance (Treasury Department)",
     ("Ministry of Finance", None, "Treasury Department")),
])
def test_a_unit_names_its_body_in_parentheses(text: str, expected: tuple) -> None:
    [mention] = read_field(text, "lead").mentions
    assert (mention.name, mention.parent, mention.note) == expected
