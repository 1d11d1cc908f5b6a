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

import hashlib
import os
import pickle
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from rdflib import Graph, URIRef

from ogpgraph.graph.mapping import map_records
from ogpgraph.graph.uris import Uris
from ogpgraph.records.disagreements import find_action_plan_disagreements, find_disagreements
from ogpgraph.records.model import SourceRecords
from ogpgraph.release.cache.store import CacheUnusable, PreviousCache
from ogpgraph.release.cache.version import code_version
from ogpgraph.release.institutions import InstitutionPass, reconcile_institutions
from ogpgraph.release.parallel import build_workers, ordered_map
from ogpgraph.release.parts import SourceParts
from ogpgraph.release.scratch import SpilledBytes, build_scratch
from ogpgraph.sources import language
from ogpgraph.sources.discover import discover_sources
from ogpgraph.sources.errors import SourceError
from ogpgraph.sources.registry import SourceFile

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
    notes: list[str] = field(default_factory=list)  # what was not reused, and why
    reuse: dict[str, int] = field(default_factory=dict)  # sources reused / read, parts …


@dataclass
class Outcome:
    """What a build (full or incremental) published."""

    release: Path
    manifest: dict
    warnings: list[str]
    reuse: dict[str, int] = field(default_factory=dict)


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


def records_key(found: SourceFile) -> str:
    """What a source's records are a function of: the code, the reader, the file's bytes
    and its path (which messages name)."""
    text = "\0".join((code_version(), found.reader.kind, found.reader.description,
                      found.sha256, str(found.path)))
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class Reading:
    """What reading the sources gave: records in discovery order, each with its cache key
    and whether it came from the previous release's cache."""

    records: list[SourceRecords] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    reused: list[bool] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)


def read_sources(paths: list[Path], progress: NullProgress,
                 cached: Callable[[str], object] | None = None) -> Reading:
    """Every source read into records (or taken from ``cached``, by key, when it has them);
    errors collected, not raised, so all are reported.

    Pages are read in worker processes, a file each; a CSV export is read in the main
    process, which fans its rows out to workers itself."""
    discovery = discover_sources(paths)
    reading = Reading(errors=[str(e) for e in discovery.errors], skipped=discovery.skipped)
    keys = [records_key(found) for found in discovery.files]
    results: dict[int, SourceRecords | str] = {}
    for i, (found, key) in enumerate(zip(discovery.files, keys, strict=True)):
        kept = cached(key) if cached is not None else None
        if isinstance(kept, SourceRecords) and kept.source.sha256 == found.sha256:
            results[i] = kept
    todo = [(i, found) for i, found in enumerate(discovery.files) if i not in results]
    if todo:  # before workers fork, so they share the models; a CSV needs the full ones
        language.warm_up(full=any(found.reader.kind == "csv" for _, found in todo))
    progress.step("Reading sources", len(discovery.files))
    for _ in range(len(results)):
        progress.advance()
    small = [(i, found) for i, found in todo if found.reader.kind != "csv"]
    for i, outcome in zip([i for i, _ in small],
                          ordered_map(read_one, [f for _, f in small], build_workers()),
                          strict=True):
        results[i] = outcome
        progress.advance()
    for i, found in todo:
        if found.reader.kind == "csv":
            results[i] = read_one(found)
            progress.advance()
    fresh = {i for i, _ in todo}
    for i in sorted(results):
        outcome = results[i]
        if isinstance(outcome, str):
            reading.errors.extend(outcome.split("\n"))  # SourceErrors: one line per error
        else:
            reading.records.append(outcome)
            reading.keys.append(keys[i])
            reading.reused.append(i not in fresh)
    return reading


def read_all(paths: list[Path], progress: NullProgress) -> tuple[list[SourceRecords], list, list]:
    """Every source read into records; errors collected, not raised, so all are reported."""
    reading = read_sources(paths, progress)
    return reading.records, reading.errors, reading.skipped


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


def source_entry(records: SourceRecords, base: str) -> dict:
    source = records.source
    return {"iri": str(Uris(base).source(source.kind, source.sha256)), "path": source.path,
            "kind": source.kind, "url": source.url, "sha256": source.sha256,
            "commitments": len({c.identifier for c in records.commitments})}


@dataclass
class Prepared:
    """The sources read and their institutions reconciled: what both kinds of build start
    from. ``warnings``: the build report's lines so far (the records', the disagreements
    between sources' records, the institutions'); ``pickled``: the records read anew,
    pickled for the cache (reconciling them again gives the same), kept on disk;
    ``scratch``: the build's scratch folder (``release/scratch.py``), if it has one."""

    reading: Reading
    all_parts: list[SourceParts]
    institutions: InstitutionPass
    warnings: list[str]
    sources: list[dict]
    built_at: datetime
    pickled: SpilledBytes = field(default_factory=SpilledBytes)
    scratch: Path | None = None

    @property
    def all_records(self) -> list[SourceRecords]:
        return self.reading.records

    @property
    def skipped(self) -> list[tuple[str, str]]:
        return self.reading.skipped


def prepare(paths: list[Path], base: str, progress: NullProgress,
            cache: PreviousCache | None = None, scratch: Path | None = None) -> Prepared:
    """Read (or take from ``cache``) every source, reconcile the institutions, key the
    parts of every source graph. What a build holds to its end goes into ``scratch``."""
    reading = read_sources(paths, progress, cache.records if cache is not None else None)
    if reading.errors:
        raise BuildFailed(reading.errors)
    all_records = reading.records
    if not any(records.commitments for records in all_records):
        raise BuildFailed([f"no commitments found in {', '.join(map(str, paths))}"])
    built_at = build_time()
    if sum(len(r.commitments) for r in all_records) >= RELEASE_MODELS_FROM:
        language.release()  # the models (~0.9 GB) are not needed past reading
    progress.step("Reconciling institutions", 1)
    institutions = reconcile_institutions(all_records, cache)
    progress.advance()
    # what needs the records whole, before mapping lets them go source by source
    warnings = [m if m.startswith(records.source.path) else f"{records.source.path}: {m}"
                for records in all_records for m in records.warnings]
    warnings += find_disagreements(all_records) + find_action_plan_disagreements(all_records)
    warnings += institutions.warnings
    all_parts = [SourceParts.of(records, base) for records in all_records]
    for parts in all_parts:
        parts.compute_keys()
    pickled = SpilledBytes(scratch)
    for key, records, reused in zip(reading.keys, all_records, reading.reused, strict=True):
        if not reused:
            pickled[key] = pickle.dumps(records, protocol=pickle.HIGHEST_PROTOCOL)
    sources = [source_entry(records, base) for records in all_records]
    return Prepared(reading, all_parts, institutions, warnings, sources, built_at, pickled,
                    scratch)


def run_build(paths: list[Path], out_dir: Path, base: str,
              progress: NullProgress | None = None, full: bool = False) -> BuildResult:
    """Build and publish a release of ``paths`` into ``out_dir``: incrementally from the
    current release's cache where it can serve, else (or with ``full``) from scratch."""
    from ogpgraph.release.full import build_full
    from ogpgraph.release.incremental.build import FallBack, build_incremental

    progress = progress or NullProgress()
    cache, notes = open_cache(out_dir, base, full)
    with build_scratch(out_dir) as scratch:
        prepared = prepare(paths, base, progress, cache, scratch)
        outcome = None
        if cache is not None:
            try:
                outcome = build_incremental(prepared, cache, out_dir, base, progress)
            except FallBack as reason:
                notes += cache.notes + [f"incremental build abandoned, building everything: "
                                        f"{reason}"]
                cache = None  # nothing of it is used: every source read and mapped anew
                prepared = prepare(paths, base, progress, scratch=scratch)
        if outcome is None:
            outcome = build_full(prepared, out_dir, base, progress, cache)
    notes += cache.notes if cache is not None else []
    return BuildResult(release=outcome.release, manifest=outcome.manifest,
                       skipped=prepared.skipped, warnings=outcome.warnings,
                       notes=notes, reuse=outcome.reuse)


def open_cache(out_dir: Path, base: str, full: bool) -> tuple[PreviousCache | None, list[str]]:
    """The current release's cache, unless ``full`` or it cannot serve (then a note)."""
    if full:
        return None, ["full build (--full): nothing reused"]
    current = out_dir / "current"
    release = current.resolve() if current.is_symlink() or current.exists() else None
    try:
        return PreviousCache.open(release, base), []
    except CacheUnusable as reason:
        return None, [f"full build: {reason}"]
