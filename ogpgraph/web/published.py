"""The published build the web layer serves: its store, manifest and cache validators."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from fastapi import Request

from ogpgraph.build_layout import BuildLayout
from ogpgraph.rdf.uris import Uris
from ogpgraph.store.base import GraphStore
from ogpgraph.store.oxigraph_store import OxigraphStore


@dataclass
class PublishedBuild:
    store: GraphStore
    base: str
    manifest: dict[str, Any] = field(default_factory=dict)
    layout: BuildLayout | None = None  # None for a store made in memory (tests)

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


def load_published(build_dir: Path, base: str) -> PublishedBuild:
    """Open the current build of ``build_dir`` in memory (see build_layout.py)."""
    layout = BuildLayout.current(build_dir)
    if not layout.exists():
        raise FileNotFoundError(
            f"no build in {build_dir}: run `ogpgraph build` first (or set OGPGRAPH_BUILD_DIR)"
        )
    store = OxigraphStore.in_memory_from_nquads_gz(layout.nquads_dump)
    return PublishedBuild(store=store, base=base, manifest=layout.manifest(), layout=layout)


def get_published(request: Request) -> PublishedBuild:
    """FastAPI dependency; tests swap it with ``app.dependency_overrides``."""
    return request.app.state.published
