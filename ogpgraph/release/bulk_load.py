"""Bulk loads into an Oxigraph store a slice at a time.

Oxigraph's bulk loader buffers whatever it is given whole (all 5 M quads of 100,000
commitments at once cost +1.4 GB; a whole dump into the on-disk store +1.8 GB), so large
loads are given to it :data:`LOAD_SLICE` statements at a time (at 10,000 commitments slices
of 200,000 peaked at +306 MiB, of 50,000 at +124 MiB, for the same CPU). One load per small
part would instead be one transaction per part on disk.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import islice
from typing import IO

import pyoxigraph as ox

LOAD_SLICE = 50_000  # statements per bulk load
_READ_HINT = 1 << 22  # bytes of whole lines read from a dump at a time


class SlicedLoad:
    """N-Triples or N-Quads text (whole lines, a statement each) gathered and bulk-loaded
    once about :data:`LOAD_SLICE` statements are waiting; ``flush`` loads the rest."""

    def __init__(self, store: ox.Store, rdf_format: ox.RdfFormat) -> None:
        self.store, self.rdf_format = store, rdf_format
        self.blocks: list[bytes] = []
        self.count = 0

    def add(self, lines: bytes) -> None:
        if lines:
            self.blocks.append(lines)
            self.count += lines.count(b"\n")
        if self.count >= LOAD_SLICE:
            self.flush()

    def flush(self) -> None:
        if self.blocks:
            self.store.bulk_load(b"".join(self.blocks), self.rdf_format)
        self.blocks, self.count = [], 0


def load_dump(store: ox.Store, lines: IO[bytes], rdf_format: ox.RdfFormat) -> None:
    """A whole N-Triples or N-Quads dump, read as text, loaded a slice at a time."""
    load = SlicedLoad(store, rdf_format)
    while block := lines.readlines(_READ_HINT):
        load.add(b"".join(block))
    load.flush()


def load_quads(store: ox.Store, quads: Iterator[ox.Quad]) -> None:
    """``quads`` (as terms: rewritten on the way) loaded :data:`LOAD_SLICE` at a time."""
    while batch := list(islice(quads, LOAD_SLICE)):
        store.bulk_extend(batch)
