"""Writing one release folder from a loaded, validated store, step by step.

The steps hand memory over to each other: the quad store is released once its dumps are
written; the union of the graphs (for the counts, the listing index and the union dumps)
and then the on-disk store are read back from the dumps, one at a time, so no two large
structures sit in memory together.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

import pyoxigraph as ox
from rdflib import Graph

from ogpgraph.release.dumps import write_dumps, write_schema_dumps
from ogpgraph.release.history.step import record_history
from ogpgraph.release.layout import DUMPS, BuildLayout
from ogpgraph.release.listings.writer import build_listing_index
from ogpgraph.release.manifest import (
    ReleaseFacts,
    build_manifest,
    file_entry,
    history_entry,
    triples_in_file,
    write_manifest,
)
from ogpgraph.release.memory import return_free_memory
from ogpgraph.release.publication import previous_release
from ogpgraph.release.union import entity_counts, union_of, write_disk_store
from ogpgraph.store.base import GRAPH_SIZES_QUERY


class Progress(Protocol):
    def step(self, description: str, total: int) -> None: ...
    def advance(self) -> None: ...


def write_quads(store: ox.Store, layout: BuildLayout, base: str, built_at: datetime,
                facts: ReleaseFacts) -> None:
    """The dumps with the provenance named graphs, and each graph's size."""
    facts.quads = len(store)
    facts.graph_triples = [[row["g"].value, int(row["n"].value)]  # type: ignore[index]
                           for row in store.query(GRAPH_SIZES_QUERY)]  # type: ignore[union-attr]
    write_dumps(store, layout, "quads", base, built_at, from_default_graph=False)


def write_union(layout: BuildLayout, base: str, built_at: datetime, facts: ReleaseFacts,
                progress: Progress) -> None:
    """The union of the graphs, read back from the N-Quads dump: its counts, the listing
    index and the union dumps."""
    progress.step("Loading the union of the graphs", 1)
    union = union_of(layout.nquads_dump)
    facts.triples = len(union)
    facts.counts = entity_counts(union, base)
    progress.advance()
    progress.step("Writing the listing index", 1)
    build_listing_index(union, base, layout.listings_path, union=False)
    return_free_memory()
    progress.advance()
    progress.step("Writing dumps (N-Triples, Turtle, JSON-LD)", 1)
    write_dumps(union, layout, "union", base, built_at, from_default_graph=True)
    del union
    return_free_memory()
    progress.advance()


def dump_entries(layout: BuildLayout, facts: ReleaseFacts) -> list[dict[str, Any]]:
    entries = []
    for dump in DUMPS:
        triples: int | None = {"union": facts.triples, "quads": facts.quads}.get(dump.content)
        if triples is None:
            assert isinstance(dump.format.oxigraph, ox.RdfFormat)
            triples = triples_in_file(layout.dump_path(dump), dump.format.oxigraph)
        entries.append(file_entry(layout, dump, triples))
    return entries


def write_release(staging: Any, *, stores: list[ox.Store], sources: list[dict[str, Any]],
                  report: Graph, base: str, built_at: datetime, warnings: list[str],
                  shacl_warnings: list[str], progress: Progress) -> dict[str, Any]:
    """Change history, dumps, on-disk store, listing index, validation report, manifest.

    ``stores`` hands over the only reference to the quad store, so it can be freed after
    its own dumps are written."""
    layout = BuildLayout(staging)
    layout.dumps_dir.mkdir(parents=True)
    facts = ReleaseFacts()
    store = stores.pop()
    progress.step("Writing the change history", 1)
    history = record_history(store, layout.root, base, built_at, sources,
                             previous_release(staging))
    progress.advance()
    progress.step("Writing dumps (N-Quads, TriG)", 1)
    write_quads(store, layout, base, built_at, facts)
    del store
    return_free_memory()
    write_schema_dumps(layout, base)
    layout.validation_report.write_bytes(canonical_turtle(report))
    progress.advance()
    write_union(layout, base, built_at, facts, progress)
    progress.step("Writing the on-disk store", 1)
    write_disk_store(layout.store_dir, layout.nquads_dump, layout.ntriples_dump)
    return_free_memory()
    progress.advance()
    manifest = build_manifest(built_at=built_at, base=base, facts=facts,
                              dumps=dump_entries(layout, facts), sources=sources,
                              warnings=warnings, shacl_warnings=shacl_warnings,
                              history=history_entry(layout, history))
    write_manifest(layout, manifest)
    return manifest


def canonical_turtle(graph: Graph) -> bytes:
    """The validation report in a stable order: its blank nodes canonicalised and its
    triples sorted, so two builds of the same input write the same bytes."""
    store = ox.Store()
    store.load(graph.serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES)
    dataset = ox.Dataset(store)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    lines = sorted(ox.serialize(dataset, format=ox.RdfFormat.N_QUADS).splitlines(keepends=True))
    return b"".join(lines)
