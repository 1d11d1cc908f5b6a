"""A dump file as a sequence of chunks, so the next build can copy the unchanged ones.

Each whole-dataset dump is written chunk by chunk (a named graph, or a bucket of subjects
of the default graph: ``release/dumps.py``), each chunk a whole number of statements: a
gzip member in the gzipped dumps (gzip readers read members one after the other), a run
of statements in the text ones. The file records where each chunk lies and its sha256, so
an incremental build copies a chunk it knows to be unchanged byte for byte, after checking
those bytes against the sha256 (a mismatch means a damaged release: the build then writes
everything anew). Full and incremental builds write the same chunks in the same order,
so they write the same bytes.
"""

from __future__ import annotations

import hashlib
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

GZIP_LEVEL = 1  # a third faster than level 4, a few percent larger (bench/results/incremental.md)


class PreviousUnusable(Exception):
    """Something of the previous release that an incremental build reuses is missing or
    damaged: the build is then a full one."""


class DamagedChunk(PreviousUnusable):
    """A chunk of the previous release does not have the bytes its index says."""


@dataclass(frozen=True)
class ChunkEntry:
    id: str
    offset: int
    length: int
    sha256: str

    def as_list(self) -> list[object]:
        return [self.id, self.offset, self.length, self.sha256]

    @classmethod
    def from_list(cls, row: list[object]) -> ChunkEntry:
        chunk_id, offset, length, digest = row
        return cls(str(chunk_id), int(offset), int(length), str(digest))  # type: ignore[call-overload]


def gzip_member(data: bytes, level: int = GZIP_LEVEL) -> bytes:
    """``data`` as one gzip member with no name and no time (mtime 0): the same bytes
    whenever and wherever they are written."""
    packer = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS)
    body = packer.compress(data) + packer.flush()
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00" + (b"\x04" if level == 1 else b"\x00") + b"\xff"
    trailer = (zlib.crc32(data) & 0xFFFFFFFF).to_bytes(4, "little") + \
        (len(data) & 0xFFFFFFFF).to_bytes(4, "little")
    return header + body + trailer


@dataclass
class ChunkedFile:
    """Writing one dump: ``header``, the chunks joined by ``separator``, ``footer``."""

    path: Path
    header: bytes = b""
    footer: bytes = b""
    separator: bytes = b""
    entries: list[ChunkEntry] = field(default_factory=list)
    _digest: hashlib._Hash = field(default_factory=hashlib.sha256)
    _stream: BinaryIO | None = None
    _size: int = 0

    def __post_init__(self) -> None:
        self._stream = self.path.open("wb")
        self._write(self.header)

    def _write(self, data: bytes) -> None:
        assert self._stream is not None
        self._stream.write(data)
        self._digest.update(data)
        self._size += len(data)

    def add(self, chunk_id: str, data: bytes) -> None:
        """A chunk's bytes, already in the file's format; an empty chunk is left out."""
        if not data:
            return
        if self.entries and self.separator:
            self._write(self.separator)
        self.entries.append(ChunkEntry(chunk_id, self._size, len(data),
                                       hashlib.sha256(data).hexdigest()))
        self._write(data)

    def copy(self, entry: ChunkEntry, previous: Path) -> None:
        """The chunk ``entry`` of the previous release's ``previous`` file, checked."""
        self.add(entry.id, read_chunk(previous, entry))

    def close(self) -> tuple[int, str]:
        """Finish the file; returns its size and sha256."""
        self._write(self.footer)
        assert self._stream is not None
        self._stream.close()
        self._stream = None
        return self._size, self._digest.hexdigest()

    def abort(self) -> None:
        if self._stream is not None:
            self._stream.close()
            self._stream = None


def read_chunk(path: Path, entry: ChunkEntry) -> bytes:
    """The bytes of ``entry`` in ``path``, raising :class:`DamagedChunk` unless they are
    exactly the ones recorded."""
    try:
        with path.open("rb") as stream:
            stream.seek(entry.offset)
            data = stream.read(entry.length)
    except OSError as error:
        raise DamagedChunk(f"{path}: {error}") from error
    if len(data) != entry.length or hashlib.sha256(data).hexdigest() != entry.sha256:
        raise DamagedChunk(f"{path}: chunk {entry.id} at {entry.offset} is not what this "
                           "release's index says")
    return data


def gunzip_member(data: bytes) -> bytes:
    """The content of one gzip member (a chunk of a gzipped dump)."""
    unpacker = zlib.decompressobj(16 + zlib.MAX_WBITS)
    content = unpacker.decompress(data) + unpacker.flush()
    if unpacker.unused_data or not unpacker.eof:
        raise DamagedChunk("a chunk is not one whole gzip member")
    return content


def gzip_members(data: bytes) -> list[tuple[int, int, bytes]]:
    """(offset, length, content) of each member of a multi-member gzip file's bytes."""
    members, offset, view = [], 0, memoryview(data)
    while offset < len(data):
        unpacker = zlib.decompressobj(16 + zlib.MAX_WBITS)
        content = unpacker.decompress(view[offset:]) + unpacker.flush()
        if not unpacker.eof:
            raise DamagedChunk("a gzip member is cut short")
        length = len(data) - offset - len(unpacker.unused_data)
        members.append((offset, length, content))
        offset += length
    return members
