"""In a real browser: headless Chromium (Debian's, installed by `make install`) driven by
Playwright through a reader's path, with screenshots (in tests/artifacts/) and an axe-core
audit per page; the query page with JavaScript on (the editor) and off (the form).

Outside CI a missing browser or tool skips these tests, saying why; in CI ($CI set, as
.ci/run does) it fails them, with the reason."""

from __future__ import annotations

import importlib
import importlib.util
import os
import shutil
from pathlib import Path

import pytest

from ogpgraph.web.web_assets import EDITOR_FILES, available

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]


def missing_or_fail(reason: str) -> None:
    """In CI a missing piece is a failure, elsewhere a skip: both say why."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so the browser tests must run)", pytrace=False)
    pytest.skip(reason, allow_module_level=True)


if not Path(CHROMIUM).exists():
    missing_or_fail("chromium is missing: `make install` installs Debian's chromium")
for _module in ("playwright.sync_api", "axe_playwright_python.sync_playwright"):
    if importlib.util.find_spec(_module.split(".")[0]) is None:
        missing_or_fail(f"{_module} is missing: `make install` installs it")
sync_api = importlib.import_module("playwright.sync_api")
axe_module = importlib.import_module("axe_playwright_python.sync_playwright")


@pytest.fixture(scope="module")
def browser(live_server: str):
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                              args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def new_page(browser, **options):
    context = browser.new_context(viewport={"width": 1100, "height": 900}, **options)
    context.set_default_timeout(20_000)
    return context.new_page()


@pytest.fixture(scope="module")
def page(browser):
    return new_page(browser)


def audit(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    results = axe_module.Axe().run(page)
    serious = [v for v in results.response["violations"]
               if v.get("impact") in ("serious", "critical")]
    assert not serious, f"{name}: " + "; ".join(
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)" for v in serious)


def test_a_readers_path(page, live_server: str) -> None:
    page.goto(live_server)
    assert page.locator("h1").count() == 1
    audit(page, "1-home")

    page.get_by_role("link", name="Members").first.click()
    page.get_by_role("link", name="Peru").first.click()
    assert "Peru" in page.locator("h1").inner_text()
    audit(page, "2-member")

    page.goto(f"{live_server}id/commitment/PE0055")
    assert "Management of Citizen Participation" in page.locator("h1").inner_text()
    assert page.locator("li", has_text="Conformación de un grupo de trabajo").count() >= 1
    audit(page, "3-commitment")

    page.locator("a[href*='/id/institution/'], a[href*='/doc/institution/']").first.click()
    assert "/institution/" in page.url
    assert page.locator("a[href*='PE0055']").count() >= 1
    audit(page, "4-institution")

    page.locator("input[name='q']").first.fill("participation")
    page.locator("input[name='q']").first.press("Enter")
    page.wait_for_load_state()
    assert "/search" in page.url
    assert page.locator("a[href*='/commitment/']").count() >= 1
    audit(page, "5-search")

    page.goto(f"{live_server}sparql")
    example = page.locator("a[href*='query=']").first
    example.click()
    page.wait_for_load_state()
    if page.locator("table").count() == 0:  # an example that only fills the form
        page.locator("form button[type='submit'], form input[type='submit']").first.click()
        page.wait_for_load_state()
    assert page.locator("table tbody tr").count() >= 1
    audit(page, "6-query")


QUERY = """PREFIX ogp: <{base}ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?commitment ?id WHERE {{ ?commitment a ogp:Commitment ; dcterms:identifier ?id }}
ORDER BY ?id LIMIT 7"""


def form_rows(page) -> list[tuple[str, str]]:
    """(IRI, identifier) of each row of the form's result table."""
    rows = page.locator("#results table tbody tr")
    return [(row.locator("td").nth(0).locator("a").get_attribute("href"),
             row.locator("td").nth(1).inner_text().strip())
            for row in rows.all()]


def test_the_form_works_without_javascript(browser, live_server: str) -> None:
    page = new_page(browser, java_script_enabled=False)
    page.goto(f"{live_server}sparql")
    assert page.locator("#query-form").is_visible()
    assert page.locator("#editor").count() == 0 or not page.locator("#editor").is_visible()
    page.locator("textarea#query").fill(QUERY.format(base=live_server))
    page.locator("#query-form button[type='submit']").click()
    page.wait_for_load_state()
    rows = form_rows(page)
    assert len(rows) == 7 and rows[0] == (f"{live_server}id/commitment/PE0001", "PE0001")
    # no axe audit: it runs in the page, which has no JavaScript (it would wait forever)
    page.screenshot(path=str(ARTIFACTS / "7-query-form-without-javascript.png"), full_page=True)


def test_a_query_typed_in_the_editor_returns_the_forms_rows(browser, live_server: str) -> None:
    if not available("yasgui", EDITOR_FILES):
        missing_or_fail("the query editor is not installed: `make install` runs npm ci")
    query = QUERY.format(base=live_server)
    form = new_page(browser, java_script_enabled=False)
    form.goto(f"{live_server}sparql")
    form.locator("textarea#query").fill(query)
    form.locator("#query-form button[type='submit']").click()
    form.wait_for_load_state()
    expected = form_rows(form)

    page = new_page(browser)
    outside: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(live_server)
            or r.url.startswith("data:") else outside.append(r.url))
    page.goto(f"{live_server}sparql")
    page.wait_for_selector("#editor .CodeMirror")
    assert page.locator("#query-form").is_hidden()  # the editor took over
    page.locator("#editor .CodeMirror").first.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(query)
    page.locator("#editor .yasqe_queryButton").first.click()
    page.wait_for_selector("#editor .yasr_results table tbody tr")
    shown = page.locator("#editor .yasr_results table tbody tr")
    assert shown.count() == len(expected) == 7
    got = page.evaluate("""() => window.ogpEditor.getTab().getYasr().results.getBindings()
        .map(b => [b.commitment.value, b.id.value])""")
    assert [tuple(row) for row in got] == expected
    hrefs = [row.locator("a").first.get_attribute("href") for row in shown.all()]
    assert hrefs == [iri for iri, _ in expected]
    assert outside == []  # everything came from our own origin
    page.screenshot(path=str(ARTIFACTS / "8-query-editor.png"), full_page=True)

    page.locator("[data-example]").first.click()  # an example: one click, and it runs
    page.wait_for_function("() => window.ogpEditor.getTab().getYasqe().getValue()"
                           ".includes('GROUP BY ?member')")
    page.wait_for_selector("#editor .yasr_response_chip")


@pytest.mark.parametrize(("lang", "start", "names", "headings"), [
    ("en", "August 2015", ("Start date", "End date", "Identifier", "Action plan"),
     ("Milestones", "IRM assessments", "All properties", "Members", "Skip to content")),
    ("es", "agosto de 2015", ("Fecha de inicio", "Fecha de finalización", "Identificador",
                              "Plan de acción"),
     ("Hitos", "Evaluaciones del IRM", "Todas las propiedades", "Miembros", "Ir al contenido")),
    ("fr", "août 2015", ("Date de début", "Date de fin", "Identifiant", "Plan d'action"),
     ("Jalons", "Évaluations de l'IRM", "Toutes les propriétés", "Membres",
      "Aller au contenu")),
])
def test_the_commitment_page_speaks_the_readers_language(browser, live_server: str, lang: str,
                                                         start: str, names: tuple,
                                                         headings: tuple) -> None:
    """As a browser set to the reader's language gets it: the property names, dates, the
    page's own headings and navigation, and the plan's own name (screenshot per language)."""
    page = new_page(browser, locale=lang, extra_http_headers={"Accept-Language": lang})
    response = page.goto(f"{live_server}id/commitment/PE0055")
    assert response.headers["content-language"] == lang
    assert page.locator("html").get_attribute("lang") == lang
    summary = page.locator("article dl.props").first
    text = summary.inner_text()
    assert start in text and "xsd:" not in text
    for name in names:
        assert summary.locator("dt", has_text=name).count() == 1, name
    assert "Peru, Second Action Plan, 2015-16" in text
    shown = page.locator("h2, nav a, a.skip").all_inner_texts()
    for heading in headings:
        assert any(s.strip() == heading for s in shown), heading
    page.screenshot(path=str(ARTIFACTS / f"commitment-after-{lang}.png"), full_page=True)
