"""The release the new one is compared with: the one ``current`` pointed at before."""

from __future__ import annotations

import gzip
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ogpgraph.release.history.database import read_digests
from ogpgraph.release.history.facts import facts_in
from ogpgraph.release.history.layout import HistoryLayout
from ogpgraph.release.history.model import Facts
from ogpgraph.release.layout import BuildLayout


@dataclass
class PreviousRelease:
    layout: BuildLayout
    history: HistoryLayout
    manifest: dict[str, Any]
    _store: ox.Store | None = None

    @classmethod
    def find(cls, root: Path | None) -> tuple[PreviousRelease | None, str | None]:
        """The previous release if its history can be continued, else None and why not
        (None when there is no previous release at all)."""
        if root is None:
            return None, None
        layout = BuildLayout(root)
        history = HistoryLayout(root)
        if not layout.exists():
            return None, f"{root}: no build.json"
        if not history.exists():
            return None, f"{root} has no history (built by an earlier version)"
        try:
            manifest = layout.manifest()
        except (OSError, ValueError) as error:
            return None, f"{layout.manifest_path}: unreadable ({error})"
        return cls(layout, history, manifest), None

    def digests(self, resources: Iterable[str] | None = None) -> dict[str, int]:
        """Its digests (of ``resources`` only, when given)."""
        return read_digests(self.history.database, resources)

    @property
    def store(self) -> ox.Store:
        """Its on-disk store, read-only; its N-Quads dump in memory if that cannot open."""
        if self._store is None:
            try:
                self._store = ox.Store.read_only(str(self.layout.store_dir))
            except (OSError, RuntimeError):  # missing, or the database says it is corrupt
                store = ox.Store()
                with gzip.open(self.layout.nquads_dump, "rb") as stream:
                    store.bulk_load(input=stream, format=ox.RdfFormat.N_QUADS)
                self._store = store
        return self._store

    def facts(self, iri: str, skip_graph: str) -> Facts:
        return facts_in(self.store, iri, skip_graph, in_default_graph=True)

    def close(self) -> None:
        self._store = None


def release_id_of_manifest(manifest: dict[str, Any]) -> str | None:
    history = manifest.get("history")
    return history.get("release_id") if isinstance(history, dict) else None

