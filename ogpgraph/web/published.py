"""The published build the web layer serves: its store, manifest and cache validators."""

from __future__ import annotations

import hashlib
import inspect
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Request

from ogpgraph.graph.uris import Uris
from ogpgraph.release.layout import BuildLayout
from ogpgraph.release.listings.reader import ListingIndex
from ogpgraph.release.listings.writer import build_listing_index
from ogpgraph.store.base import GraphStore
from ogpgraph.store.factory import open_release
from ogpgraph.store.oxigraph_store import OxigraphStore
from ogpgraph.web.reader_labels import LabelCache

T = TypeVar("T")


@dataclass
class PublishedBuild:
    store: GraphStore
    base: str
    manifest: dict[str, Any] = field(default_factory=dict)
    layout: BuildLayout | None = None  # None for a store made in memory (tests)
    _listings: ListingIndex | None = field(default=None, repr=False, compare=False)
    _listings_lock: threading.Lock = field(default_factory=threading.Lock, repr=False,
                                           compare=False)
    _memo: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def memo(self, name: str, compute: Callable[[], T]) -> T:
        """``compute()`` once for this build: the one per-build cache of the web layer
        (statistics, serialised descriptions, parsed reports). A new build is a new
        PublishedBuild, so nothing here outlives the data it was computed from."""
        if name not in self._memo:
            self._memo.setdefault(name, compute())
        return self._memo[name]

    @property
    def label_cache(self) -> LabelCache:
        """Labels chosen so far in this build (``reader_labels.LabelCache``)."""
        return self.memo("labels", LabelCache)

    @property
    def listings(self) -> ListingIndex:
        """The build's listing index: ``listings.sqlite`` opened read-only when the release
        has a readable one, else built in memory from the store once (stores made in tests,
        releases of other versions)."""
        if self._listings is None:
            with self._listings_lock:
                if self._listings is None:
                    self._listings = self._load_listings()
        return self._listings

    def _load_listings(self) -> ListingIndex:
        if self.layout is not None and self.layout.listings_path.is_file():
            try:
                return ListingIndex.open(self.layout.listings_path)
            except (ValueError, sqlite3.DatabaseError):
                pass  # written by another version of ogpgraph: rebuild it in memory
        if not isinstance(self.store, OxigraphStore):
            where = self.layout.listings_path if self.layout else "this build"
            raise FileNotFoundError(f"{where} is missing or unreadable, and a remote store "
                                    "cannot build one: rebuild the release")
        return build_listing_index(self.store.store, self.base, None,
                                   union=not self.store.union_materialised)

    @property
    def uris(self) -> Uris:
        return Uris(self.base)

    @property
    def built_at(self) -> datetime:
        stamp = self.manifest.get("built_at")
        return datetime.fromisoformat(stamp) if stamp else datetime(2000, 1, 1, tzinfo=UTC)

    @property
    def last_modified(self) -> str:
        """HTTP-date of the build, for Last-Modified."""
        return format_datetime(self.built_at.astimezone(UTC).replace(microsecond=0), usegmt=True)

    @property
    def build_id(self) -> str:
        """Changes with every build; the basis of every ETag."""
        seed = self.manifest.get("build_id") or self.manifest.get("built_at") or "unbuilt"
        return hashlib.sha256(str(seed).encode()).hexdigest()[:16]

    @property
    def dumps_dir(self) -> Path | None:
        return self.layout.dumps_dir if self.layout else None


def load_published(build_dir: Path, base: str, store_url: str | None = None) -> PublishedBuild:
    """The release to serve (``ogpgraph/store/factory.py``): the current build of
    ``build_dir`` in the embedded store, or the release the engine at ``store_url`` serves
    with its release folder in ``build_dir``."""
    opened = open_release(build_dir, store_url)
    return PublishedBuild(store=opened.store, base=base, manifest=opened.manifest,
                          layout=opened.layout)


async def get_published(request: Request) -> PublishedBuild:
    """FastAPI dependency; tests swap it with ``app.dependency_overrides``. Async so that
    FastAPI does not hop to a worker thread for it on every request."""
    return request.app.state.published


Published = Annotated[PublishedBuild, Depends(get_published)]  # a route's parameter type


async def published_of(request: Request) -> PublishedBuild:
    """The same for a route that takes the request alone (``web/direct_route.py``),
    including an override of ``get_published`` (sync or async, taking the request or
    nothing)."""
    override = request.app.dependency_overrides.get(get_published)
    if override is None:
        return request.app.state.published
    found = override(request) if inspect.signature(override).parameters else override()
    return await found if inspect.isawaitable(found) else found
