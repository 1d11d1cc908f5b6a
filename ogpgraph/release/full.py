"""A full build: every source mapped, every graph validated and every disagreement decided
from scratch, then the release written (``release/writer.py``) and published."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ogpgraph.graph.static_files import load_support_graphs
from ogpgraph.graph.uris import Uris
from ogpgraph.records.model import SourceRecords
from ogpgraph.release.bulk_load import SlicedLoad
from ogpgraph.release.cache.contents import Kept, write_cache
from ogpgraph.release.cache.store import PreviousCache
from ogpgraph.release.chunks import PreviousUnusable, gzip_member
from ogpgraph.release.default_graph import DefaultGraphViolations
from ogpgraph.release.institutions import InstitutionPass, report_entries
from ogpgraph.release.memory import return_free_memory
from ogpgraph.release.parts import CONCEPTS, DESCRIPTION, SourceParts
from ogpgraph.release.pipeline import BuildFailed, NullProgress, Outcome, Prepared
from ogpgraph.release.precedence import Resolution, resolve_disagreements
from ogpgraph.release.publication import WriteFailed, publish_release
from ogpgraph.release.quads import PartChunk, part_chunk_id
from ogpgraph.release.writer import ReleaseInput, write_release
from ogpgraph.validation.axioms import per_source
from ogpgraph.validation.run import GraphResult, data_shapes, validate_store_graphs


def load_parts(all_parts: list[SourceParts], base: str, built_at: datetime,
               progress: NullProgress, directory: Path | None = None
               ) -> tuple[ox.Store, list[PartChunk]]:
    """Every source mapped part by part into one Oxigraph store (on disk at ``directory``,
    else in memory), a named graph per source, beside the ontology and vocabularies (which
    validation reads); each part also kept as the gzip member of its sorted statements, the
    chunk the quads dumps are written from. Each source's commitments are let go once
    mapped, so records and store do not peak together."""
    store = ox.Store(str(directory)) if directory is not None else ox.Store()
    load_support_graphs(store, base)
    progress.step("Mapping and loading", sum(len(p.by_part) + 2 for p in all_parts))
    chunks: list[PartChunk] = []
    load = SlicedLoad(store, ox.RdfFormat.N_QUADS)  # one load per part: a transaction each
    for parts in all_parts:
        for part in (DESCRIPTION, CONCEPTS, *parts.by_part):
            lines = parts.map_part(part, built_at)
            load.add(lines)
            chunks.append(PartChunk(parts.graph, part, gzip_member(lines) if lines else b""))
            progress.advance()
        parts.by_part = {}
        parts.records.commitments = []  # mapped: the store holds them now (bounds peak memory)
    load.flush()
    return_free_memory()
    return store, chunks


def result_lines(results: list[GraphResult], all_records: list[SourceRecords],
                 base: str) -> tuple[list[str], list[str]]:
    """The violation and warning lines of validation results, each naming its source."""
    paths = {str(Uris(base).source(r.source.kind, r.source.sha256)): r.source.path
             for r in all_records}
    lines: dict[str, list[str]] = {"Violation": [], "Warning": []}
    for graph, result in results:
        severity = "Violation" if result.severity == "Violation" else "Warning"
        lines[severity].append(f"{paths.get(str(graph), graph)}: {result.focus}: "
                               f"{result.message}")
    return lines["Violation"], lines["Warning"]


def validate_all(store: ox.Store, base: str, progress: NullProgress) -> list[GraphResult]:
    """The shapes, compiled to SPARQL, on each source graph on its own: a disagreement
    between two sources (two start dates) is reported as such, not as a violation. The
    disjointness shapes run on the default graph only (``axioms.per_source``)."""
    progress.step("Validating (SHACL)", 1)
    results = validate_store_graphs(store, base, shapes=per_source(data_shapes(base)))
    progress.advance()
    return results


def manifest_extra(resolution: Resolution, reports: list[dict],
                   redirects: dict[str, str]) -> dict[str, Any]:
    return {"reports": reports, "default_graph": {
        "content": "the union of the named graphs; where sources disagree on a "
                   "single-valued property, the value of the first source in the "
                   "precedence of sources (see ogp:Disagreement)",
        "disagreements": len(resolution.warnings),
        "values_left_to_named_graphs": len(resolution.dropped),
        "institution_redirects": len(redirects)}}


@dataclass
class Checked:
    """A build validated and resolved: what it hands to the writer."""

    prepared: Prepared
    results: list[GraphResult]
    shacl_warnings: list[str]
    resolution: Resolution

    def release_input(self, base: str, parts: list[PartChunk], reports: list[dict],
                      redirects: dict[str, str]) -> ReleaseInput:
        prepared = self.prepared
        return ReleaseInput(
            sources=prepared.sources, results=[r for _, r in self.results], base=base,
            built_at=prepared.built_at, warnings=prepared.warnings + self.resolution.warnings,
            shacl_warnings=self.shacl_warnings, parts=parts,
            dropped=self.resolution.dropped, redirects=redirects,
            extra=manifest_extra(self.resolution, reports, redirects))


def publish(out_dir: Path, built_at: datetime, institutions: InstitutionPass, base: str,
            write: Callable[[Path, list[dict], dict[str, str]], dict]) -> tuple[Path, dict]:
    """Write the release into a staging folder (the institutions' reports, then ``write``),
    then publish it as ``current``. A default graph that violates the shapes (or any failure)
    removes the staging folder and leaves the previous release published."""
    redirects = institutions.redirects(base)

    def write_all(staging: Path) -> dict:
        staging.mkdir(parents=True)
        reports = report_entries(institutions.write_reports(staging))
        return write(staging, reports, redirects)

    try:
        return publish_release(out_dir, built_at, write_all)
    except WriteFailed as failure:
        cause = failure.__cause__
        if isinstance(cause, DefaultGraphViolations):
            raise BuildFailed(cause.lines) from failure
        if isinstance(cause, BuildFailed | PreviousUnusable):  # a violation; a full build
            raise cause from failure
        raise BuildFailed([str(failure)]) from failure


def part_keys(all_parts: list[SourceParts]) -> dict[str, str]:
    """The key of every part (descriptions have none: they are always written anew)."""
    keys = {}
    for parts in all_parts:
        keys[part_chunk_id(parts.graph, DESCRIPTION)] = ""
        keys.update({part_chunk_id(parts.graph, part): key for part, key in parts.keys.items()})
    return keys


def by_graph(results: list[GraphResult]) -> dict[str, list[GraphResult]]:
    found: dict[str, list[GraphResult]] = {}
    for graph, result in results:
        found.setdefault(str(graph), []).append((graph, result))
    return found


def build_full(prepared: Prepared, out_dir: Path, base: str, progress: NullProgress,
               cache: PreviousCache | None = None) -> Outcome:
    """Map, validate, resolve, write and publish; returns the release, its manifest and
    every warning. The release keeps a cache for the next build (``release/cache/``)."""
    keys = part_keys(prepared.all_parts)
    folder = prepared.scratch / "sources" if prepared.scratch is not None else None
    store, chunks = load_parts(prepared.all_parts, base, prepared.built_at, progress, folder)
    results = validate_all(store, base, progress)
    violations, shacl_warnings = result_lines(results, prepared.all_records, base)
    if violations:
        raise BuildFailed(violations)
    progress.step("Resolving disagreements between sources", 1)
    resolution = resolve_disagreements(store, prepared.all_records, base)
    store.extend(resolution.quads)
    progress.advance()
    checked = Checked(prepared, results, shacl_warnings, resolution)
    holder = [store]
    del store  # write_release frees it half way (see its docstring)

    notes: list[str] = []

    def write(staging: Path, reports: list[dict], redirects: dict[str, str]) -> dict:
        given = checked.release_input(base, chunks, reports, redirects)
        manifest, written, facts = write_release(staging, stores=holder, given=given,
                                                 progress=progress)
        kept = Kept(by_graph(results), resolution.decisions, keys, written,
                    facts.graph_triples or [], facts.triples, facts.listing)
        write_cache(staging, base, prepared, cache, kept)
        notes.extend(kept.notes)
        return manifest

    release, manifest = publish(out_dir, prepared.built_at, prepared.institutions, base, write)
    if cache is not None:
        cache.notes.extend(notes)
    sources = len(prepared.all_parts)
    return Outcome(release, manifest, prepared.warnings + resolution.warnings + shacl_warnings,
                   {"sources": sources, "sources_reused": 0, "parts_mapped": len(keys),
                    "parts_reused": 0})
