"""The writing step: the history of a new release, recorded before its dumps are written
(the history graph goes into the quad store, hence into every dump and store)."""

from __future__ import annotations

import gzip
import io
import shutil
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox
from rdflib.namespace import DCTERMS

from ogpgraph.release.history.database import HistoryWriter
from ogpgraph.release.history.diff import Context, compare
from ogpgraph.release.history.facts import (
    Dropped,
    digests_of,
    dropped_keys,
    facts_in,
    objects_in,
    resource_filter,
)
from ogpgraph.release.history.iris import HistoryIris
from ogpgraph.release.history.layout import HistoryLayout
from ogpgraph.release.history.model import (
    CHANGE_KINDS,
    Change,
    Facts,
    ReleaseRecord,
    next_release_time,
    release_id_of,
)
from ogpgraph.release.history.previous import PreviousRelease
from ogpgraph.release.history.rdf import HistoryQuads

GZIP_LEVEL = 4  # as the dumps


@contextmanager
def appended_gzip(path: Path, previous: Path | None, built_at: datetime) -> Iterator[IO[str]]:
    """``path`` = the previous file's bytes, then one more gzip member with what is
    written: the earlier part is copied, never recompressed (gzip readers read the members
    one after the other). The header carries the build time: reproducible bytes."""
    with path.open("wb") as raw:
        if previous is not None:
            with previous.open("rb") as earlier:
                shutil.copyfileobj(earlier, raw)
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=GZIP_LEVEL,
                           mtime=int(built_at.timestamp())) as packed, \
                io.TextIOWrapper(packed, encoding="utf-8", newline="\n") as text:
            yield text


def member_finder(base: str, stores: list[ox.Store]) -> Callable[[str, Facts], str | None]:
    """The OGP member a resource belongs to: itself, its ``ogp:member``, or that of the
    commitment a milestone or an assessment belongs to."""
    members, ogp = f"{base}id/member/", f"{base}ontology#"
    member = f"<{ogp}member>"
    owners = (f"<{DCTERMS.isPartOf}>", f"<{ogp}assessedCommitment>")
    cache: dict[str, str | None] = {}

    def owner_member(owner: str) -> str | None:
        if owner not in cache:
            found = [m for store in stores for m in objects_in(store, owner, member[1:-1])]
            cache[owner] = min(found) if found else None
        return cache[owner]

    def member_of(iri: str, facts: Facts) -> str | None:
        if iri.startswith(members):
            return iri
        direct = sorted(o for p, o in facts if p == member)
        if direct:
            return direct[0][1:-1]
        for owner in sorted(o[1:-1] for p, o in facts if p in owners and o.startswith("<")):
            if (found := owner_member(owner)) is not None:
                return found
        return None

    return member_of


def source_description(store: ox.Store, iri: str) -> tuple[str, str | None, str | None]:
    """A source's IRI, title and checksum as its own graph states them."""
    def literal(predicate: str) -> str | None:
        values = sorted(q.object.value for q in store.quads_for_pattern(
            ox.NamedNode(iri), ox.NamedNode(predicate), None, ox.NamedNode(iri))
            if isinstance(q.object, ox.Literal))
        return values[0] if values else None
    return iri, literal(str(DCTERMS.title)), literal(str(DCTERMS.identifier))


@dataclass
class HistoryScope:
    """Which resources a build compares with the previous release: all of them (a full
    build: ``resources`` None), or those whose statements may have changed (an incremental
    build). ``loaded``: the history quads added to the store, all of them or only this
    release's (an incremental build's store already holds the earlier ones)."""

    resources: set[str] | None = None
    loaded: list[str] = field(default_factory=list)


# long: one sequence of writes into the history's two files, in the order readers rely on
def record_history(store: ox.Store, release_root: Path, base: str, built_at: datetime,
                   sources: list[dict[str, Any]], previous_root: Path | None,
                   dropped: Iterable[tuple[Any, Any, Any]] = (),
                   scope: HistoryScope | None = None) -> dict[str, Any]:
    """Compare ``store`` (the new release's source graphs, less the values the default
    graph leaves out: ``dropped``) with the previous release, write ``history/`` and add
    the history graph to ``store``. Returns the manifest's ``history`` section."""
    scope = scope or HistoryScope()
    left_out = dropped_keys(dropped)
    history = HistoryLayout(release_root)
    history.folder.mkdir(parents=True)
    previous, restart = PreviousRelease.find(previous_root)
    writer = HistoryWriter(history.database, previous.history.database if previous else None)
    last = writer.last_release()
    moment = next_release_time(built_at, last[1] if last else None)
    release = ReleaseRecord(release_id_of(moment), moment, last[0] if last else None,
                            tuple(sorted(str(s["iri"]) for s in sources)))
    counts = dict.fromkeys(CHANGE_KINDS, 0)
    graph = HistoryIris(base).graph
    quads = store if scope.resources is None else (
        q for iri in sorted(scope.resources)
        for q in store.quads_for_pattern(ox.NamedNode(iri), None, None, None))
    now = digests_of(quads, resource_filter(base), graph, left_out)
    before = previous.digests(scope.resources) if previous is not None else {}
    with appended_gzip(history.quads, previous.history.quads if previous else None,
                       built_at) as out:
        rdf = HistoryQuads(base)
        lines = list(rdf.release(release))
        described = writer.known_sources()
        new_sources = [source_description(store, str(s["iri"])) for s in sources
                       if str(s["iri"]) not in described]
        writer.add_sources(new_sources)
        for iri, title, identifier in sorted(new_sources):
            lines += rdf.source(iri, title, identifier)
        out.writelines(lines)
        for change in changes_between(store, previous, base, (now, before), left_out):
            writer.add_change(release, change)
            counts[change.kind] += 1
            written = list(rdf.change(release, change))
            out.writelines(written)
            lines += written if scope.resources is not None else ()
        writer.add_release(release, counts)
        writer.update_digests([iri for iri in before if iri not in now],
                              {iri: d for iri, d in now.items() if before.get(iri) != d})
        total = writer.total_changes()
        writer.close()
    if previous is not None:
        previous.close()
    if scope.resources is None:
        with gzip.open(history.quads, "rb") as stream:
            store.bulk_load(input=stream, format=ox.RdfFormat.N_QUADS)
    else:
        scope.loaded = lines
        store.bulk_extend(ox.parse("".join(lines).encode(), ox.RdfFormat.N_QUADS))
    return {"release_id": release.id, "timestamp": release.iso_time,
            "previous_release": release.previous, "changes": counts, "total_changes": total,
            "graph": graph, **({"restarted": restart} if restart and previous_root else {})}


def changes_between(store: ox.Store, previous: PreviousRelease | None, base: str,
                    digests: tuple[dict[str, int], dict[str, int]],
                    dropped: Dropped = frozenset()) -> Iterator[Change]:
    """The changes from ``previous`` (nothing, for a first release) to ``store``, by IRI:
    the resources whose digest (``digests``: now, before) differs."""
    graph = HistoryIris(base).graph
    now, before = digests
    candidates = sorted(iri for iri in now.keys() | before.keys()
                        if now.get(iri) != before.get(iri))
    stores = [store] + ([previous.store] if previous is not None else [])
    context = Context(base, member_finder(base, stores))
    for iri in candidates:
        old = previous.facts(iri, graph) if previous is not None else {}
        change = compare(iri, old, facts_in(store, iri, graph, dropped), context)
        if change is not None:
            yield change
