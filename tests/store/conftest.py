"""Engines for the remote-store tests, started here, and the builds they serve.

One engine of each kind per session (Virtuoso starts in a few seconds here, Oxigraph
server in under one); a test that needs a given release asks ``serving(engine, build)``,
which loads it only if the engine serves another one.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from engines import Engine, missing, new_engine

from ogpgraph.build_layout import BuildLayout
from ogpgraph.settings import DEFAULT_BASE_URI
from ogpgraph.store.engines import parse_store_url
from ogpgraph.store.oxigraph_store import OxigraphStore
from ogpgraph.store.remote_load import load_release
from ogpgraph.store.remote_store import RemoteStore
from ogpgraph.web.published import load_published

ENGINES = ("virtuoso", "oxigraph")


def start_engine(kind: str, folder: Path) -> Engine:
    reason = missing(kind)
    if reason:
        pytest.skip(reason)
    engine = new_engine(kind, folder)
    engine.start()
    return engine


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


def build_id(build_dir: Path) -> str:
    return BuildLayout.current(build_dir).manifest()["build_id"]


def serving(engine: Engine, build_dir: Path) -> RemoteStore:
    """A RemoteStore on ``engine`` once it serves the current release of ``build_dir``."""
    store = RemoteStore(parse_store_url(engine.url))
    current = store.read_release()
    if current is None or current.build_id != build_id(build_dir):
        load_release(build_dir, engine.url)
        store.refresh()
    return store
