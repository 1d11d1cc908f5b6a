"""The writing steps of an incremental build, in order (``build.py`` says what they do).

Each step names the resources whose statements it changed, for the steps after it: the
named graphs' (``named``), the source graphs' union's (``changes``, with the predicates),
the disagreements', the history's, and the default graph's (``union``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ogpgraph.release.cache.contents import Kept, write_cache
from ogpgraph.release.cache.store import PreviousCache
from ogpgraph.release.chunks import PreviousUnusable
from ogpgraph.release.default_graph import UNION_GRAPH, DefaultGraphViolations
from ogpgraph.release.dumps import write_schema_dumps
from ogpgraph.release.full import by_graph, manifest_extra, publish, result_lines
from ogpgraph.release.history.step import HistoryScope, record_history
from ogpgraph.release.incremental.plan import PartPlan, old_lines
from ogpgraph.release.incremental.revalidate import (
    check_nodes,
    neighbourhood,
    revalidate_graphs,
    to_check,
)
from ogpgraph.release.incremental.staging import Staging, line_diff, subject_of
from ogpgraph.release.incremental.union_dumps import write_union_dumps
from ogpgraph.release.layout import BuildLayout
from ogpgraph.release.listings.patch import patch_listing_index
from ogpgraph.release.listings.state import ListingState
from ogpgraph.release.manifest import ReleaseFacts, history_entry
from ogpgraph.release.parts import canonical_lines
from ogpgraph.release.pipeline import BuildFailed, NullProgress, Prepared
from ogpgraph.release.precedence import DERIVED_GRAPHS, Decision, Resolution, resolve_disagreements
from ogpgraph.release.quads import PreviousDumps, write_quad_dumps
from ogpgraph.release.report import report_ntriples
from ogpgraph.release.union import entity_counts
from ogpgraph.release.writer import ReleaseInput, finish_manifest
from ogpgraph.validation.run import GraphResult

SUPPORT = ("ontology", "vocabularies")


def subjects(lines: bytes) -> set[str]:
    return {subject_of(line) for line in lines.splitlines()}


class IncrementalWrite:
    """The release written from the previous one (see the module docstring)."""

    def __init__(self, prepared: Prepared, cache: PreviousCache, dumps: PreviousDumps,
                 plan: PartPlan, kept: tuple[dict[str, list[GraphResult]], list[Decision],
                                             ListingState],
                 base: str, progress: NullProgress) -> None:
        self.prepared, self.cache, self.dumps, self.plan = prepared, cache, dumps, plan
        results, decisions, self.listing = kept
        self.previous_results, self.base, self.progress = results, base, progress
        self.previous = Resolution(list(decisions))
        self.derived = frozenset(f"{base}graph/{name}" for name in DERIVED_GRAPHS)
        self.counts: dict[str, int] = {g: n for g, n in cache.index.get("graph_triples", [])}
        self.warnings: list[str] = []

    def publish(self, out_dir: Path) -> tuple[Path, dict]:
        return publish(out_dir, self.prepared.built_at, self.prepared.institutions, self.base,
                       self.write)

    def _step(self, description: str) -> None:
        self.progress.step(description, 1)

    # -- the named graphs ---------------------------------------------------------------
    def update_named(self, stage: Staging) -> set[str]:
        """The parts mapped anew replace their old statements; returns their resources."""
        named: set[str] = set()
        for change in self.plan.changes:
            removed, added = line_diff(change.old, change.new)
            stage.apply(removed, added)
            count = self.counts.get(change.graph, 0) + added.count(b"\n") - \
                removed.count(b"\n")
            self.counts[change.graph] = count
            if count == 0:
                del self.counts[change.graph]
            named |= subjects(change.old) | subjects(change.new)
        return named

    def source_changes(self, stage: Staging, named: set[str]) -> dict[str, set[str]]:
        """Of ``named``, those whose statements in the source graphs changed, with the
        predicates that did (what validating the source graphs reads)."""
        before_store = self.before
        changes: dict[str, set[str]] = {}
        for iri in named:
            facts = [{(q.predicate.value, q.object) for q in store.quads_for_pattern(
                ox.NamedNode(iri), None, None, None) if isinstance(q.graph_name, ox.NamedNode)
                and q.graph_name.value not in self.derived} for store in (before_store,
                                                                          stage.store)]
            differ = facts[0] ^ facts[1]
            if differ:
                changes[iri] = {p for p, _ in differ}
        return changes

    # -- validation ---------------------------------------------------------------------
    def revalidate(self, stage: Staging, changes: dict[str, set[str]]) -> list[GraphResult]:
        """Every source graph's results: the previous ones, but for the nodes a change can
        have reached, checked again (and new graphs checked whole)."""
        self._step("Validating what changed (SHACL)")
        graphs = [parts.graph for parts in self.prepared.all_parts]
        results = revalidate_graphs(stage.store, changes, self.previous_results, graphs,
                                    self.base, self.derived)
        self.progress.advance()
        return results

    # -- disagreements ------------------------------------------------------------------
    def resolve(self, stage: Staging, named: set[str]) -> tuple[Resolution, set[str]]:
        """The decisions about ``named`` taken again; the disagreements graph updated.
        Returns the resolution and the resources whose decisions' statements changed."""
        self._step("Resolving disagreements between sources")
        fresh = resolve_disagreements(stage.store, self.prepared.all_records, self.base,
                                      subjects=named)
        resolution = self.previous.replacing(named, fresh.decisions)
        graph = f"{self.base}graph/disagreements"
        new = canonical_lines(ox.serialize(resolution.quads, format=ox.RdfFormat.N_QUADS)) \
            if resolution.quads else b""
        removed, added = line_diff(old_lines(self.dumps, graph), new)
        stage.apply(removed, added)
        self.counts[graph] = new.count(b"\n")
        dropped = {tuple(map(str, t)) for t in resolution.dropped} ^ \
            {tuple(map(str, t)) for t in self.previous.dropped}
        self.progress.advance()
        return resolution, subjects(removed) | subjects(added) | {
            s.strip("<>") for s, _, _ in dropped}

    # -- the default graph --------------------------------------------------------------
    def update_union(self, stage: Staging, candidates: set[str],
                     resolution: Resolution) -> dict[str, set[str]]:
        """The default graph's statements about ``candidates`` brought up to date; returns
        the resources whose statements there changed, with the predicates."""
        changes: dict[str, set[str]] = {}
        for iri, (removed, added) in stage.patch_union(candidates,
                                                       set(resolution.dropped)).items():
            changes[iri] = {p.value for _, p, _ in removed | added}
            self.triples += len(added) - len(removed)
        return changes

    def check_default(self, stage: Staging, changes: dict[str, set[str]]) -> None:
        """The default graph checked where a change can have reached (the previous one
        conformed): raises ``DefaultGraphViolations``."""
        def default(graph: ox.NamedNode | ox.DefaultGraph) -> bool:
            return isinstance(graph, ox.DefaultGraph)

        nodes = to_check(stage.store, changes, self.base, default)
        quads = [ox.Quad(q.subject, q.predicate, q.object, UNION_GRAPH)
                 for q in neighbourhood(stage.store, nodes, self.base, default)]
        found = check_nodes(quads, {UNION_GRAPH.value: nodes}, self.base, shapes="all")
        lines = [f"default graph: {r.focus}: {r.message}"
                 + (f" (value {r.value})" if r.value is not None else "")
                 for _, r in found if r.severity == "Violation"]
        if lines:
            raise DefaultGraphViolations(lines)

    # -- the whole ---------------------------------------------------------------------
    def write(self, staging: Path, reports: list[dict], redirects: dict[str, str]) -> dict:
        layout = BuildLayout(staging)
        layout.dumps_dir.mkdir(parents=True)
        self._step("Updating the store")
        try:
            stage = Staging(self.cache.root / "store", layout.store_dir)
            self.before = ox.Store.read_only(str(self.cache.root / "store"))
        except Exception as error:  # noqa: BLE001 (whatever the database says: not reusable)
            raise PreviousUnusable(f"the previous release's store cannot be reused "
                                   f"({type(error).__name__}: {error})") from error
        try:
            return self._write(stage, layout, reports, redirects)
        finally:
            del self.before
            stage.close()

    # long: the steps in order, each handing the next the resources it changed
    def _write(self, stage: Staging, layout: BuildLayout, reports: list[dict],
               redirects: dict[str, str]) -> dict:
        prepared, base = self.prepared, self.base
        named = self.update_named(stage)
        changes = self.source_changes(stage, named)
        self.progress.advance()
        results = self.revalidate(stage, changes)
        violations, shacl_warnings = result_lines(results, prepared.all_records, base)
        if violations:
            raise ValidationFailed(violations)
        resolution, touched = self.resolve(stage, named)
        self._step("Writing the change history")
        scope = HistoryScope(named | touched)
        history = record_history(stage.store, layout.root, base, prepared.built_at,
                                 prepared.sources, self.cache.root, resolution.dropped, scope)
        history_graph = f"{base}graph/history"
        self.counts[history_graph] = self.counts.get(history_graph, 0) + len(scope.loaded)
        self.progress.advance()
        self._step("Updating and validating the default graph")
        self.triples = int(self.cache.index.get("triples", 0))
        loaded = {subject_of(line.encode()) for line in scope.loaded}
        union = self.update_union(stage, named | touched | loaded, resolution)
        self.check_default(stage, union)
        self.progress.advance()
        return self.finish(stage, layout, results, shacl_warnings, resolution, union,
                           history, reports, redirects)

    # long: the files of the release, then its manifest and cache, in one place
    def finish(self, stage: Staging, layout: BuildLayout, results: list[GraphResult],
               shacl_warnings: list[str], resolution: Resolution, union: dict[str, set[str]],
               history: dict[str, Any], reports: list[dict], redirects: dict[str, str]
               ) -> dict:
        prepared, base = self.prepared, self.base
        self._step("Writing dumps (copying what did not change)")
        derived = [f"{base}graph/{name}" for name in (*DERIVED_GRAPHS, *SUPPORT)]
        written = write_quad_dumps(layout, base, stage.store, self.plan.chunks, derived,
                                   layout.root / "history" / "history.nq.gz", self.dumps)
        write_schema_dumps(layout, base)
        layout.validation_report.write_bytes(report_ntriples([r for _, r in results]))
        written |= write_union_dumps(layout, base, stage.store, set(union), self.dumps)
        self.progress.advance()
        self._step("Updating the listing index")
        listing = patch_listing_index(layout.listings_path, self.cache.root / "listings.sqlite",
                                      self.listing, stage.store, self.before, base, redirects,
                                      union)
        self.progress.advance()
        self._step("Writing the manifest")
        graph_triples = sorted([g, n] for g, n in self.counts.items() if n)
        facts = ReleaseFacts(quads=sum(n for _, n in graph_triples), triples=self.triples,
                             graph_triples=graph_triples,
                             counts=entity_counts(stage.store, base, in_named=False))
        self.warnings = prepared.warnings + resolution.warnings + shacl_warnings
        given = ReleaseInput(
            sources=prepared.sources, results=[r for _, r in results], base=base,
            built_at=prepared.built_at, warnings=prepared.warnings + resolution.warnings,
            shacl_warnings=shacl_warnings, dropped=resolution.dropped, redirects=redirects,
            extra=manifest_extra(resolution, reports, redirects))
        manifest = finish_manifest(layout, given, facts, written, history_entry(layout, history))
        kept = Kept(by_graph(results), resolution.decisions, self.plan.keys, written,
                    graph_triples, self.triples, listing)
        write_cache(layout.root, base, prepared, self.cache, kept)
        self.cache.notes.extend(kept.notes)
        self.progress.advance()
        return manifest


class ValidationFailed(BuildFailed):
    """A source graph violates the shapes (one line per violation)."""
