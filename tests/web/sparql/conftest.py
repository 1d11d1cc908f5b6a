"""Apps over the hand-written fixture dataset, with various settings."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sparql_fixture import fixture_app

from ogpgraph.web.sparql.endpoint import close_executor


@pytest.fixture(scope="package")
def client() -> Iterator[TestClient]:
    """Two forked query workers, default limits."""
    with TestClient(fixture_app(query_workers=2, max_body_bytes=10_000)) as test_client:
        yield test_client


@pytest.fixture(scope="package")
def inprocess_client() -> Iterator[TestClient]:
    with TestClient(fixture_app(query_workers=0)) as test_client:
        yield test_client


@pytest.fixture(scope="package")
def truncating_client() -> Iterator[TestClient]:
    with TestClient(fixture_app(query_workers=1, max_results=2)) as test_client:
        yield test_client


@pytest.fixture()
def timeout_app() -> Iterator[FastAPI]:
    app = fixture_app(query_workers=2, query_timeout=1.0)
    yield app
    close_executor(app)
