"""Web fixtures: the dataset of web_fixture.py served in memory."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from web_fixture import OTHER_BASE, app_for, published_for

from ogpgraph.config import DEFAULT_BASE_URI
from ogpgraph.web.published import PublishedBuild


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
