"""The source formats the build knows: each reader declares how to recognise its files.

Readers are tried in order on a file's name and first bytes; the first that claims a
file reads it. Adding a source format means adding one module and one entry here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ogpgraph.records.model import Source, SourceRecords

HEAD_BYTES = 65_536


@dataclass(frozen=True)
class Reader:
    kind: str
    description: str
    claims: Callable[[Path, str], bool]  # (path, decoded head of the file)
    read: Callable[[Path, Source], SourceRecords]


def _csv_claims(path: Path, head: str) -> bool:
    from ogpgraph.sources.csv_export import is_csv_export

    return path.suffix.lower() == ".csv" and is_csv_export(path, head)


def _csv_read(path: Path, source: Source) -> SourceRecords:
    from ogpgraph.sources.csv_export import read_csv_export

    return read_csv_export(path, source=source)


def _html_claims(path: Path, head: str) -> bool:
    from ogpgraph.sources.page_html import is_page_html

    return path.suffix.lower() in {".html", ".htm"} and is_page_html(head)


def _html_read(path: Path, source: Source) -> SourceRecords:
    from ogpgraph.sources.page_html import read_page_html

    records = read_page_html(path)
    records.source.sha256, records.source.path = source.sha256, source.path
    return records


def _text_claims(path: Path, head: str) -> bool:
    from ogpgraph.sources.page_text import is_page_text

    return path.suffix.lower() in {".txt", ""} and is_page_text(head)


def _text_read(path: Path, source: Source) -> SourceRecords:
    from ogpgraph.sources.page_text import read_page_text

    return read_page_text(path, source=source)


READERS: tuple[Reader, ...] = (
    Reader("csv", "OGP commitments data export (CSV)", _csv_claims, _csv_read),
    Reader("page", "OGP commitment page, saved HTML", _html_claims, _html_read),
    Reader("page", "OGP commitment page, flattened text", _text_claims, _text_read),
)


@dataclass(frozen=True)
class SourceFile:
    path: Path
    sha256: str
    reader: Reader

    def source(self) -> Source:
        return Source(kind=self.reader.kind, path=str(self.path), sha256=self.sha256,
                      label=self.path.name)


def reader_for(path: Path) -> Reader | None:
    with path.open("rb") as stream:
        raw = stream.read(HEAD_BYTES)
    if b"\x00" in raw:
        return None
    head = raw.decode("utf-8", errors="replace")
    return next((r for r in READERS if r.claims(path, head)), None)
