"""Loading a release into a SPARQL engine so that readers never see half of it.

1. **Prepare** (no engine involved): one N-Quads file of everything the engine will hold,
   every graph under a staging name ``urn:ogpgraph:staging:{token}:{n}`` (for Virtuoso,
   the named graphs the served release lacks under their live names: see 4): the release's
   named graphs (``ogpgraph.nq.gz``), the union (``ogpgraph.nt.gz``) and the release's
   description (``remote_protocol.description_triples``). Each named graph's count, and
   the union's, must match the manifest, or nothing is sent (a corrupt dump).
2. **Stage**: the engine loads that file. Public queries never see staging graphs: they
   are sent with the union graph as default graph and the release's graph list as named
   graphs (``remote_protocol.plan``).
3. **Check**: the engine counts each staging graph; any difference fails the load.
4. **Switch**, in one transaction of the engine: the previous release's graphs are dropped
   and every staging graph takes its live name (the source IRIs, ``urn:ogpgraph:release``),
   but the union: it stays where it was staged, which the new description names (so it is
   not copied: half the rows of a release), and the previous release's union stays until
   the next load, for web tiers still holding that release.

   - Oxigraph server and Fuseki: one SPARQL Update request (``DROP``, then ``MOVE`` for
     each graph); both run an update request as one transaction, so a reader sees the
     dataset before it or after it.
   - Virtuoso (``virtuoso_load.py``): the graphs the served release lacks were staged
     under their live names (``staging_for(direct=True)``; no query of the served
     release reads them: its description's graph list is the dataset of every query, and
     ``/sparql`` refuses a dataset naming other graphs), so they are not copied; one SQL
     procedure call, one transaction, writes into the graphs both releases have only the
     rows that differ, and the description; the staged rows are cleared after it.

A failure anywhere before the switch (a corrupt dump, the engine killed or refusing) drops
what was staged, where it can, and raises ``LoadFailed``: the previous release is still
the one served. Leftover staging graphs of a failed load are dropped by the next load, and
so are graphs it loaded under live names that the served release lacks (before staging).
"""

from __future__ import annotations

import gzip
import hashlib
import tempfile
import time
import warnings
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox

from ogpgraph.release.layout import BuildLayout
from ogpgraph.store.engines import Endpoint, parse_store_url
from ogpgraph.store.remote_protocol import (
    INTERNAL,
    NO_GRAPH,
    RELEASE_GRAPH,
    STAGING,
    UNION_GRAPH,
    Release,
    description_triples,
)

STAGED_FILE = "staged.nq.gz"
XSD_DATE = ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")
XSD_YEAR_MONTH = ox.NamedNode("http://www.w3.org/2001/XMLSchema#gYearMonth")


# Engines into which the graphs the served release lacks are loaded under their live names
# (nothing to copy at the switch). Virtuoso: a copy in its switch's transaction ran at
# ~2,300 rows/s (37.5 min at 100,000 commitments); Oxigraph's and Fuseki's MOVE is cheap.
LOADS_DIRECTLY = frozenset({"virtuoso"})


class LoadFailed(RuntimeError):
    """The release was not loaded; the engine serves what it served before."""


@dataclass(frozen=True)
class Staging:
    token: str
    names: dict[str, str]  # live graph IRI -> staging graph IRI
    expected: dict[str, int]  # live graph IRI -> triples
    kept_union: str | None = None  # the union of the release served now, kept one load

    def staged(self, live: str) -> str:
        return self.names[live]

    @property
    def moved(self) -> list[tuple[str, str]]:
        """(live, staged) of the graphs the switch gives their live names: all but the
        union, which the release's description names where it was staged, and the graphs
        loaded under their live names (``direct``)."""
        return [(live, staged) for live, staged in sorted(self.names.items())
                if live != UNION_GRAPH and live != staged]

    @property
    def direct(self) -> list[str]:
        """Graphs loaded under their live names: none of the release served has them, so
        no reader consults them before the switch (``staging_for``)."""
        return sorted(live for live, staged in self.names.items() if live == staged)

    def gone(self, previous: Release | None) -> list[str]:
        """Graphs of the previous release that the switch deletes: those the new one lacks
        (its union stays until the next load: a web tier may still read it)."""
        if previous is None:
            return []
        gone = set(previous.named_graphs) - set(self.names)
        if previous.union_graph == UNION_GRAPH:  # loaded by an earlier version: replaced
            gone.add(UNION_GRAPH)
        return sorted(gone)


def staging_for(manifest: dict[str, Any], previous: Release | None = None,
                direct: bool = False) -> Staging:
    """Staging names for a load of a release: specific to the load (its build id and the
    time), so two loads never mix. The union keeps its staging name once switched, and
    the union of ``previous`` (the release served now) is kept through the next load.
    ``direct``: the named graphs ``previous`` lacks keep their live names (readers of
    ``previous`` never consult them: its graph list is the dataset of every query)."""
    token = hashlib.sha256(f"{manifest['build_id']} {time.time_ns()}".encode()).hexdigest()[:12]
    served = set(previous.named_graphs) if previous else set()
    graphs = sorted([str(iri) for iri, _ in manifest["graph_triples"]]
                    + [UNION_GRAPH, RELEASE_GRAPH])
    names = {live: live if direct and live not in served and not live.startswith(INTERNAL)
             else f"{STAGING}{token}:{n}" for n, live in enumerate(graphs)}
    expected = {str(iri): int(n) for iri, n in manifest["graph_triples"]}
    expected[UNION_GRAPH] = int(manifest["triples"])
    kept = previous.union_graph if previous and previous.union_graph != UNION_GRAPH else None
    expected[RELEASE_GRAPH] = len(description_triples(manifest, names[UNION_GRAPH], kept))
    return Staging(token, names, expected, kept)


def release_layout(path: Path) -> BuildLayout:
    """A release folder, or a build folder (its ``current`` release)."""
    layout = BuildLayout(path)
    if not layout.exists() and (path / "current").exists():
        layout = BuildLayout.current(path)
    if not layout.exists():
        raise LoadFailed(f"no release in {path} (no build.json)")
    return layout


class MonthDayClashes:
    """Per graph, the (subject, predicate, month) stated both as the xsd:gYearMonth
    "YYYY-MM" and as the xsd:date "YYYY-MM-01": one triple fewer each in an engine that
    stores a month as its first day (``EngineProfile.month_is_first_day``)."""

    def __init__(self) -> None:
        self.months: dict[str, set[tuple]] = {}
        self.first_days: dict[str, set[tuple]] = {}

    def see(self, graph: str, triple: ox.Triple | ox.Quad) -> None:
        value = triple.object
        if not isinstance(value, ox.Literal):
            return
        if value.datatype == XSD_YEAR_MONTH:
            self.months.setdefault(graph, set()).add((triple.subject, triple.predicate,
                                                      value.value))
        elif value.datatype == XSD_DATE and len(value.value) == 10 and \
                value.value.endswith("-01"):
            self.first_days.setdefault(graph, set()).add((triple.subject, triple.predicate,
                                                          value.value[:7]))

    def per_graph(self) -> dict[str, int]:
        return {graph: len(months & self.first_days.get(graph, set()))
                for graph, months in self.months.items()
                if months & self.first_days.get(graph, set())}


def _renamed(layout: BuildLayout, staging: Staging, manifest: dict[str, Any],
             counts: Counter[str], clashes: MonthDayClashes) -> Iterator[ox.Quad]:
    names = {live: ox.NamedNode(staged) for live, staged in staging.names.items()}
    with gzip.open(layout.nquads_dump, "rb") as stream:
        for quad in ox.parse(stream, format=ox.RdfFormat.N_QUADS):
            live = quad.graph_name.value if isinstance(quad.graph_name, ox.NamedNode) else ""
            if live not in names or live in (UNION_GRAPH, RELEASE_GRAPH):
                raise LoadFailed(f"{layout.nquads_dump}: graph {quad.graph_name} is not in "
                                 "the manifest")
            counts[live] += 1
            clashes.see(live, quad)
            yield ox.Quad(quad.subject, quad.predicate, quad.object, names[live])
    union = names[UNION_GRAPH]
    with gzip.open(layout.ntriples_dump, "rb") as stream:
        for triple in ox.parse(stream, format=ox.RdfFormat.N_TRIPLES):
            counts[UNION_GRAPH] += 1
            clashes.see(UNION_GRAPH, triple)
            yield ox.Quad(triple.subject, triple.predicate, triple.object, union)
    for triple in description_triples(manifest, staging.names[UNION_GRAPH],
                                      staging.kept_union):
        counts[RELEASE_GRAPH] += 1
        yield ox.Quad(triple.subject, triple.predicate, triple.object, names[RELEASE_GRAPH])


def prepare(layout: BuildLayout, staging: Staging, folder: Path,
            clashes: MonthDayClashes | None = None) -> Path:
    """Write the staged N-Quads into ``folder``; LoadFailed if the dumps are unreadable or
    disagree with the manifest."""
    manifest = layout.manifest()
    target = folder / STAGED_FILE
    counts: Counter[str] = Counter()
    try:
        with gzip.open(target, "wb", compresslevel=1) as out:
            ox.serialize(_renamed(layout, staging, manifest, counts,
                                  clashes or MonthDayClashes()), out,
                         format=ox.RdfFormat.N_QUADS)
    except (OSError, EOFError, SyntaxError, ValueError) as exc:
        raise LoadFailed(f"cannot read the release's dumps in {layout.root}: {exc}") from exc
    wrong = {g: (counts[g], n) for g, n in staging.expected.items() if counts[g] != n}
    if wrong:
        raise LoadFailed(f"the dumps of {layout.root} disagree with build.json "
                         f"(graph: (read, expected)): {wrong}")
    return target


class Loader(Protocol):
    """What each engine does for a load (``GspLoader``, ``VirtuosoLoader``)."""

    def stage(self, staged_file: Path, staging: Staging) -> None: ...

    def switch(self, staging: Staging, previous: Release | None) -> None: ...

    def drop(self, graphs: list[str]) -> None: ...

    def counts(self, graphs: list[str]) -> dict[str, int] | None:
        """Triples per graph by the engine's own means, or None: ask over SPARQL (whose
        time limit, e.g. Virtuoso's MaxQueryExecutionTime, a count of millions may pass)."""
        ...

    def staging_graphs(self) -> list[str] | None:
        """Graphs under the staging prefix by the engine's own means, or None: SPARQL."""
        ...

    def close(self) -> None: ...


def loader_for(endpoint: Endpoint, timeout: float) -> Loader:
    if endpoint.kind == "virtuoso":
        from ogpgraph.store.virtuoso_load import VirtuosoLoader

        return VirtuosoLoader(endpoint)
    if endpoint.kind in ("oxigraph", "fuseki"):
        from ogpgraph.store.gsp_load import GspLoader

        return GspLoader(endpoint, timeout)
    raise LoadFailed(f"cannot load into a {endpoint.kind} endpoint: give its kind "
                     "(oxigraph+http://…, fuseki+http://…, virtuoso+http://…)")


def load_release(release_dir: Path, endpoint: Endpoint | str, *, timeout: float = 600.0,
                 work_dir: Path | None = None) -> Release:
    """Load the release in ``release_dir`` (or the current release of a build folder) into
    the engine and make it the one served; see the module docstring."""
    from ogpgraph.store.remote_store import RemoteStore

    if isinstance(endpoint, str):
        endpoint = parse_store_url(endpoint)
    layout = release_layout(release_dir)
    manifest = layout.manifest()
    reader = RemoteStore(endpoint, timeout=timeout)
    loader = loader_for(endpoint, timeout)
    try:
        previous = reader.read_release()
        staging = staging_for(manifest, previous, direct=endpoint.kind in LOADS_DIRECTLY)
        # what no release reads: leftovers of a failed load (staging graphs, graphs under
        # live names the served release lacks) and the union kept from the release before
        loader.drop(leftover_staging(reader, loader) + staging.direct + (
            [previous.kept_union] if previous and previous.kept_union else []))
        with tempfile.TemporaryDirectory(dir=work_dir, prefix="ogpgraph-load-") as folder:
            clashes = MonthDayClashes()
            staged = prepare(layout, staging, Path(folder), clashes)
            if endpoint.profile.month_is_first_day:
                staging = merged_by_engine(staging, clashes.per_graph())
            try:
                loader.stage(staged, staging)
                check_staged(reader, staging, loader)
                loader.switch(staging, previous)
            except BaseException:
                _drop_quietly(loader, list(staging.names.values()))
                raise
        current = reader.read_release()
    except LoadFailed:
        raise
    except Exception as exc:
        raise LoadFailed(f"loading {layout.root} into {endpoint.query_url} failed: "
                         f"{type(exc).__name__}: {exc}") from exc
    finally:
        loader.close()
        reader.close()
    if current is None or current.build_id != manifest["build_id"]:
        raise LoadFailed(f"the engine serves {current and current.build_id} after the load")
    return current


def merged_by_engine(staging: Staging, merged: dict[str, int]) -> Staging:
    """The counts to expect from an engine that keeps one of each clash (a warning says
    how many: the engine answers those months as their first day's date)."""
    if not merged:
        return staging
    warnings.warn(f"the engine stores a month (xsd:gYearMonth) as its first day: it keeps "
                  f"one triple where a resource has both (graph: triples) {merged}",
                  EngineMerges, stacklevel=2)
    expected = {g: n - merged.get(g, 0) for g, n in staging.expected.items()}
    return Staging(staging.token, staging.names, expected, staging.kept_union)


class EngineMerges(UserWarning):
    """The engine holds fewer triples than the release, for a documented reason."""


def _drop_quietly(loader: Loader, graphs: list[str]) -> None:
    try:
        loader.drop(graphs)
    except Exception:  # the engine may be gone: the next load drops them
        pass


def leftover_staging(reader: Any, loader: Loader | None = None) -> list[str]:
    """Staging graphs of earlier loads that did not finish: those under the staging prefix
    but the unions the served release names (its own, and the one kept)."""
    found = loader.staging_graphs() if loader is not None else None
    if found is None:
        rows = reader.select_raw(
            f'SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} '
            f'FILTER(STRSTARTS(STR(?g), "{STAGING}")) }}')
        found = [row["g"].value for row in rows]
    current = reader.read_release()
    read = {current.union_graph, current.kept_union} if current else set()
    return [graph for graph in found if graph not in read]


def check_staged(reader: Any, staging: Staging, loader: Loader | None = None) -> None:
    """The engine's count of every staging graph must be the manifest's."""
    found = loader.counts(list(staging.names.values())) if loader is not None else None
    if found is None:
        query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        rows = reader.select_raw(query, default_graphs=(NO_GRAPH,),
                                 named_graphs=tuple(staging.names.values()))
        found = {row["g"].value: int(row["n"].value) for row in rows}
    wrong = {live: (found.get(staged, 0), staging.expected[live])
             for live, staged in staging.names.items()
             if found.get(staged, 0) != staging.expected[live]}
    if wrong:
        raise LoadFailed(f"the engine holds other counts than build.json "
                         f"(graph: (engine, expected)): {wrong}")
