"""An incremental build: the previous release, with what changed since applied to it.

It starts where a full build does (every source read, or its records taken from the cache;
the institutions reconciled, each member's book taken from the cache when its fields are
the same), then maps only the parts whose keys changed (``plan.py``), and writes the new
release from the previous one: its store copied and patched (``staging.py``), the graphs
and the default graph validated where a change can have reached (``revalidate.py``), the
disagreements decided again for the resources whose statements changed, the history
compared on those resources only, the dumps' unchanged chunks copied. What it writes is
byte for byte what a full build of the same sources on the same previous release writes
(``tests/release/test_incremental.py``).

Anything it cannot reuse safely (a damaged chunk, a missing cache file it needs) stops it
with :class:`FallBack`, before anything is published: the build is then a full one.
"""

from __future__ import annotations

from pathlib import Path

from ogpgraph.release.cache.store import PreviousCache
from ogpgraph.release.chunks import ChunkEntry, PreviousUnusable
from ogpgraph.release.history.layout import HistoryLayout
from ogpgraph.release.incremental.plan import plan_parts
from ogpgraph.release.incremental.steps import IncrementalWrite
from ogpgraph.release.listings.state import ListingState
from ogpgraph.release.pipeline import NullProgress, Outcome, Prepared
from ogpgraph.release.quads import PreviousDumps


class FallBack(Exception):
    """The previous release cannot serve an incremental build (the message says why)."""


def previous_dumps(cache: PreviousCache) -> PreviousDumps:
    index = cache.index.get("dumps")
    if not isinstance(index, dict):
        raise FallBack("the cache has no index of the dumps' chunks")
    try:
        return PreviousDumps(cache.root / "dumps", {
            name: {entry.id: entry for entry in map(ChunkEntry.from_list, rows)}
            for name, rows in index.items()})
    except (TypeError, ValueError) as error:
        raise FallBack(f"the dumps' chunk index is damaged ({error})") from error


def build_incremental(prepared: Prepared, cache: PreviousCache, out_dir: Path, base: str,
                      progress: NullProgress) -> Outcome:
    """Raises :class:`FallBack` when the cache cannot serve (nothing is then published)."""
    if not HistoryLayout(cache.root).exists():
        raise FallBack(f"{cache.root.name} has no change history to continue")
    dumps = previous_dumps(cache)
    results = cache.load("validation", "all")
    decisions = cache.load("resolution", "all")
    listing = cache.load("listing", "all")
    if not (isinstance(results, dict) and isinstance(decisions, list)
            and isinstance(listing, ListingState)):
        raise FallBack("the cache lacks the previous validation results, decisions or "
                       "listing state")
    progress.step("Mapping what changed", 1)
    try:
        plan = plan_parts(prepared.all_parts, cache.index.get("parts", {}), dumps,
                          prepared.built_at)
    except PreviousUnusable as error:
        raise FallBack(str(error)) from error
    progress.advance()
    for parts in prepared.all_parts:  # mapped: the records are not needed any more
        parts.by_part = {}
        parts.records.commitments = []
    step = IncrementalWrite(prepared, cache, dumps, plan, (results, decisions, listing), base,
                            progress)
    try:
        release, manifest = step.publish(out_dir)
    except PreviousUnusable as error:
        raise FallBack(str(error)) from error
    reading = prepared.reading
    return Outcome(release, manifest, step.warnings, {
        "sources": len(reading.records), "sources_reused": sum(reading.reused),
        "parts_mapped": plan.mapped, "parts_reused": plan.reused})
