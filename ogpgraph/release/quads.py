"""The quads dumps (N-Quads, TriG), chunk by chunk: every named graph in IRI order.

    {base}graph/disagreements       one chunk (written anew by every build)
    {base}graph/history             a chunk per release (the history's own gzip members)
    {base}graph/ontology, …         one chunk each
    {base}id/source/{kind}-{hash}   the source's parts (``release/parts.py``): its
                                    description, its concepts, then its members in order

A mapped part arrives as a gzip member of its sorted N-Quads (``PartChunk.member``), or is
copied from the previous release (``member`` None: an incremental build that found the
part's key unchanged).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ogpgraph.release.chunks import ChunkEntry, gzip_members
from ogpgraph.release.dumps import DumpWriter, Formats
from ogpgraph.release.layout import BuildLayout


@dataclass(frozen=True)
class PartChunk:
    graph: str
    part: str
    member: bytes | None  # None: the previous release's chunk, copied

    @property
    def id(self) -> str:
        return part_chunk_id(self.graph, self.part)


def part_chunk_id(graph: str, part: str) -> str:
    return f"{graph} {part}"


def graph_lines(store: ox.Store, graph: str) -> bytes:
    """A graph of ``store`` as sorted N-Quads lines."""
    quads = store.quads_for_pattern(None, None, None, ox.NamedNode(graph))
    text = ox.serialize(quads, format=ox.RdfFormat.N_QUADS)
    return b"".join(sorted(set(text.splitlines(keepends=True))))


@dataclass
class PreviousDumps:
    """The previous release's dumps and their chunk index, for copying chunks."""

    folder: Path
    index: dict[str, dict[str, ChunkEntry]]  # file -> chunk id -> entry


def write_quad_dumps(layout: BuildLayout, base: str, store: ox.Store, parts: Iterable[PartChunk],
                     derived: list[str], history: Path | None,
                     previous: PreviousDumps | None = None) -> dict[str, dict]:
    """The quads dumps: ``derived`` graphs read from ``store`` (the history's from its own
    gzip file ``history``, release by release), the source graphs from ``parts``."""
    writer = DumpWriter(layout, "quads", Formats(base))
    history_graph = f"{base}graph/history"
    try:
        by_graph: dict[str, list[PartChunk]] = {}
        for chunk in parts:
            by_graph.setdefault(chunk.graph, []).append(chunk)
        for graph in sorted({*derived, *by_graph}):
            if graph == history_graph and history is not None:
                _add_history(writer, graph, history)
            elif graph in by_graph:
                for chunk in by_graph[graph]:
                    _add_part(writer, chunk, previous)
            else:
                writer.add(graph, graph_lines(store, graph))
    except BaseException:
        writer.abort()
        raise
    return writer.close()


def _add_history(writer: DumpWriter, graph: str, history: Path) -> None:
    data = history.read_bytes()
    for n, (offset, length, _) in enumerate(gzip_members(data)):
        writer.add_member(f"{graph} {n}", data[offset:offset + length])


def _add_part(writer: DumpWriter, chunk: PartChunk, previous: PreviousDumps | None) -> None:
    if chunk.member is not None:
        if chunk.member:  # an empty part (a source naming no new concept) has no chunk
            writer.add_member(chunk.id, chunk.member)
        return
    if previous is None:
        raise ValueError(f"{chunk.id}: no previous release to copy this part from")
    writer.copy(chunk.id, previous.index, previous.folder)
