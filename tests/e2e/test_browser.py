"""In a real browser: headless Chromium (Debian's, installed by `make install`) driven by
Playwright through a reader's path, with screenshots and an axe-core audit per page."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError("chromium is missing: `make install` installs Debian's chromium")
    pytest.skip("chromium is not installed (make install installs it)", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")
axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")


@pytest.fixture(scope="module")
def page(live_server: str):
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1100, "height": 900})
        context.set_default_timeout(20_000)
        yield context.new_page()
        browser.close()


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
