"""Writing one release folder from a loaded, validated store, step by step (a full build).

The steps hand memory over to each other: the quad store is released once its dumps are
written; the default graph (the union of the graphs, resolved by the precedence of sources,
checked against the shapes, then used for the counts, the listing index and the union dumps)
is read back from the N-Quads dump into a scratch on-disk store (RocksDB: a bounded cache
resident, not the whole graph), and the release's on-disk store from the dumps, one at a
time, so no two large structures sit in memory together."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox

from ogpgraph.release.default_graph import UNION_GRAPH, check_default_graph, default_graph_of
from ogpgraph.release.dumps import write_schema_dumps
from ogpgraph.release.history.step import record_history
from ogpgraph.release.layout import DUMPS, BuildLayout
from ogpgraph.release.listings.writer import write_listing
from ogpgraph.release.manifest import (
    ReleaseFacts,
    build_manifest,
    dump_entry,
    history_entry,
    write_manifest,
)
from ogpgraph.release.memory import return_free_memory
from ogpgraph.release.precedence import Triple
from ogpgraph.release.publication import previous_release
from ogpgraph.release.quads import PartChunk, write_quad_dumps
from ogpgraph.release.report import report_ntriples
from ogpgraph.release.union import entity_counts, write_disk_store, write_union_dumps
from ogpgraph.store.base import GRAPH_SIZES_QUERY
from ogpgraph.validation.outcome import ValidationResult

# the default graph's scratch folder (its on-disk store, the union dumps' lines), inside the
# staging folder so that a failed build's removal of the folder takes it too; removed before
# the release is published
SCRATCH = ".default-graph"


class Progress(Protocol):
    def step(self, description: str, total: int) -> None: ...
    def advance(self) -> None: ...


@dataclass
class ReleaseInput:
    """What the writing steps need besides the store and the staging folder."""

    sources: list[dict[str, Any]]
    results: list[ValidationResult]  # of the source graphs, for the validation report
    base: str
    built_at: datetime
    warnings: list[str]
    shacl_warnings: list[str]
    parts: list[PartChunk] = field(default_factory=list)
    dropped: list[Triple] = field(default_factory=list)
    redirects: dict[str, str] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


def graph_sizes(store: ox.Store) -> list[list[Any]]:
    """[graph IRI, triples] per named graph, in IRI order."""
    return [[row["g"].value, int(row["n"].value)]  # type: ignore[index]
            for row in store.query(GRAPH_SIZES_QUERY)]  # type: ignore[union-attr]


def write_dumps(store: ox.Store, layout: BuildLayout, given: ReleaseInput,
                facts: ReleaseFacts) -> dict[str, dict]:
    """The quads dumps (every named graph, with provenance), and each graph's size."""
    facts.quads = len(store)
    facts.graph_triples = graph_sizes(store)
    sources = {str(s["iri"]) for s in given.sources}
    derived = [g for g, _ in facts.graph_triples if g not in sources]
    return write_quad_dumps(layout, given.base, store, given.parts, derived,
                            layout.root / "history" / "history.nq.gz")


def write_union(layout: BuildLayout, given: ReleaseInput, facts: ReleaseFacts,
                progress: Progress) -> dict[str, dict]:
    """The default graph, read back from the N-Quads dump into a scratch on-disk store and
    checked against the shapes (raises ``DefaultGraphViolations``): its counts, the listing
    index and the union dumps. The scratch store is removed whatever happens."""
    scratch = layout.root / SCRATCH
    try:
        return _write_from_default_graph(layout, given, facts, progress, scratch)
    finally:
        return_free_memory()  # the store was dropped with the frame that opened it
        shutil.rmtree(scratch, ignore_errors=True)


def _write_from_default_graph(layout: BuildLayout, given: ReleaseInput, facts: ReleaseFacts,
                              progress: Progress, scratch: Path) -> dict[str, dict]:
    progress.step("Loading and validating the default graph", 1)
    union = default_graph_of(layout.nquads_dump, given.dropped, scratch / "store")
    check_default_graph(union, given.base)
    facts.triples = len(union)
    facts.counts = entity_counts(union, given.base)
    progress.advance()
    progress.step("Writing the listing index", 1)
    _, facts.listing = write_listing(union, given.base, layout.listings_path, union=True,
                                     redirects=given.redirects)
    return_free_memory()
    progress.advance()
    progress.step("Writing dumps (N-Triples, Turtle, JSON-LD)", 1)
    written = write_union_dumps(layout, given.base, union, UNION_GRAPH, scratch / "lines")
    progress.advance()
    return written


def write_release(staging: Any, *, stores: list[ox.Store], given: ReleaseInput,
                  progress: Progress) -> tuple[dict[str, Any], dict[str, dict], ReleaseFacts]:
    """Change history, dumps, on-disk store, listing index, validation report, manifest.
    Returns the manifest, the dumps written (size, sha256 and chunks of each) and what the
    steps counted.

    ``stores`` hands over the only reference to the quad store, so it can be freed after
    its own dumps are written."""
    layout = BuildLayout(staging)
    layout.dumps_dir.mkdir(parents=True, exist_ok=True)
    facts = ReleaseFacts()
    store = stores.pop()
    progress.step("Writing the change history", 1)
    history = record_history(store, layout.root, given.base, given.built_at, given.sources,
                             previous_release(staging), given.dropped)
    progress.advance()
    progress.step("Writing dumps (N-Quads, TriG)", 1)
    written = write_dumps(store, layout, given, facts)
    del store
    return_free_memory()
    write_schema_dumps(layout, given.base)
    layout.validation_report.write_bytes(report_ntriples(given.results))
    progress.advance()
    written |= write_union(layout, given, facts, progress)
    progress.step("Writing the on-disk store", 1)
    write_disk_store(layout.store_dir, layout.nquads_dump, layout.ntriples_dump)
    return_free_memory()
    progress.advance()
    manifest = finish_manifest(layout, given, facts, written, history_entry(layout, history))
    return manifest, written, facts


def finish_manifest(layout: BuildLayout, given: ReleaseInput, facts: ReleaseFacts,
                    written: dict[str, dict], history: dict[str, Any]) -> dict[str, Any]:
    """The manifest, from what the steps learnt and the dumps written, written last."""
    totals = {"union": facts.triples, "quads": facts.quads}
    dumps = [dump_entry(layout, dump, written.get(dump.file), totals.get(dump.content))
             for dump in DUMPS]
    manifest = build_manifest(built_at=given.built_at, base=given.base, facts=facts,
                              dumps=dumps, sources=given.sources, warnings=given.warnings,
                              shacl_warnings=given.shacl_warnings, history=history,
                              extra=given.extra)
    write_manifest(layout, manifest)
    return manifest
