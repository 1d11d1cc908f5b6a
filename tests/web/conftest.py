"""Web fixtures: the dataset of web_fixture.py served in memory, and a real build of the
fixture sources served as ``ogpgraph serve`` serves a release."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from web_fixture import OTHER_BASE, app_for, published_for

from ogpgraph.config import DEFAULT_BASE_URI, PROJECT_ROOT, Settings
from ogpgraph.web.published import PublishedBuild

FIXTURES = PROJECT_ROOT / "tests" / "fixtures"
# data/ (PE0055's page, which names its action plan and lists Peru's other commitments
# without naming theirs), OGP's CSV export format (no plan names) and a page naming the UK's
# plan: every way a plan gets its name
FIXTURE_SOURCES = (PROJECT_ROOT / "data", FIXTURES / "csv" / "sample.csv",
                   FIXTURES / "pages" / "UK0063.txt")
FIXTURE_BUILT_AT = "1714564800"  # 2024-05-01T12:00:00Z, so dates on the pages are known


@pytest.fixture(scope="session")
def fixture_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real build (listing index, history, validation report, dumps) of FIXTURE_SOURCES."""
    from ogpgraph.release.pipeline import run_build

    out = tmp_path_factory.mktemp("fixture-build")
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = FIXTURE_BUILT_AT
    try:
        run_build(list(FIXTURE_SOURCES), out, DEFAULT_BASE_URI)
    finally:
        if before is None:
            os.environ.pop("SOURCE_DATE_EPOCH")
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before
    return out


@pytest.fixture(scope="session")
def fixture_client(fixture_build: Path) -> TestClient:
    from ogpgraph.web.app import create_app
    from ogpgraph.web.published import load_published

    published = load_published(fixture_build, DEFAULT_BASE_URI)
    return TestClient(create_app(Settings(base_uri=DEFAULT_BASE_URI), published))


@pytest.fixture(scope="session")
def res_published() -> PublishedBuild:
    return published_for(DEFAULT_BASE_URI)


@pytest.fixture(scope="session")
def res_client() -> TestClient:
    return TestClient(app_for(DEFAULT_BASE_URI))


@pytest.fixture(scope="session")
def res_other_client() -> TestClient:
    """Served at / but minting IRIs under https://example.org/ogp/ (behind a proxy)."""
    return TestClient(app_for(OTHER_BASE))


@pytest.fixture
def res_path_of() -> Callable[[str, str], str]:
    """A public URL under ``base`` -> the request path the app sees."""

    def to_path(url: str, base: str = DEFAULT_BASE_URI) -> str:
        assert url.startswith(base), f"{url} is not under {base}"
        return "/" + url[len(base):]

    return to_path
