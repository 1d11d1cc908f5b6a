"""Reading a release's history database: what the change pages, the feed and the event
stream ask. Opened read-only and immutable, one connection per thread."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ogpgraph.release.history.database import SCHEMA_VERSION, unpack_state


@dataclass(frozen=True)
class ReleaseRow:
    seq: int
    id: str
    timestamp: datetime
    previous: str | None
    sources: list[str]
    added: int
    removed: int
    modified: int

    @property
    def total(self) -> int:
        return self.added + self.removed + self.modified


@dataclass(frozen=True)
class PropertyRow:
    property: str
    old: list[str]  # N-Triples terms
    new: list[str]
    old_sources: list[str]
    new_sources: list[str]

    @property
    def removed(self) -> list[str]:
        return [v for v in self.old if v not in self.new]

    @property
    def added(self) -> list[str]:
        return [v for v in self.new if v not in self.old]


@dataclass(frozen=True)
class ChangeRow:
    seq: int
    release: str
    timestamp: datetime
    resource: str
    kind: str
    resource_kind: str
    member: str | None
    label: str
    new_sources: list[str]
    old_sources: list[str]
    properties: list[PropertyRow] = field(default_factory=list)


@dataclass(frozen=True)
class VersionRow:
    """A change as a member of the event stream: the resource's state after it."""

    seq: int
    release: str
    timestamp: datetime
    resource: str
    deleted: bool
    state: list[str]  # "p o" N-Triples pairs


@dataclass(frozen=True)
class ChangeFilter:
    release: str | None = None
    member: str | None = None
    kind: str | None = None
    resource: str | None = None

    def where(self) -> tuple[str, list[Any]]:
        clauses, params = [], []
        for column, value in (("c.release", self.release), ("c.member", self.member),
                              ("c.kind", self.kind), ("c.resource", self.resource)):
            if value:
                clauses.append(f"{column} = ?")
                params.append(value)
        return " AND ".join(clauses) or "1", params


CHANGE_COLUMNS = ("c.seq, c.release, r.timestamp, c.resource, c.kind, c.resource_kind, "
                  "c.member, c.label, c.new_sources, c.old_sources")
FROM_CHANGES = "changes c JOIN releases r ON r.id = c.release"


class HistoryIndex:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._source_titles: Mapping[str, str] | None = None
        meta = dict(self._conn().execute("SELECT key, value FROM meta").fetchall())
        if json.loads(meta.get("schema", "0")) != SCHEMA_VERSION:
            raise ValueError(f"{path}: history schema {meta.get('schema')}, this version "
                             f"reads {SCHEMA_VERSION}")
        self.page_size: int = json.loads(meta["page_size"])
        start = meta.get("stream_start")
        self.stream_start = datetime.fromisoformat(json.loads(start)) if start else None

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(f"file:{self.path}?mode=ro&immutable=1", uri=True,
                                   check_same_thread=False)
            self._local.conn = conn
        return conn

    def _rows(self, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> list[tuple]:
        return self._conn().execute(sql, params).fetchall()

    # --- releases ----------------------------------------------------------------------------

    def releases(self) -> list[ReleaseRow]:
        """Newest first."""
        return [release_row(r) for r in self._rows("SELECT * FROM releases ORDER BY seq DESC")]

    def release(self, release_id: str) -> ReleaseRow | None:
        rows = self._rows("SELECT * FROM releases WHERE id = ?", (release_id,))
        return release_row(rows[0]) if rows else None

    def source_titles(self) -> Mapping[str, str]:
        """Each source's title by IRI, read once: the database never changes, and reading
        its ~2,000 rows cost a resource page 2 ms at 100,000 commitments."""
        if self._source_titles is None:
            self._source_titles = MappingProxyType(
                {iri: title or iri for iri, title in self._rows("SELECT iri, title FROM sources")})
        return self._source_titles

    # --- changes -----------------------------------------------------------------------------

    def count(self, where: ChangeFilter) -> int:
        sql, params = where.where()
        return self._rows(f"SELECT COUNT(*) FROM changes c WHERE {sql}", params)[0][0]

    def changes(self, where: ChangeFilter, limit: int, offset: int = 0) -> list[ChangeRow]:
        """Newest release first; within a release, by resource IRI."""
        sql, params = where.where()
        rows = self._rows(f"SELECT {CHANGE_COLUMNS} FROM {FROM_CHANGES} WHERE {sql} "
                          f"ORDER BY r.seq DESC, c.seq LIMIT ? OFFSET ?",
                          [*params, limit, offset])
        return self._with_properties(rows)

    def change(self, release_id: str, resource: str) -> ChangeRow | None:
        found = self.changes(ChangeFilter(release=release_id, resource=resource), 1)
        return found[0] if found else None

    def members(self) -> list[tuple[str, int]]:
        return self._rows("SELECT member, COUNT(*) FROM changes WHERE member IS NOT NULL "
                          "GROUP BY member ORDER BY member")

    def _with_properties(self, rows: list[tuple]) -> list[ChangeRow]:
        seqs = [r[0] for r in rows]
        grouped: dict[int, list[PropertyRow]] = {}
        if seqs:
            marks = ",".join("?" * len(seqs))
            for change, prop, old, new, old_src, new_src in self._rows(
                    f"SELECT * FROM property_changes WHERE change IN ({marks}) "
                    f"ORDER BY change, property", seqs):
                grouped.setdefault(change, []).append(PropertyRow(
                    prop, json.loads(old), json.loads(new), json.loads(old_src),
                    json.loads(new_src)))
        return [ChangeRow(seq, release, datetime.fromisoformat(ts), resource, kind, rkind,
                          member, label, json.loads(new_src), json.loads(old_src),
                          grouped.get(seq, []))
                for seq, release, ts, resource, kind, rkind, member, label, new_src, old_src
                in rows]

    # --- the event stream --------------------------------------------------------------------

    def total(self) -> int:
        return self._rows("SELECT COALESCE(MAX(seq), 0) FROM changes")[0][0]

    def versions(self, first: int, last: int) -> list[VersionRow]:
        """The members numbered ``first`` to ``last``, in order."""
        return [version_row(r) for r in self._rows(
            "SELECT c.seq, c.release, r.timestamp, c.resource, c.kind, c.state "
            f"FROM {FROM_CHANGES} WHERE c.seq BETWEEN ? AND ? ORDER BY c.seq", (first, last))]

    def version(self, release_id: str, resource: str) -> VersionRow | None:
        rows = self._rows("SELECT c.seq, c.release, r.timestamp, c.resource, c.kind, c.state "
                          f"FROM {FROM_CHANGES} WHERE c.release = ? AND c.resource = ?",
                          (release_id, resource))
        return version_row(rows[0]) if rows else None


def release_row(row: tuple) -> ReleaseRow:
    seq, rid, ts, previous, sources, added, removed, modified = row
    return ReleaseRow(seq, rid, datetime.fromisoformat(ts), previous, json.loads(sources),
                      added, removed, modified)


def version_row(row: tuple) -> VersionRow:
    seq, release, ts, resource, kind, state = row
    return VersionRow(seq, release, datetime.fromisoformat(ts), resource, kind == "removed",
                      unpack_state(state))
