"""Reading a source file: as UTF-8 text with errors that name the file, and its checksum."""

from __future__ import annotations

import hashlib
from pathlib import Path

from ogpgraph.sources.errors import SourceError


def read_utf8(path: Path) -> tuple[bytes, str]:
    """The file's bytes (for its checksum) and its text (a BOM dropped)."""
    try:
        raw = Path(path).read_bytes()
        return raw, raw.decode("utf-8-sig")
    except OSError as error:
        raise SourceError(str(path), f"cannot read the file: {error.strerror}") from error
    except UnicodeDecodeError as error:
        raise SourceError(str(path), f"not UTF-8 text (byte {error.start})") from error


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file's bytes, read in blocks (the one checksum of sources and dumps)."""
    with Path(path).open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()
