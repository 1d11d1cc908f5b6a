"""Where the web layer gets its store and its ``/sparql`` executor, so that it never asks
which store it talks to:

- **embedded** (no store URL): the current release of the build folder, the union of its
  graphs in memory and its named graphs in the release's on-disk store, with forked query
  workers (``executor.py``);
- **remote** (a store URL, ``OGPGRAPH_STORE`` or ``serve --store``): the release a SPARQL
  engine serves (``remote_store.py``), with ``RemoteQueryExecutor``. The web tier still
  reads the *release folder* that release was built into (found in the build folder by its
  build id): its listing index (``listings.sqlite``), dumps and validation report are
  files, not triples. So the build folder must be shared with (or copied to) every web
  machine; a release the engine serves but the folder lacks is an error at start-up.

A new kind of store is one line of :data:`EXECUTORS` (and its opener here).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ogpgraph.config import Settings
from ogpgraph.release.layout import BuildLayout
from ogpgraph.store.base import GraphStore
from ogpgraph.store.engines import parse_store_url
from ogpgraph.store.executor import QueryExecutor, make_executor
from ogpgraph.store.oxigraph_store import OxigraphStore
from ogpgraph.store.remote_executor import RemoteQueryExecutor
from ogpgraph.store.remote_store import RemoteStore, RemoteStoreError


class NoRelease(FileNotFoundError):
    """Nothing to serve: no build, no release in the engine, or no folder for it."""


@dataclass
class OpenedRelease:
    store: GraphStore
    layout: BuildLayout
    manifest: dict[str, Any]


def open_embedded(build_dir: Path) -> OpenedRelease:
    """The current release of ``build_dir`` in the embedded store."""
    layout = locate_release(build_dir)
    manifest = layout.manifest()
    store: OxigraphStore
    if manifest.get("store_default_graph") == "union" and layout.store_dir.is_dir():
        store = OxigraphStore.union_in_memory(layout.ntriples_dump, layout.store_dir,
                                              quads=manifest.get("quads"))
    else:  # a release of an earlier version: its on-disk store lacks the union
        store = OxigraphStore.in_memory_with_union(layout.nquads_dump, layout.ntriples_dump)
    return OpenedRelease(store, layout, manifest)


def release_folder(build_dir: Path, build_id: str) -> BuildLayout | None:
    """The release of ``build_dir`` whose manifest has ``build_id`` (``current`` first)."""
    candidates = [BuildLayout.current(build_dir)]
    releases = build_dir / "releases"
    if releases.is_dir():
        candidates += [BuildLayout(path) for path in sorted(releases.iterdir(), reverse=True)
                       if not path.name.startswith(".")]
    candidates.append(BuildLayout(build_dir))  # the folder of one release itself
    for layout in candidates:
        try:
            if layout.exists() and layout.manifest().get("build_id") == build_id:
                return layout
        except (OSError, ValueError):
            continue
    return None


def _remote_layout(store: RemoteStore, build_dir: Path) -> BuildLayout:
    try:
        release = store.release
    except RemoteStoreError as error:
        raise NoRelease(f"{store.endpoint.query_url}: {error}") from error
    layout = release_folder(build_dir, release.build_id)
    if layout is None:
        raise NoRelease(
            f"{store.endpoint.query_url} serves release {release.build_id}, but no release "
            f"folder in {build_dir} has that build id: the web tier reads the listing index, "
            "dumps and validation report from it (share OGPGRAPH_BUILD_DIR with the machine "
            "that built and published it)")
    return layout


def open_remote(store_url: str, build_dir: Path) -> OpenedRelease:
    """The release a SPARQL engine serves, with the release folder it was built into."""
    store = RemoteStore(parse_store_url(store_url))
    try:
        layout = _remote_layout(store, build_dir)
    except NoRelease:
        store.close()
        raise
    return OpenedRelease(store, layout, layout.manifest())


def locate_release(build_dir: Path, store_url: str | None = None) -> BuildLayout:
    """The release folder that would be served, without loading anything (a check before
    a server starts its workers); NoRelease says why there is none."""
    if not store_url:
        layout = BuildLayout.current(build_dir)
        if not layout.exists():
            raise NoRelease(f"no build in {build_dir}: run `ogpgraph build` first "
                            "(or set OGPGRAPH_BUILD_DIR)")
        return layout
    store = RemoteStore(parse_store_url(store_url), timeout=10.0)
    try:
        return _remote_layout(store, build_dir)
    finally:
        store.close()


def open_release(build_dir: Path, store_url: str | None = None) -> OpenedRelease:
    """The release to serve: from the engine at ``store_url``, else the embedded store."""
    return open_remote(store_url, build_dir) if store_url else open_embedded(build_dir)


def _remote_executor(store: RemoteStore, settings: Settings) -> QueryExecutor:
    # the engine runs the queries: no workers here, only the client-side deadline
    return RemoteQueryExecutor(store.endpoint, timeout=settings.query_timeout,
                               release=lambda: store.release)


EXECUTORS: tuple[tuple[type, Callable[[Any, Settings], QueryExecutor]], ...] = (
    (OxigraphStore, make_executor),
    (RemoteStore, _remote_executor),
)


def query_executor(store: GraphStore, settings: Settings) -> QueryExecutor:
    """The executor of ``/sparql`` for ``store``: forked, sandboxed workers on the embedded
    store; the engine itself (checked queries, a client-side deadline) on a remote one."""
    for kind, make in EXECUTORS:
        if isinstance(store, kind):
            return make(store, settings)
    raise TypeError(f"no query executor for a {type(store).__name__}")
