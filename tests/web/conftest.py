"""Web fixtures: a hand-written TriG dataset (tests/fixtures/web/dataset.trig) served in memory."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from ogpgraph.settings import DEFAULT_BASE_URI, Settings
from ogpgraph.store.oxigraph_store import OxigraphStore
from ogpgraph.web.app import create_app
from ogpgraph.web.published import PublishedBuild

DATASET = Path(__file__).resolve().parents[1] / "fixtures" / "web" / "dataset.trig"
BUILT_AT = "2024-05-01T12:00:00+00:00"
OTHER_BASE = "https://example.org/ogp/"


def published_for(base: str) -> PublishedBuild:
    """The fixture dataset with its IRIs minted under ``base``."""
    text = DATASET.read_text(encoding="utf-8").replace(DEFAULT_BASE_URI, base)
    store = ox.Store()
    store.load(text.encode("utf-8"), format=ox.RdfFormat.TRIG)
    manifest = {"build_id": f"test-{base}", "built_at": BUILT_AT, "base_uri": base}
    return PublishedBuild(store=OxigraphStore(store), base=base, manifest=manifest)


def app_for(base: str) -> FastAPI:
    return create_app(Settings(base_uri=base), published_for(base))


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
