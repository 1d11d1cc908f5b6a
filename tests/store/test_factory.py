"""The store factory: which release folder a web tier serving from an engine reads, and
which executor each kind of store gets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ogpgraph.config import Settings
from ogpgraph.store.engines import parse_store_url
from ogpgraph.store.executor import InProcessExecutor
from ogpgraph.store.factory import NoRelease, locate_release, query_executor, release_folder
from ogpgraph.store.oxigraph_store import OxigraphStore
from ogpgraph.store.remote_executor import RemoteQueryExecutor
from ogpgraph.store.remote_store import RemoteStore


def release(build_dir: Path, stamp: str, build_id: str) -> Path:
    folder = build_dir / "releases" / stamp
    folder.mkdir(parents=True)
    (folder / "build.json").write_text(json.dumps({"build_id": build_id}), encoding="utf-8")
    return folder


def test_the_release_the_engine_serves_not_the_newest(tmp_path: Path) -> None:
    """Built again but not published yet: ``current`` is newer than what the engine serves,
    and the web tier must read the folder of the engine's release."""
    older = release(tmp_path, "20240101T000000Z-a", "build-a")
    newer = release(tmp_path, "20240201T000000Z-b", "build-b")
    (tmp_path / "current").symlink_to(newer.relative_to(tmp_path))
    assert release_folder(tmp_path, "build-a").root == older
    assert release_folder(tmp_path, "build-b").root == newer.resolve()
    assert release_folder(tmp_path, "build-c") is None
    assert release_folder(older, "build-a").root == older  # a release folder itself


def test_no_build_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(NoRelease, match="no build in"):
        locate_release(tmp_path)


def test_each_store_gets_its_executor() -> None:
    import pyoxigraph as ox

    embedded = query_executor(OxigraphStore(ox.Store()),
                              Settings(query_workers=0, query_timeout=5.0))
    assert isinstance(embedded, InProcessExecutor)
    embedded.close()
    store = RemoteStore(parse_store_url("oxigraph+http://127.0.0.1:9"))
    remote = query_executor(store, Settings(query_workers=2, query_timeout=5.0))
    assert isinstance(remote, RemoteQueryExecutor) and remote.timeout == 5.0
    assert remote.endpoint is store.endpoint
    remote.close()
    store.close()
    with pytest.raises(TypeError, match="no query executor"):
        query_executor(object(), Settings())  # type: ignore[arg-type]
