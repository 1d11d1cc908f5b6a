"""`ogpgraph build`: read sources, reconcile institutions, map, validate, resolve, publish.

The steps: read every source into records; reconcile the institutions of each member
(``release/institutions.py``); map each source to its named graph; validate each source
graph with the shapes; decide what the default graph keeps where sources disagree on a
single-valued property (``release/precedence.py``); then write the release, whose default
graph is validated with the same shapes before anything is published
(``release/default_graph.py``). Nothing is published unless every source reads cleanly,
every source graph and the default graph conform; a failed build leaves the previous
``current`` release untouched.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef

from ogpgraph.graph.mapping import map_records, map_records_to_quads
from ogpgraph.graph.static_files import load_support_graphs
from ogpgraph.graph.uris import Uris
from ogpgraph.records.disagreements import find_action_plan_disagreements, find_disagreements
from ogpgraph.records.model import SourceRecords
from ogpgraph.release.default_graph import DefaultGraphViolations
from ogpgraph.release.institutions import InstitutionPass, reconcile_institutions, report_entries
from ogpgraph.release.memory import return_free_memory
from ogpgraph.release.parallel import build_workers, ordered_map
from ogpgraph.release.precedence import Resolution, resolve_disagreements
from ogpgraph.release.publication import WriteFailed, publish_release
from ogpgraph.release.writer import write_release
from ogpgraph.sources import language
from ogpgraph.sources.discover import discover_sources
from ogpgraph.sources.errors import SourceError
from ogpgraph.sources.registry import SourceFile
from ogpgraph.validation.axioms import per_source
from ogpgraph.validation.outcome import ValidationOutcome
from ogpgraph.validation.run import data_shapes, outcome_of, validate_store_graphs

BATCH_SIZE = 2_000  # commitments mapped (and held as one rdflib graph) at a time
# From this many commitments the language models are unloaded once sources are read:
# their ~0.9 GB matters at scale, while reloading them costs ~7 s, which small builds
# run again and again in one process (tests) should not pay.
RELEASE_MODELS_FROM = 5_000


class BuildFailed(Exception):
    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__(f"build failed with {len(errors)} error(s)")


@dataclass
class BuildResult:
    release: Path
    manifest: dict
    skipped: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class NullProgress:
    def step(self, description: str, total: int) -> None:
        pass

    def advance(self) -> None:
        pass


def build_time() -> datetime:
    """Now, or SOURCE_DATE_EPOCH for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    return datetime.now(tz=UTC).replace(microsecond=0)


def read_all(paths: list[Path], progress: NullProgress) -> tuple[list[SourceRecords], list, list]:
    """Every source read into records; errors collected, not raised, so all are reported.

    Pages are read in worker processes, a file each; a CSV export is read in the main
    process, which fans its rows out to workers itself."""
    discovery = discover_sources(paths)
    errors: list[str] = [str(e) for e in discovery.errors]
    # before workers fork, so they share the models; short texts of a CSV need the full ones
    language.warm_up(full=any(found.reader.kind == "csv" for found in discovery.files))
    progress.step("Reading sources", len(discovery.files))
    results: dict[int, SourceRecords | str] = {}
    indexed = list(enumerate(discovery.files))
    small = [(i, found) for i, found in indexed if found.reader.kind != "csv"]
    for i, outcome in zip([i for i, _ in small],
                          ordered_map(read_one, [f for _, f in small], build_workers()),
                          strict=True):
        results[i] = outcome
        progress.advance()
    for i, found in indexed:
        if found.reader.kind == "csv":
            results[i] = read_one(found)
            progress.advance()
    all_records = []
    for i in sorted(results):
        outcome = results[i]
        if isinstance(outcome, str):
            errors.extend(outcome.split("\n"))  # SourceErrors: one line per error
        else:
            all_records.append(outcome)
    return all_records, errors, discovery.skipped


def read_one(found: SourceFile) -> SourceRecords | str:
    """One source's records, or its error as one line."""
    try:
        return found.reader.read(found.path, found.source())
    except SourceError as error:
        return str(error)
    except (OSError, UnicodeDecodeError, ValueError) as error:
        return f"{found.path}: cannot read: {error}"


def map_all(all_records: list[SourceRecords], base: str,
            built_at: datetime) -> list[tuple[URIRef, Graph]]:
    """Each source as one rdflib graph, its institutions reconciled as a build does: for
    small inputs (``ogpgraph parse``)."""
    reconcile_institutions(all_records)
    return [map_records(records, base, built_at) for records in all_records]


def load_all(all_records: list[SourceRecords], base: str, built_at: datetime,
             progress: NullProgress) -> ox.Store:
    """Every source mapped in batches into one Oxigraph store, a named graph per source,
    beside the ontology and vocabularies (which validation reads). Each source's
    commitments are let go once mapped, so records and store do not peak together."""
    store = ox.Store()
    load_support_graphs(store, base)
    batches = sum(len(r.commitments) // BATCH_SIZE + 1 for r in all_records)
    progress.step("Mapping and loading", batches)
    for records in all_records:
        for quads in map_records_to_quads(records, base, built_at, BATCH_SIZE):
            store.extend(quads)
            progress.advance()
        records.commitments = []  # mapped: the store holds them now (bounds peak memory)
    return_free_memory()
    return store


def validate_all(store: ox.Store, all_records: list[SourceRecords], base: str,
                 progress: NullProgress) -> tuple[ValidationOutcome, list[str], list[str]]:
    """The shapes, compiled to SPARQL, on each source graph on its own: a disagreement
    between two sources (two start dates) is reported as such, not as a violation. The
    disjointness shapes run on the default graph only (``axioms.per_source``).
    Returns the outcome and the violation and warning lines, each naming its source file."""
    progress.step("Validating (SHACL)", 1)
    results = validate_store_graphs(store, base, shapes=per_source(data_shapes(base)))
    paths = {str(Uris(base).source(r.source.kind, r.source.sha256)): r.source.path
             for r in all_records}
    lines: dict[str, list[str]] = {"Violation": [], "Warning": []}
    for graph, result in results:
        severity = "Violation" if result.severity == "Violation" else "Warning"
        lines[severity].append(f"{paths.get(str(graph), graph)}: {result.focus}: "
                               f"{result.message}")
    progress.advance()
    return outcome_of(results, base), lines["Violation"], lines["Warning"]


def run_build(paths: list[Path], out_dir: Path, base: str,
              progress: NullProgress | None = None) -> BuildResult:
    progress = progress or NullProgress()
    all_records, errors, skipped = read_all(paths, progress)
    if errors:
        raise BuildFailed(errors)
    if not any(records.commitments for records in all_records):
        raise BuildFailed([f"no commitments found in {', '.join(map(str, paths))}"])
    built_at = build_time()
    if sum(len(r.commitments) for r in all_records) >= RELEASE_MODELS_FROM:
        language.release()  # the models (~0.9 GB) are not needed past reading
    progress.step("Reconciling institutions", 1)
    institutions = reconcile_institutions(all_records)
    progress.advance()
    # what needs the records whole, before load_all lets them go source by source
    warnings = [m if m.startswith(records.source.path) else f"{records.source.path}: {m}"
                for records in all_records for m in records.warnings]
    warnings += find_disagreements(all_records) + find_action_plan_disagreements(all_records)
    warnings += institutions.warnings
    sources = [source_entry(records, base) for records in all_records]
    store = load_all(all_records, base, built_at, progress)
    outcome, violations, shacl_warnings = validate_all(store, all_records, base, progress)
    if violations:
        raise BuildFailed(violations)
    progress.step("Resolving disagreements between sources", 1)
    resolution = resolve_disagreements(store, all_records, base)
    store.extend(resolution.quads)
    warnings += resolution.warnings
    progress.advance()
    parts = ReleaseParts(sources, outcome, warnings, shacl_warnings, institutions, resolution)
    release, manifest = write_and_publish(out_dir, store, built_at, base, progress, parts)
    return BuildResult(release=release, manifest=manifest, skipped=skipped,
                       warnings=warnings + shacl_warnings)


@dataclass
class ReleaseParts:
    """What a validated build hands to the writer besides its store."""

    sources: list[dict]
    outcome: ValidationOutcome
    warnings: list[str]
    shacl_warnings: list[str]
    institutions: InstitutionPass
    resolution: Resolution

    def manifest_extra(self, reports: list[dict], redirects: dict[str, str]) -> dict:
        return {"reports": reports, "default_graph": {
            "content": "the union of the named graphs; where sources disagree on a "
                       "single-valued property, the value of the first source in the "
                       "precedence of sources (see ogp:Disagreement)",
            "disagreements": len(self.resolution.warnings),
            "values_left_to_named_graphs": len(self.resolution.dropped),
            "institution_redirects": len(redirects)}}


def write_and_publish(out_dir: Path, store: ox.Store, built_at: datetime, base: str,
                      progress: NullProgress, parts: ReleaseParts) -> tuple[Path, dict]:
    """Write the release into a staging folder, then publish it as ``current``. A default
    graph that violates the shapes (or any failure) removes the staging folder and leaves
    the previous release published."""
    redirects = parts.institutions.redirects(base)
    holder = [store]
    del store  # write_release frees it half way (see its docstring)

    def write(staging: Path) -> dict:
        staging.mkdir(parents=True)
        reports = report_entries(parts.institutions.write_reports(staging))
        return write_release(
            staging, stores=holder, sources=parts.sources, report=parts.outcome.report_graph,
            base=base, built_at=built_at, warnings=parts.warnings,
            shacl_warnings=parts.shacl_warnings, progress=progress,
            dropped=parts.resolution.dropped, redirects=redirects,
            extra=parts.manifest_extra(reports, redirects))

    try:
        return publish_release(out_dir, built_at, write)
    except WriteFailed as failure:
        if isinstance(failure.__cause__, DefaultGraphViolations):
            raise BuildFailed(failure.__cause__.lines) from failure
        raise BuildFailed([str(failure)]) from failure


def source_entry(records: SourceRecords, base: str) -> dict:
    source = records.source
    return {"iri": str(Uris(base).source(source.kind, source.sha256)), "path": source.path,
            "kind": source.kind, "url": source.url, "sha256": source.sha256,
            "commitments": len({c.identifier for c in records.commitments})}
