"""Files written whole or not at all: a temporary file in the same folder, fsynced, then
renamed over the target. The temporary name starts with a dot, which ``build`` skips, and
ends in ``.part``, which the next harvest sweeps away if a kill left one behind."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

PART_SUFFIX = ".part"


class HashingWriter:
    """Writes to a file while counting and hashing what it writes."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.size = 0
        self._digest = hashlib.sha256()

    def write(self, block: bytes) -> None:
        self.stream.write(block)
        self.size += len(block)
        self._digest.update(block)

    @property
    def sha256(self) -> str:
        return self._digest.hexdigest()


@contextmanager
def atomic_writer(target: Path) -> Iterator[HashingWriter]:
    """Yield a writer; on a clean exit its bytes replace ``target`` in one rename, on an
    exception (a retry, a Ctrl-C) the temporary file is removed and ``target`` untouched."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.",
                                    suffix=PART_SUFFIX)
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream:
            writer = HashingWriter(stream)
            yield writer
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _fsync_folder(target.parent)  # the rename itself must survive a crash


def write_bytes_atomically(target: Path, data: bytes) -> str:
    with atomic_writer(target) as writer:
        writer.write(data)
    return writer.sha256


def sweep_partials(folder: Path) -> list[Path]:
    """Remove temporary files that a killed harvest left under ``folder``."""
    removed = []
    for leftover in folder.rglob(f".*{PART_SUFFIX}"):
        if leftover.is_file():
            leftover.unlink(missing_ok=True)
            removed.append(leftover)
    return removed


def sha256_of(path: Path) -> str | None:
    """The file's sha256, or None when it is missing."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                digest.update(block)
    except FileNotFoundError:
        return None
    return digest.hexdigest()


def _fsync_folder(folder: Path) -> None:
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory handles
        return
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
