"""What a build keeps in its release's cache (``store.py`` says where and how)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ogpgraph.release.cache.store import CacheWriter, PreviousCache
from ogpgraph.release.precedence import Decision
from ogpgraph.validation.run import GraphResult

if TYPE_CHECKING:
    from ogpgraph.release.pipeline import Prepared


@dataclass
class Kept:
    """What the release's steps concluded, for the next build."""

    results: dict[str, list[GraphResult]]  # source graph -> its validation results
    decisions: list[Decision]
    part_keys: dict[str, str]  # chunk id of each part -> its key
    dumps: dict[str, dict]  # dump file -> {"bytes", "sha256", "chunks"}
    graph_triples: list[list[Any]]
    triples: int
    listing: Any  # the listing index's state
    notes: list[str] = field(default_factory=list)


def write_cache(release: Path, base: str, prepared: Prepared, previous: PreviousCache | None,
                kept: Kept) -> None:
    """The cache of ``release``; a failure to write it costs the next build its reuse, not
    this build its release (noted in ``kept.notes``)."""
    writer = CacheWriter(release, base)
    try:
        _write(writer, prepared, previous, kept)
        writer.close()
    except OSError as error:
        shutil.rmtree(writer.folder, ignore_errors=True)
        kept.notes.append(f"{writer.folder}: the build cache could not be written ({error}); "
                          "the next build will be a full one")


def _write(writer: CacheWriter, prepared: Prepared, previous: PreviousCache | None,
           kept: Kept) -> None:
    reading = prepared.reading
    for key, reused in zip(reading.keys, reading.reused, strict=True):
        if key in prepared.pickled:
            writer.put_bytes("records", key, prepared.pickled[key])
        elif reused and previous is not None:
            writer.keep("records", key, previous)  # if that fails, the next build reads it
    institutions = prepared.institutions
    for book in institutions.books:
        digest = institutions.digests[book.member]
        if not (book.member in institutions.reused and previous is not None
                and writer.keep("books", digest, previous)):
            writer.put("books", digest, book)
    writer.put("validation", "all", kept.results)
    writer.put("resolution", "all", kept.decisions)
    writer.put("listing", "all", kept.listing)
    writer.set("parts", kept.part_keys)
    writer.set("dumps", {name: entry["chunks"] for name, entry in kept.dumps.items()})
    writer.set("graph_triples", kept.graph_triples)
    writer.set("triples", kept.triples)
