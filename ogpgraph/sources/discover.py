"""Finding the source files of a build: files as given, folders scanned recursively."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ogpgraph.sources.errors import SourceError
from ogpgraph.sources.files import sha256_of
from ogpgraph.sources.registry import SourceFile, reader_for


@dataclass
class Discovery:
    files: list[SourceFile] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, why)
    errors: list[SourceError] = field(default_factory=list)


def _walk(folder: Path) -> list[Path]:
    found = []
    for path in sorted(folder.rglob("*")):
        parts = path.relative_to(folder).parts
        if path.is_file() and not any(part.startswith(".") for part in parts):
            found.append(path)
    return found


def discover_sources(paths: list[Path]) -> Discovery:
    """Every source file under ``paths``; the same content reached twice is one source.

    A file named explicitly that no reader claims is an error; inside a folder it is
    listed as skipped (a README, a licence, …).
    """
    discovery = Discovery()
    seen: dict[str, Path] = {}
    for given in paths:
        if not given.exists():
            discovery.errors.append(SourceError(str(given), "no such file or folder"))
            continue
        explicit = given.is_file()
        for path in [given] if explicit else _walk(given):
            reader = reader_for(path)
            if reader is None:
                reason = "not a source format ogpgraph knows (OGP page text/HTML, OGP CSV export)"
                if explicit:
                    discovery.errors.append(SourceError(str(path), reason))
                else:
                    discovery.skipped.append((str(path), reason))
                continue
            digest = sha256_of(path)
            if digest in seen:
                discovery.skipped.append((str(path), f"same content as {seen[digest]}"))
                continue
            seen[digest] = path
            discovery.files.append(SourceFile(path=path, sha256=digest, reader=reader))
    return discovery
