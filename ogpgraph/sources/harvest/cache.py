"""What the harvester knows between runs, in ``DIR/.harvest-cache.sqlite``: for each URL the
file it was saved to, its validators (ETag, Last-Modified) and sha256, and the run that last
checked it. SQLite commits each entry on its own, so the cache survives a kill at any point
(a JSON file would have to be rewritten whole after every page)."""

from __future__ import annotations

import sqlite3
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

CACHE_FILE = ".harvest-cache.sqlite"
SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    url TEXT PRIMARY KEY, path TEXT NOT NULL, etag TEXT, last_modified TEXT,
    sha256 TEXT NOT NULL, run TEXT NOT NULL, checked_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    id TEXT PRIMARY KEY, started_at REAL NOT NULL, finished_at REAL);
"""


@dataclass(frozen=True)
class Entry:
    url: str
    path: str  # relative to the harvest folder
    etag: str | None
    last_modified: str | None
    sha256: str
    run: str = ""


class HarvestCache:
    """The cache of one harvest folder, and the run it is part of.

    A run that was interrupted (never finished) less than ``resume_hours`` ago is resumed:
    what it already checked counts as done. Otherwise a new run starts and every URL is
    checked again, with a conditional request."""

    def __init__(self, folder: Path, resume_hours: float, fresh: bool = False,
                 clock: Callable[[], float] = time.time) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / CACHE_FILE
        self._clock = clock
        self._db = sqlite3.connect(self.path)
        self._db.executescript(SCHEMA)
        self.run_id, self.resumed = self._start_run(resume_hours, fresh)

    def _start_run(self, resume_hours: float, fresh: bool) -> tuple[str, bool]:
        now = self._clock()
        row = self._db.execute("SELECT id, started_at FROM runs WHERE finished_at IS NULL "
                               "ORDER BY started_at DESC LIMIT 1").fetchone()
        if row and not fresh and now - row[1] < resume_hours * 3600:
            return row[0], True
        run_id = uuid.uuid4().hex
        with self._db:
            self._db.execute("INSERT INTO runs (id, started_at) VALUES (?, ?)", (run_id, now))
        return run_id, False

    def get(self, url: str) -> Entry | None:
        row = self._db.execute("SELECT url, path, etag, last_modified, sha256, run "
                               "FROM entries WHERE url = ?", (url,)).fetchone()
        return Entry(*row) if row else None

    def checked_in_this_run(self, url: str) -> Entry | None:
        entry = self.get(url)
        return entry if entry and entry.run == self.run_id else None

    def record(self, entry: Entry) -> None:
        """Store ``entry`` as checked by this run; committed (and synced) at once."""
        with self._db:
            self._db.execute(
                "INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?, ?, ?, ?)",
                (entry.url, entry.path, entry.etag, entry.last_modified, entry.sha256,
                 self.run_id, self._clock()))

    def finish(self) -> None:
        with self._db:
            self._db.execute("UPDATE runs SET finished_at = ? WHERE id = ?",
                             (self._clock(), self.run_id))

    def close(self) -> None:
        self._db.close()
