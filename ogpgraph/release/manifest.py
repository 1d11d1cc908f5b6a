"""The release manifest (``build.json``): what a release holds, counted and checksummed."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pyoxigraph as ox

from ogpgraph.release.history.layout import HistoryLayout
from ogpgraph.release.layout import BuildLayout, Dump
from ogpgraph.sources.files import sha256_of


def file_entry(layout: BuildLayout, dump: Dump, triples: int | None) -> dict[str, Any]:
    path = layout.dump_path(dump)
    return {"file": dump.file, "media_type": dump.media_type, "bytes": path.stat().st_size,
            "sha256": sha256_of(path), "triples": triples, "description": dump.description}


def dump_entry(layout: BuildLayout, dump: Dump, written: dict[str, Any] | None,
               triples: int | None) -> dict[str, Any]:
    """A dump's manifest entry: size and sha256 as its writer counted them (a whole-dataset
    dump, ``written``) or read from the file (the schema files, whose triples are counted)."""
    if written is None:
        assert isinstance(dump.format.oxigraph, ox.RdfFormat)
        return file_entry(layout, dump, triples if triples is not None else
                          triples_in_file(layout.dump_path(dump), dump.format.oxigraph))
    return {"file": dump.file, "media_type": dump.media_type, "bytes": written["bytes"],
            "sha256": written["sha256"], "triples": triples, "description": dump.description}


def history_entry(layout: BuildLayout, history: dict[str, Any]) -> dict[str, Any]:
    """The manifest's ``history`` section: what the change-history step found, and its
    files (path in the release, bytes, sha256)."""
    files = [{"file": str(path.relative_to(layout.root)), "bytes": path.stat().st_size,
              "sha256": sha256_of(path)} for path in HistoryLayout(layout.root).files]
    return {**history, "files": files}


def triples_in_file(path: Any, fmt: ox.RdfFormat) -> int:
    store = ox.Store()
    store.load(path=str(path), format=fmt)
    return len(store)


@dataclass
class ReleaseFacts:
    """What the writing steps learn, gathered for the manifest."""

    quads: int = 0
    triples: int = 0
    graph_triples: list[list[Any]] | None = None  # [graph IRI, triples] per named graph
    counts: dict[str, int] | None = None
    listing: Any = None  # the listing index's state (listings/state.py), for the cache


def build_manifest(*, built_at: datetime, base: str, facts: ReleaseFacts,
                   dumps: list[dict[str, Any]], sources: list[dict[str, Any]],
                   warnings: list[str], shacl_warnings: list[str],
                   history: dict[str, Any] | None = None,
                   extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """``extra``: more top-level entries (the default graph's facts, report files)."""
    content_id = hashlib.sha256(json.dumps(sources).encode()).hexdigest()[:12]
    return {
        "build_id": f"{built_at.isoformat()}-{content_id}",
        "built_at": built_at.isoformat(),
        "base_uri": base,
        "triples": facts.triples,
        "quads": facts.quads,
        "store_default_graph": "union",  # the on-disk store holds the union as default graph
        "graph_triples": facts.graph_triples or [],
        "counts": facts.counts or {},
        "dumps": dumps,
        "sources": sources,
        "warnings": warnings + shacl_warnings,
        "validation": {"conforms": True, "violations": 0, "warnings": len(shacl_warnings),
                       "default_graph_conforms": True},
        **({"release_id": history["release_id"], "history": history} if history else {}),
        **(extra or {}),
    }


def write_manifest(layout: BuildLayout, manifest: dict[str, Any]) -> None:
    layout.manifest_path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False),
                                    encoding="utf-8")
