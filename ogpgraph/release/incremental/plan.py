"""Which parts of which source graphs an incremental build maps again, and what they were.

A part whose key (``release/parts.py``) is the one the previous release recorded is reused
as it is: its chunk of the quads dumps is copied and the store keeps its statements. Every
other part is mapped, and compared with what the previous release had under the same name
(nothing, for a new one): the difference is what the store must lose and gain. Sources
gone since the previous release lose all their parts. Descriptions (the build time) are
always mapped again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from ogpgraph.release.chunks import gunzip_member, gzip_member, read_chunk
from ogpgraph.release.parts import DESCRIPTION, SourceParts
from ogpgraph.release.quads import PartChunk, PreviousDumps, part_chunk_id


@dataclass
class PartChange:
    """A part mapped anew (or gone): its statements before and now, as N-Quads lines."""

    graph: str
    part: str
    old: bytes
    new: bytes


@dataclass
class PartPlan:
    chunks: list[PartChunk] = field(default_factory=list)  # the new release's, in order
    changes: list[PartChange] = field(default_factory=list)
    keys: dict[str, str] = field(default_factory=dict)  # chunk id -> part key ("" : none)
    reused: int = 0  # parts reused (descriptions aside)
    mapped: int = 0  # parts mapped anew


def old_lines(previous: PreviousDumps, chunk_id: str) -> bytes:
    entry = previous.index.get("ogpgraph.nq.gz", {}).get(chunk_id)
    if entry is None:
        return b""
    return gunzip_member(read_chunk(previous.folder / "ogpgraph.nq.gz", entry))


def plan_parts(all_parts: list[SourceParts], previous_keys: dict[str, str],
               previous: PreviousDumps, built_at: datetime) -> PartPlan:
    """Map what changed; raises ``DamagedChunk`` if a chunk to compare with is damaged."""
    plan = PartPlan()
    for parts in all_parts:
        for part in (DESCRIPTION, *parts.keys):
            chunk_id = part_chunk_id(parts.graph, part)
            key = parts.keys.get(part, "")
            plan.keys[chunk_id] = key
            if part != DESCRIPTION and previous_keys.get(chunk_id) == key:
                plan.chunks.append(PartChunk(parts.graph, part, None))
                plan.reused += 1
                continue
            new = parts.map_part(part, built_at)
            plan.changes.append(PartChange(parts.graph, part, old_lines(previous, chunk_id),
                                           new))
            plan.chunks.append(PartChunk(parts.graph, part, gzip_member(new) if new else b""))
            plan.mapped += part != DESCRIPTION
    for chunk_id in sorted(set(previous_keys) - set(plan.keys)):
        graph, _, part = chunk_id.partition(" ")
        plan.changes.append(PartChange(graph, part, old_lines(previous, chunk_id), b""))
    return plan
