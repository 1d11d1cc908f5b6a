"""Engines for the remote-store tests, started here, and the builds they serve.

One engine of each kind per session (Virtuoso starts in a few seconds here, Oxigraph
server in under one); a test that needs a given release asks ``serving(engine, build)``,
which loads it only if the engine serves another one (engines.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from engines import Engine, start_engine

from ogpgraph.config import DEFAULT_BASE_URI
from ogpgraph.store.oxigraph_store import OxigraphStore
from ogpgraph.web.published import load_published

ENGINES = ("virtuoso", "oxigraph")


@pytest.fixture(scope="session", params=ENGINES)
def engine(request: pytest.FixtureRequest,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    started = start_engine(request.param, tmp_path_factory.mktemp(request.param))
    try:
        yield started
    finally:
        started.stop()


@pytest.fixture(scope="session")
def compared_build(request: pytest.FixtureRequest) -> Path:
    """The shared build (data/ + ../shared/ogp) where the shared data is, else data/'s."""
    try:
        return request.getfixturevalue("shared_build_dir")
    except pytest.skip.Exception:
        return request.getfixturevalue("default_build_dir")


@pytest.fixture(scope="session")
def embedded(compared_build: Path) -> OxigraphStore:
    """The compared build as ``ogpgraph serve`` opens it."""
    store = load_published(compared_build, DEFAULT_BASE_URI).store
    assert isinstance(store, OxigraphStore)
    return store
