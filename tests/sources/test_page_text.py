"""Reading flattened OGP commitment pages: every layout variant, written out per fixture."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from ogpgraph.records.model import Commitment, SourceRecords
from ogpgraph.sources.errors import SourceError
from ogpgraph.sources.page_text import is_page_text, read_page_text

ROOT = Path(__file__).resolve().parents[2]
PAGES = ROOT / "tests" / "fixtures" / "pages"
BAD = ROOT / "tests" / "fixtures" / "bad"
SEED = ROOT / "data" / "PE0055.txt"

# sectors (ogpgraph.records.institutions.Sector) as read from one field alone
E, G, L, J = "executive", "government", "legislature", "judiciary"
N, C, U = "non-government", "civil-society", "unknown"
# OGP's ";" convention: government bodies before it, the non-governmental side after it
UK_SUPPORT = [("Cabinet Office", E), ("mySociety", N),
              ("Natural Resource Governance Institute", N), ("ONE", N),
              ("Publish What You Pay UK", N), ("The Open Data Institute", N),
              ("Transparency International UK", C)]
UK_LEAD = [("Department for Business, Innovation and Skills", G)]
UK_PLAN = ("United Kingdom – Third National Action Plan 2016-18", 2016, 2018)
UK_AREAS_V2 = ["anti-corruption-and-integrity", "beneficial-ownership", "private-sector",
               "public-participation", "public-procurement"]
UK_V2_VALUES = {"did_it_open_government": "did-not-change", "verifiable": True,
                "relevant": True, "ambition": "high"}

# Per fixture: what a careful reader of the page finds. "values" lists the non-empty values of
# the assessment on the first (latest) report; every other assessment value must be empty.
EXPECTED: dict[str, dict] = {
    "UK0063.txt": dict(
        id="UK0063", title=("Beneficial ownership – UK", "en"),
        member=("United Kingdom", "united-kingdom", None), plan=UK_PLAN, status="inactive",
        lead=UK_LEAD, support=UK_SUPPORT,
        areas=["beneficial-ownership", "e-government", "open-contracting-and-procurement",
               "records-management"],
        reports=["end-of-term", "mid-term"],
        values={"did_it_open_government": "did-not-change", "verifiable": True,
                "relevant": True, "starred": False,
                "ogp_values": ["access-to-information", "civic-participation"]},
        description_lang="en", dates=(None, None),
    ),
    "UK0063_v2.txt": dict(
        id="UK0063", title=("Beneficial Ownership – UK", "en"),
        member=("United Kingdom", "united-kingdom", None), plan=UK_PLAN, status=None,
        lead=UK_LEAD, support=UK_SUPPORT, areas=UK_AREAS_V2,
        reports=["end-of-term", "mid-term"], values=UK_V2_VALUES,
        description_lang="en", dates=(None, None),
    ),
    "UK0063_v3_compact.txt": dict(
        id="UK0063", title=("Beneficial Ownership – UK", "en"),
        member=("United Kingdom", "united-kingdom", None), plan=UK_PLAN, status=None,
        lead=UK_LEAD, support=UK_SUPPORT, areas=UK_AREAS_V2,
        reports=["end-of-term", "mid-term"], values=UK_V2_VALUES,
        description_lang="en", dates=(None, None),
    ),
    "FR0015.txt": dict(
        id="FR0015", title=("Open Legal Resources", "en"),
        member=("France", "france", None),
        plan=("France, First Action Plan, 2015-2017", 2015, 2017), status="inactive",
        lead=[("Prime Minister's Office", E),
              ("Ministry of the Economy, Industry and the Digital Sector", E),
              ("Ministry of State for State Reform and Simplification attached to the Prime "
               "Minister", E)],
        support=[],
        areas=["access-to-information", "justice", "legislation-and-regulation", "open-data",
               "open-justice", "public-participation"],
        reports=["end-of-term", "mid-term"],
        values={"starred": True, "did_it_open_government": "marginal", "verifiable": True,
                "relevant": True,
                "ogp_values": ["access-to-information", "civic-participation"]},
        description_lang="en", dates=(None, None),
    ),
    "US0020.txt": dict(
        id="US0020", title=("Partnership to Build on Recent Progress", "en"),
        member=("United States", "united-states", None),
        plan=("United States – First National Action Plan – 2011-2013", 2011, 2013),
        status="inactive", lead=[("U.S. Department of the Interior", G)], support=[],
        areas=["anti-corruption-and-integrity", "extractive-industries",
               "public-participation"],
        reports=["mid-term"],
        values={"starred": False, "verifiable": True, "relevant": True,
                "ogp_values": ["access-to-information", "civic-participation",
                               "public-accountability"]},
        description_lang="en", dates=(None, None),
    ),
    "BUE0006_local.txt": dict(
        id="BUE0006", title=("access to government", "en"),
        member=("Buenos Aires, Argentina", "buenos-aires-argentina", True),
        plan=("Buenos Aires Action Plan 2018-2020", 2018, 2020), status="active",
        lead=[],
        # the page's own headings classify; "Go- vernment" mended; a parenthesis after an
        # acronym is its expansion (a note); a sentence and a category are left out
        support=[
            ("Presidency of the Cabinet of Ministers of the Government of the City of Buenos "
             "Aires", E),
            ("Programme on parliamentary modernisation of the Chamber of Deputies of the Nation",
             L),
            ("Open data links from the different areas of Government", G),
            ("Criminal, Misdemeanour and Petty Offense Courts 10 and 13", J),
            ("Office of the Public Prosecutor of the City of Buenos Aire", G),
            ("Office of the Public Defender of the City of Buenos Aires", G),
            ("Office for the Protection of Minors and Incompetent Persons of the City of Buenos "
             "Aires", G),
            ("ACIJ", N), ("Directorio Legislativo", N), ("Conocimiento Abierto", N),
            ("ADC", N), ("Democracia en Red", N),
        ],
        areas=["capacity-building", "e-government", "judiciary", "justice", "legislature",
               "open-data", "public-participation", "subnational",
               "sustainable-development-goals"],
        reports=[], values={}, description_lang="en", dates=(None, None),
        warnings=["IRM values without an IRM report are left out: relevant=False"],
    ),
    "KEMKC0001_local.txt": dict(
        id="KEMKC0001",
        title=("Publish project monitoring and implementation data though Open Contracting "
               "Data Standards Portal", "en"),
        member=("Makueni Kenya", "makueni-kenya", True), plan=(None, None, None), status=None,
        lead=[],
        support=[("Department of Finance and Socio Economic Planning", G),
                 ("Development Gateway", U), ("Local Development Research Institute", U)],
        areas=[], reports=[], values={}, description_lang="en",
        dates=("2021-08", "2022-06"),
        ogp_values=["access-to-information"],
    ),
    "HN0065_es.txt": dict(
        id="HN0065", title=("Integridad en la gestión pública", "es"),
        member=("Honduras", "honduras", None),
        plan=("Plan de Acción de Honduras 2018-2020", 2018, 2020), status="active",
        lead=[("Tribunales superiores de cuentas", U)],
        # sentences cut; a sentence and the category "Academia (…)" left out
        support=[
            ("Secretario de Estado para la coordinación del Gobierno General", E),
            ("Comités de Probidad y Ética de las Instituciones de gobierno", G),
        ],
        areas=["anti-corruption-and-integrity", "asset-disclosure", "audits",
               "capacity-building", "legislation-and-regulation",
               "sustainable-development-goals"],
        reports=["design"], values={"verifiable": True},
        description_lang="es", dates=("2018-09-01", "2020-09-30"),
    ),
    "UA0087_fr.txt": dict(
        id="UA0087", title=("Élargir le système de transparence budgétaire", "fr"),
        member=("Ukraine", "ukraine", None),
        plan=("Plan d'action de l'Ukraine 2020-2022", 2020, 2022), status=None,
        # no separator between the bodies: cut at the name-start words, the qualifiers
        # "(par convention)" kept as notes, "autres institutions de la société civile" left out
        lead=[("Ministère des finances", E), ("Ministère de l'économie", E),
              ("Trésor public", E), ('Institution publique "Finances publiques ouvertes"', U),
              ("Entreprise d'État ProZorro", U)],
        support=[("ONG Transparency International Ukraine", C),
                 ('ONG Centre d\'études et d\'analyse politiques "Eidos"', C),
                 ('Initiative gouvernementale et civique "Ensemble contre la corruption"', U)],
        areas=["anti-corruption-and-integrity", "fiscal-openness", "legislation",
               "public-procurement", "publication-of-budget-fiscal-information", "regulation"],
        reports=["action-plan-review"],
        values={"did_it_open_government": "marginal", "verifiable": True, "relevant": True,
                "ambition": "high"},
        description_lang="fr", dates=(None, None),
    ),
    "XK0011_compact_no_irm.txt": dict(
        id="XK0011", title=("Opening Up Procurement Data", "en"),
        member=("Kosovo", "kosovo", None),
        plan=("Kosovo Action Plan 2023-2025 (December)", 2023, 2025), status=None,
        lead=[], support=[],
        areas=["access-to-information", "anti-corruption-and-integrity", "capacity-building",
               "digital-transformation", "legislation", "open-contracting", "open-data",
               "public-procurement"],
        reports=[], values={}, description_lang="en", dates=(None, None),
        warnings=["the source URL names member 'denmark' but the page is about 'Kosovo'"],
    ),
    "PE0055.txt": dict(
        id="PE0055", title=("Management of Citizen Participation", "en"),
        member=("Peru", "peru", None),
        plan=("Peru, Second Action Plan, 2015-16", 2015, 2016), status="inactive",
        # "X a través de Y": X leads through its unit Y (InstitutionRef.via)
        lead=[("Presidencia del Consejo de Ministros", E)],
        support=[("Proética", U), ("Grupo Propuesta Ciudadana", U)],
        areas=["capacity-building", "legislation-and-regulation", "public-participation"],
        reports=["mid-term"],
        values={"starred": False, "did_it_open_government": "did-not-change",
                "verifiable": True, "relevant": True, "ogp_values": ["civic-participation"]},
        description_lang="es", dates=("2015-08", "2016-07"),
    ),
}
ASSESSMENT_VALUES = ("specificity", "verifiable", "relevant", "potential_impact", "ambition",
                     "potential_for_results", "completion", "change_in_completion",
                     "did_it_open_government", "early_results", "starred", "starred_formula",
                     "carried_forward")


def _path(name: str) -> Path:
    return SEED if name == "PE0055.txt" else PAGES / name


def _read(name: str) -> tuple[SourceRecords, Commitment]:
    records = read_page_text(_path(name))
    return records, records.commitments[0]


def test_every_page_fixture_has_expectations():
    assert sorted(p.name for p in PAGES.glob("*.txt")) == sorted(set(EXPECTED) - {"PE0055.txt"})


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_identity_member_and_action_plan(name):
    want = EXPECTED[name]
    _, page = _read(name)
    assert page.identifier == want["id"]
    assert [(t.value, t.lang) for t in page.titles] == [want["title"]]
    assert page.member is not None
    assert (page.member.name, page.member.slug, page.member.local) == want["member"]
    assert page.action_plan is not None
    assert page.action_plan.member_slug == page.member.slug
    plan = page.action_plan
    assert (plan.name, plan.cycle_year, plan.end_year) == want["plan"]
    assert page.status == want["status"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_institutions(name):
    want = EXPECTED[name]
    _, page = _read(name)
    assert [(i.name, i.sector) for i in page.lead_institutions] == want["lead"]
    assert [(i.name, i.sector) for i in page.supporting_institutions] == want["support"]
    # every field that names someone is kept whole, for the build-level pass
    roles = {f.role for f in page.institution_fields}
    assert not want["lead"] or "lead" in roles
    assert not want["support"] or roles & {"support", "involved"}


def test_institution_fields_keep_the_page_text() -> None:
    _, page = _read("BUE0006_local.txt")
    support = [f for f in page.institution_fields if f.role == "support"]
    assert len(support) == 1 and support[0].label == "Support Institution(s)"
    assert support[0].text.startswith("• Government - Presidency of the Cabinet of Ministers "
                                      "of the Go- vernment")
    _, kenya = _read("KEMKC0001_local.txt")
    assert [(f.role, f.text) for f in kenya.institution_fields] == [
        ("involved", "- Department of Finance and Socio Economic Planning\n"
                     "- Development Gateway\n- Local Development Research Institute (LDRI)")]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_policy_areas(name):
    _, page = _read(name)
    assert page.policy_areas == EXPECTED[name]["areas"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_irm_reports_and_values(name):
    want = EXPECTED[name]
    _, page = _read(name)
    assert [a.report.kind for a in page.assessments] == want["reports"]
    if not want["reports"]:
        return
    member, cycle = page.member.slug, page.action_plan.cycle_year
    assert all((a.report.member_slug, a.report.cycle_year) == (member, cycle)
               for a in page.assessments)
    latest = page.assessments[0]
    for value in ASSESSMENT_VALUES:
        assert getattr(latest, value) == want["values"].get(value), value
    assert latest.ogp_values == want["values"].get("ogp_values", [])
    # the earlier reports are linked, without the page's values
    for earlier in page.assessments[1:]:
        assert all(getattr(earlier, v) is None for v in ASSESSMENT_VALUES)
        assert earlier.ogp_values == []


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_description_dates_and_warnings(name):
    want = EXPECTED[name]
    records, page = _read(name)
    assert page.description is not None and len(page.description.value) > 100
    assert page.description.lang == want["description_lang"]
    assert (page.start_date, page.end_date) == want["dates"]
    assert page.ogp_values == want.get("ogp_values", [])
    expected_warnings = want.get("warnings", [])
    assert len(records.warnings) == len(expected_warnings)
    for expected, warning in zip(expected_warnings, records.warnings, strict=True):
        assert expected in warning


@pytest.mark.parametrize("name", sorted(set(EXPECTED) - {"PE0055.txt"}))
def test_source_url_sha_and_title_line(name):
    path = _path(name)
    records, page = _read(name)
    first_line = path.read_text(encoding="utf-8").splitlines()[0]
    assert records.source.kind == "page"
    assert records.source.url == first_line.removeprefix("# source: ")
    assert page.page_url == records.source.url
    assert records.source.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    title_line = path.read_text(encoding="utf-8").splitlines()[page.line - 1]
    assert title_line.endswith(f"({page.identifier})")


def test_report_names():
    _, page = _read("FR0015.txt")
    assert [a.report.name for a in page.assessments] == [
        "France End-of-Term Report 2015-2017", "France Mid-Term Progress Report 2015-2017"]
    assert all(a.report.year is None for a in page.assessments)  # a range is no publication year


def test_seed_milestones_in_order():
    _, page = _read("PE0055.txt")
    assert [m.value for m in page.milestones] == [
        "Conformación de un grupo de trabajo (integrado por entidades públicas y sociedad civil) "
        "para elaborar la propuesta de lineamientos.",
        "Propuesta de lineamientos terminados.",
        "Aprobación de la propuesta de lineamientos por la Alta Dirección de PCM.",
        "Publicación de la norma que aprueba los lineamientos.",
        "Implementación de los lineamientos.",
    ]
    assert {m.lang for m in page.milestones} == {"es"}


def test_seed_description_stops_at_summary():
    _, page = _read("PE0055.txt")
    assert page.description.value.startswith("Problema público identificado:")
    assert page.description.value.endswith("Carta Iberoamericana de la Participación Ciudadana.")
    assert page.page_url is None  # the seed has no "# source:" line


def test_seed_commitment_list():
    records, page = _read("PE0055.txt")
    listed = records.commitments[1:]
    assert len(listed) == 83
    assert [c.identifier for c in listed if c.starred] == ["PE0054", "PE0059", "PE0062"]
    assert all(c.starred is None for c in listed if not c.starred)
    same = next(c for c in listed if c.identifier == "PE0055")
    assert same.titles[0].value == page.titles[0].value
    assert all(c.source is records.source for c in listed)


def test_glued_and_doubled_values_match_clean_layout():
    """The compact layout reads exactly like the spaced one."""
    _, spaced = _read("UK0063_v2.txt")
    _, compact = _read("UK0063_v3_compact.txt")
    assert compact.policy_areas == spaced.policy_areas
    assert compact.assessments == spaced.assessments


def test_unknown_policy_area_kept_with_warning():
    text = (PAGES / "UK0063_v2.txt").read_text(encoding="utf-8").replace(
        "Private Sector, Public Participation", "Private Sector, Quantum Deliberation")
    records = read_page_text(Path("edited.txt"), text)
    page = records.commitments[0]
    assert "quantum-deliberation" in page.policy_areas
    assert any("unknown policy area 'Quantum Deliberation'" in w for w in records.warnings)
    label = records.new_concepts[("policy-area", "quantum-deliberation")]
    assert (label.value, label.lang) == ("Quantum Deliberation", "en")


def test_french_space_before_colon_and_translated_values():
    text = "\n".join([
        "Ignorer la navigation", "France", "", "Données ouvertes (FR0099)", "",
        "Plan d'action : Plan d'action de la France 2018-2020",
        "Cycle du plan d'action : 2018", "Statut : Actif",
        "Rapport IRM : Rapport de conception de la France 2018-2020",
        "Premiers résultats : majeurs", "Vérifiable : Non",
        "Pertinent pour les valeurs OGP : Non pertinent",
        "Achèvement : Substantiel", "", "Description", "",
        "La mise en œuvre des principes de transparence et d'ouverture des données publiques.",
    ])
    page = read_page_text(Path("fr.txt"), text).commitments[0]
    assert page.status == "active"
    assert page.action_plan.cycle_year == 2018
    latest = page.assessments[0]
    assert latest.report.kind == "design"
    assert (latest.verifiable, latest.relevant, latest.completion) == (False, False,
                                                                        "substantial")


def test_member_from_action_plan_and_url_fallbacks():
    body = ["", "Open Data ({id})", "", "Action Plan: {plan}", "", "Action Plan Cycle: 2016", "",
            "Description", "", "A long enough description of the commitment in English."]
    for plan, url, want in [
        ("Peru, Second Action Plan, 2015-16", None, "Peru"),
        ("Plan de Acción de Honduras 2018-2020", None, "Honduras"),
        ("Not Attached", "https://www.opengovpartnership.org/members/chile/commitments/CL0001/",
         "Chile"),
    ]:
        lines = ([f"# source: {url}"] if url else []) + [
            line.format(id="CL0001", plan=plan) for line in body]
        records = read_page_text(Path("m.txt"), "\n".join(lines))
        assert records.commitments[0].member.name == want
        assert records.warnings == []


def test_not_attached_action_plan_has_no_cycle():
    _, page = _read("KEMKC0001_local.txt")
    assert page.action_plan.cycle_year is None and page.action_plan.name is None


# --- bad input --------------------------------------------------------------------------------


def test_readme_is_not_a_page():
    with pytest.raises(SourceError, match="not an OGP commitment page"):
        read_page_text(BAD / "not_a_page.txt")
    assert not is_page_text((BAD / "not_a_page.txt").read_text(encoding="utf-8"))


def test_title_without_labels_is_not_a_page():
    text = "Some Report Title (AB0001)\n\nJust prose about a report, no labels at all.\n"
    assert not is_page_text(text)
    with pytest.raises(SourceError, match="no At-a-Glance labels"):
        read_page_text(Path("x.txt"), text)


@pytest.mark.parametrize("path", sorted(PAGES.glob("*.txt")) + [SEED], ids=lambda p: p.name)
def test_pages_are_sniffed_as_pages(path):
    assert is_page_text(path.read_text(encoding="utf-8"))


def test_impossible_date_names_line_and_field():
    with pytest.raises(SourceError) as raised:
        read_page_text(BAD / "bad_date.txt")
    assert raised.value.line == 23
    assert raised.value.field == "start_date"
    assert "31 febrero 2015" in str(raised.value)


def test_malformed_list_entry_is_an_error():
    with pytest.raises(SourceError) as raised:
        read_page_text(BAD / "bad_list_entry.txt")
    assert raised.value.line == 22
    assert "PE00X5" in str(raised.value)


def test_bad_cycle_year_is_an_error():
    text = (PAGES / "FR0015.txt").read_text(encoding="utf-8").replace(
        "Action Plan Cycle: 2015", "Action Plan Cycle: twenty15")
    with pytest.raises(SourceError) as raised:
        read_page_text(Path("c.txt"), text)
    assert raised.value.field == "cycle" and raised.value.line == 10


def test_not_utf8_is_an_error(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Gestión (PE0055)\nStatus: Activo\n".encode("latin-1"))
    with pytest.raises(SourceError, match="not UTF-8"):
        read_page_text(path)


def test_value_on_the_line_after_its_label():
    """Label and value flattened from two blocks: the value is not taken for the description."""
    text = "\n".join([
        "Skip Navigation", "Peru", "Open Data Portal (PE0099)", "Action Plan:",
        "Peru, Third Action Plan, 2017-2019", "Action Plan Cycle:", "2017", "Status:",
        "Active", "Completion:", "Substantial", "IRM Report:", "Peru Design Report 2017-2019",
        "Description", "A portal for the open data of all public bodies of Peru and its regions.",
    ])
    page = read_page_text(Path("v.txt"), text).commitments[0]
    assert (page.action_plan.name, page.action_plan.cycle_year, page.status) == (
        "Peru, Third Action Plan, 2017-2019", 2017, "active")
    assert page.assessments[0].completion == "substantial"
    assert page.description.value.startswith("A portal for the open data")


def test_missing_description_heading_after_empty_label():
    """FR0015-like: the description follows the last (empty) label directly."""
    text = "\n".join([
        "Open Data Portal (PE0099)", "Action Plan: Peru, Third Action Plan, 2017-2019",
        "Action Plan Cycle: 2017", "Completion:",
        "A portal for the open data of all public bodies of Peru and its regions.",
        "It will be built with civil society organisations over two years.",
    ])
    page = read_page_text(Path("v.txt"), text).commitments[0]
    assert page.description.value.startswith("A portal for the open data")
    assert page.description.value.endswith("over two years.")
