"""The history database (``history/history.sqlite``): its schema, and writing a release's
part onto a copy of the previous release's database.

Rows are appended in a fixed order (changes by resource IRI, digests by IRI), so the same
history written twice is the same bytes. ``changes.seq`` numbers every change of the whole
history in order: it is also the position of the change's version in the event stream.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import zlib
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from ogpgraph.release.history.model import Change, ReleaseRecord

SCHEMA_VERSION = 1
PAGE_SIZE = 250  # versions per page of the event stream; fixed once a history starts

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE releases (
    seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, timestamp TEXT NOT NULL,
    previous TEXT, sources TEXT NOT NULL,
    added INTEGER NOT NULL, removed INTEGER NOT NULL, modified INTEGER NOT NULL);
CREATE TABLE changes (
    seq INTEGER PRIMARY KEY, release TEXT NOT NULL, resource TEXT NOT NULL,
    kind TEXT NOT NULL, resource_kind TEXT NOT NULL, member TEXT, label TEXT NOT NULL,
    new_sources TEXT NOT NULL, old_sources TEXT NOT NULL,
    state BLOB NOT NULL);
CREATE UNIQUE INDEX changes_by_release ON changes (release, resource);
CREATE INDEX changes_by_resource ON changes (resource, seq);
CREATE INDEX changes_by_member ON changes (member, seq);
CREATE TABLE property_changes (
    change INTEGER NOT NULL, property TEXT NOT NULL, old TEXT NOT NULL, new TEXT NOT NULL,
    old_sources TEXT NOT NULL, new_sources TEXT NOT NULL, PRIMARY KEY (change, property));
CREATE TABLE sources (iri TEXT PRIMARY KEY, title TEXT, identifier TEXT);
CREATE TABLE digests (resource TEXT PRIMARY KEY, digest BLOB NOT NULL);
"""


class HistoryError(Exception):
    """The previous release's history cannot be continued (named in the message)."""


def pack_state(lines: Iterable[str]) -> bytes:
    return zlib.compress("\n".join(lines).encode("utf-8"), 6)


def unpack_state(blob: bytes) -> list[str]:
    text = zlib.decompress(blob).decode("utf-8")
    return text.split("\n") if text else []


class HistoryWriter:
    """Appends one release to the history database at ``path``."""

    def __init__(self, path: Path, previous: Path | None) -> None:
        if previous is not None:
            shutil.copyfile(previous, path)
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode = OFF")
        self.conn.execute("PRAGMA synchronous = OFF")
        if previous is None:
            self.conn.executescript(SCHEMA)
            self.conn.execute("BEGIN")
            self._set_meta({"schema": SCHEMA_VERSION, "page_size": PAGE_SIZE})
        else:
            self._check(previous)
            self.conn.execute("BEGIN")
        self.seq = self.conn.execute("SELECT COALESCE(MAX(seq), 0) FROM changes").fetchone()[0]

    def _check(self, previous: Path) -> None:
        try:
            meta = dict(self.conn.execute("SELECT key, value FROM meta").fetchall())
        except sqlite3.DatabaseError as error:
            raise HistoryError(f"{previous}: not a history database ({error})") from error
        if json.loads(meta.get("schema", "0")) != SCHEMA_VERSION:
            raise HistoryError(f"{previous}: history schema {meta.get('schema')}, this "
                               f"version writes {SCHEMA_VERSION}")

    def _set_meta(self, values: dict[str, object]) -> None:
        self.conn.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                              [(k, json.dumps(v)) for k, v in sorted(values.items())])

    def last_release(self) -> tuple[str, datetime] | None:
        row = self.conn.execute(
            "SELECT id, timestamp FROM releases ORDER BY seq DESC LIMIT 1").fetchone()
        return (row[0], datetime.fromisoformat(row[1])) if row else None

    def has_release(self, release_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM releases WHERE id = ?",
                                 (release_id,)).fetchone() is not None

    def known_sources(self) -> set[str]:
        return {iri for (iri,) in self.conn.execute("SELECT iri FROM sources")}

    def add_sources(self, sources: Iterable[tuple[str, str | None, str | None]]) -> None:
        self.conn.executemany("INSERT OR IGNORE INTO sources VALUES (?, ?, ?)", sorted(sources))

    def add_change(self, release: ReleaseRecord, change: Change) -> int:
        self.seq += 1
        self.conn.execute(
            "INSERT INTO changes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (self.seq, release.id, change.resource, change.kind, change.resource_kind,
             change.member, change.label, json.dumps(change.new_sources),
             json.dumps(change.old_sources), pack_state(change.state)))
        self.conn.executemany(
            "INSERT INTO property_changes VALUES (?, ?, ?, ?, ?, ?)",
            [(self.seq, p.property, json.dumps(p.old, ensure_ascii=False),
              json.dumps(p.new, ensure_ascii=False), json.dumps(p.old_sources),
              json.dumps(p.new_sources)) for p in change.properties])
        return self.seq

    def add_release(self, release: ReleaseRecord, counts: dict[str, int]) -> None:
        self.conn.execute(
            "INSERT INTO releases (id, timestamp, previous, sources, added, removed, modified) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (release.id, release.timestamp.isoformat(), release.previous,
             json.dumps(release.sources), counts["added"], counts["removed"],
             counts["modified"]))
        if self.conn.execute("SELECT COUNT(*) FROM releases").fetchone()[0] == 1:
            self._set_meta({"stream_start": release.timestamp.isoformat()})

    def update_digests(self, removed: Iterable[str], changed: dict[str, int]) -> None:
        """The digests of this release's resources, what the next release compares with:
        the previous release's, less the resources gone, with the changed ones replaced.
        Always the same statements for the same change, in IRI order, so a full build and
        an incremental one (which knows only the resources that may have changed) write
        the same file."""
        self.conn.executemany("DELETE FROM digests WHERE resource = ?",
                              ((iri,) for iri in sorted(removed)))
        self.conn.executemany("INSERT OR REPLACE INTO digests VALUES (?, ?)",
                              ((iri, changed[iri].to_bytes(16, "big"))
                               for iri in sorted(changed)))

    def total_changes(self) -> int:
        return self.seq

    def close(self) -> None:
        self.conn.execute("COMMIT")
        self.conn.execute("VACUUM")
        self.conn.close()


def read_digests(path: Path, resources: Iterable[str] | None = None) -> dict[str, int]:
    """The digests of a release (of ``resources`` only, when given)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        if resources is None:
            rows = conn.execute("SELECT resource, digest FROM digests").fetchall()
        else:
            rows = [row for iri in sorted(set(resources)) for row in conn.execute(
                "SELECT resource, digest FROM digests WHERE resource = ?", (iri,))]
        return {iri: int.from_bytes(blob, "big") for iri, blob in rows}
    finally:
        conn.close()
