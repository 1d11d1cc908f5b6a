"""The build cache a release keeps (``{release}/cache/``) for the next build to reuse.

    cache/index.json          what is kept, each file with its sha256 (written last)
    cache/records/{key}.pickle    a source's records as its reader made them
    cache/books/{digest}.pickle   a member's reconciled institutions
    cache/validation.pickle       each source graph's validation results, with its key
    cache/resolution.pickle       the precedence of sources' decisions

The mapped parts of each source graph are not copied here: they are chunks of the release's
N-Quads dump, which ``index.json`` indexes (each chunk with its part's key and sha256).

Everything is checked before use: a cache of another code version (``version.py``), base
URI or schema is not used at all; a file whose sha256 differs from the index, or that does
not unpickle, is left out with a note, and what it held is computed anew. The pickles are
this program's own files inside the release folder, never input from elsewhere.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ogpgraph.records.institutions import MemberInstitutions
from ogpgraph.release.cache.version import CACHE_SCHEMA, code_version

CACHE_DIR = "cache"
INDEX = "index.json"


class CacheUnusable(Exception):
    """The previous release's cache cannot serve this build (the message says why)."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass
class PreviousCache:
    """The cache of the release ``current`` points at, checked as a whole on opening and
    file by file on reading; ``notes`` say what could not be used and why."""

    root: Path  # the release folder
    index: dict[str, Any]
    notes: list[str] = field(default_factory=list)

    @classmethod
    def open(cls, release: Path | None, base: str) -> PreviousCache:
        """Raises :class:`CacheUnusable` when there is nothing usable."""
        if release is None:
            raise CacheUnusable("no previous release")
        path = release / CACHE_DIR / INDEX
        try:
            index = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise CacheUnusable(f"{release.name} has no build cache") from None
        except (OSError, ValueError) as error:
            raise CacheUnusable(f"{path}: unreadable ({error})") from error
        if not isinstance(index, dict) or index.get("schema") != CACHE_SCHEMA:
            raise CacheUnusable(f"{path}: another cache schema")
        if index.get("code_version") != code_version():
            raise CacheUnusable(f"{release.name} was built by another version of the code")
        if index.get("base") != base:
            raise CacheUnusable(f"{release.name} was built with base {index.get('base')}")
        return cls(release, index)

    @property
    def folder(self) -> Path:
        return self.root / CACHE_DIR

    def entry(self, kind: str, key: str) -> dict[str, str] | None:
        found = self.index.get(kind, {}).get(key)
        return found if isinstance(found, dict) else None

    def records(self, key: str) -> Any | None:
        return self.load("records", key)

    def book(self, member: str, digest: str) -> MemberInstitutions | None:
        found = self.load("books", digest)
        return found if isinstance(found, MemberInstitutions) and found.member == member \
            else None

    def load(self, kind: str, key: str) -> Any | None:
        """The object kept under ``kind``/``key``, or None (with a note if it was kept but
        cannot be used)."""
        entry = self.entry(kind, key)
        if entry is None:
            return None
        path = self.folder / entry["file"]
        try:
            if _sha256(path) != entry["sha256"]:
                self.notes.append(f"{path}: not the file the cache index describes; "
                                  "computed anew")
                return None
            with path.open("rb") as stream:
                return pickle.load(stream)  # noqa: S301 (our own file, checked above)
        except Exception as error:  # noqa: BLE001 (any unpickling failure means: recompute)
            self.notes.append(f"{path}: unusable ({type(error).__name__}: {error}); "
                              "computed anew")
            return None


class CacheWriter:
    """Writes a release's cache: files first, the index last (no index, no cache)."""

    def __init__(self, release: Path, base: str) -> None:
        self.folder = release / CACHE_DIR
        self.index: dict[str, Any] = {"schema": CACHE_SCHEMA, "code_version": code_version(),
                                      "base": base}

    def _record(self, kind: str, key: str, name: str, digest: str) -> None:
        self.index.setdefault(kind, {})[key] = {"file": name, "sha256": digest}

    def put(self, kind: str, key: str, value: Any) -> None:
        """``value`` pickled under ``kind``/``key``."""
        self.put_bytes(kind, key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))

    def put_bytes(self, kind: str, key: str, data: bytes) -> None:
        name = f"{kind}/{key}.pickle"
        path = self.folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self._record(kind, key, name, hashlib.sha256(data).hexdigest())

    def keep(self, kind: str, key: str, previous: PreviousCache) -> bool:
        """The previous release's file for ``kind``/``key``, linked (or copied) unchanged."""
        entry = previous.entry(kind, key)
        if entry is None:
            return False
        source, target = previous.folder / entry["file"], self.folder / entry["file"]
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, target)
        except OSError:
            try:
                shutil.copyfile(source, target)
            except OSError:
                return False
        self._record(kind, key, entry["file"], entry["sha256"])
        return True

    def set(self, name: str, value: Any) -> None:
        """A plain JSON entry of the index (the dumps' chunk index, part keys, counts)."""
        self.index[name] = value

    def close(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        temporary = self.folder / f".{INDEX}.tmp"
        temporary.write_text(json.dumps(self.index, sort_keys=True), encoding="utf-8")
        temporary.rename(self.folder / INDEX)
