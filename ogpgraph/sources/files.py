"""Reading a source file: as UTF-8 text with errors that name the file, and its checksum."""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from ogpgraph.sources.errors import SourceError

# a bare CR ends a line too (csv and universal newlines count it), CRLF is one break
_AFTER_BARE_CR = re.compile(rb"(?<=\r)(?!\n)")
LISTED_LINES = 10  # further lines with bad bytes named in the error (the rest are counted)


def read_utf8(path: Path) -> tuple[bytes, str]:
    """The file's bytes (for its checksum) and its text (a BOM dropped)."""
    try:
        raw = Path(path).read_bytes()
        return raw, raw.decode("utf-8-sig")
    except OSError as error:
        raise SourceError(str(path), f"cannot read the file: {error.strerror}") from error
    except UnicodeDecodeError as error:
        raise not_utf8_error(str(path), io.BytesIO(raw)) from error


def not_utf8_error(where: str, stream: BinaryIO) -> SourceError:
    """Where a file that failed to decode stops being UTF-8: the physical line (1-based,
    counted as ``csv`` and text mode count them), the offset of the first bad byte from the
    start of the file (0-based, as ``xxd`` shows it), the bytes, and how many more lines
    are not UTF-8 either. Only called once decoding failed, so it may read the file again."""
    first: tuple[int, int, bytes] | None = None
    others: list[int] = []
    for number, offset, line in _physical_lines(stream):
        try:
            line.decode("utf-8")  # a multi-byte sequence never spans a line break
        except UnicodeDecodeError as error:
            if first is None:
                first = (number, offset + error.start, _offending(error))
            else:
                others.append(number)
    if first is None:  # cannot happen for a file that failed to decode; say so plainly
        return SourceError(where, "not UTF-8 text; save the file as UTF-8")
    number, offset, bad = first
    shown = " ".join(f"0x{byte:02x}" for byte in bad)
    more = ""
    if others:
        listed = ", ".join(map(str, others[:LISTED_LINES]))
        lines = "1 more line is" if len(others) == 1 else f"{len(others):,} more lines are"
        more = (f"; {lines} not UTF-8 either ({listed}"
                f"{', …' if len(others) > LISTED_LINES else ''})")
    return SourceError(where, f"not UTF-8 at byte {offset:,} (bytes {shown}){more}; "
                       "save the file as UTF-8", line=number)


def _offending(error: UnicodeDecodeError) -> bytes:
    """The bytes that show the problem: the bad sequence, and the byte that broke it off
    when a continuation byte was missing (``0xe9 0x20``: Latin-1 é, then a space)."""
    end = error.end + 1 if error.reason == "invalid continuation byte" else error.end
    return error.object[error.start:end]


def _physical_lines(stream: BinaryIO) -> Iterator[tuple[int, int, bytes]]:
    """(1-based line number, byte offset of its start, its bytes) for every line."""
    number, offset = 0, 0
    for chunk in stream:  # split at LF; a bare CR inside a chunk ends a line as well
        for line in _AFTER_BARE_CR.split(chunk):
            if line:
                number += 1
                yield number, offset, line
                offset += len(line)


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file's bytes, read in blocks (the one checksum of sources and dumps)."""
    with Path(path).open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()
