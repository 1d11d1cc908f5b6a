"""What a full build keeps on disk rather than in memory while it runs: the source graphs'
store (RocksDB: a bounded cache resident, not the whole graph: ~1.6 GB at 100,000
commitments in memory) and the records pickled for the build cache (~340 MB at 100,000).
Both go when the build ends, whatever happens; a killed build's folder is removed by the
next build (as its staging folder is)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

SCRATCH_PREFIX = ".scratch-"


@contextmanager
def build_scratch(out_dir: Path) -> Iterator[Path]:
    """A new scratch folder in ``out_dir/releases`` (the same file system as the release),
    after removing those killed builds left there."""
    releases = out_dir / "releases"
    releases.mkdir(parents=True, exist_ok=True)
    for stale in releases.glob(f"{SCRATCH_PREFIX}*"):
        shutil.rmtree(stale, ignore_errors=True)
    folder = Path(tempfile.mkdtemp(prefix=SCRATCH_PREFIX, dir=releases))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


class SpilledBytes:
    """Byte strings by key, kept in one anonymous temporary file (gone with the process)
    rather than in memory."""

    def __init__(self, directory: Path | None = None) -> None:
        self._file: IO[bytes] = tempfile.TemporaryFile(dir=directory)
        self._where: dict[str, tuple[int, int]] = {}

    def __setitem__(self, key: str, data: bytes) -> None:
        offset = self._file.seek(0, 2)
        self._file.write(data)
        self._where[key] = (offset, len(data))

    def __contains__(self, key: object) -> bool:
        return key in self._where

    def __getitem__(self, key: str) -> bytes:
        offset, size = self._where[key]
        self._file.seek(offset)
        return self._file.read(size)

    def __len__(self) -> int:
        return len(self._where)
