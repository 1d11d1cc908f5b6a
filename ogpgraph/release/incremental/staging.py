"""The new release's on-disk store, made from the previous one by applying what changed.

The previous release's store is copied into the staging folder (its table files, which the
database never rewrites, are hard links when the file system allows) and opened for
writing; the build then removes and adds statements in it. Until :meth:`Staging.patch_union`
has run, its default graph still holds the previous release's union: everything read from
it here skips the default graph, as a full build's store has none at these steps.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from ogpgraph.release.precedence import Triple

TABLE_SUFFIX = ".sst"  # RocksDB's immutable table files


def copy_store(source: Path, target: Path) -> None:
    """A copy of the store folder ``source`` (read by nobody but readers) at ``target``."""
    target.mkdir(parents=True)
    for path in sorted(source.iterdir()):
        if not path.is_file() or path.name == "LOCK":
            continue
        if path.suffix == TABLE_SUFFIX:
            try:
                os.link(path, target / path.name)
                continue
            except OSError:
                pass
        shutil.copyfile(path, target / path.name)


def quads_of(lines: bytes) -> list[ox.Quad]:
    return list(ox.parse(lines, ox.RdfFormat.N_QUADS)) if lines else []


def subject_of(line: bytes) -> str:
    """The subject IRI of an N-Quads/N-Triples line (the data has no blank nodes)."""
    return line[1:line.index(b">")].decode()


def line_diff(old: bytes, new: bytes) -> tuple[bytes, bytes]:
    """(lines only in ``old``, lines only in ``new``) of two runs of unique lines."""
    before, after = set(old.splitlines(keepends=True)), set(new.splitlines(keepends=True))
    return b"".join(sorted(before - after)), b"".join(sorted(after - before))


class Staging:
    """The staging store, and the changes applied to it."""

    def __init__(self, previous: Path, folder: Path) -> None:
        copy_store(previous, folder)
        self.store = ox.Store(str(folder))

    def close(self) -> None:
        """Let the database go (its background threads stop), so a failed build's staging
        folder can be removed: this is its only reference."""
        self.store.flush()
        del self.store

    def apply(self, removed: bytes, added: bytes) -> None:
        """N-Quads lines removed from and added to the named graphs."""
        for quad in quads_of(removed):
            self.store.remove(quad)
        if added:
            self.store.extend(quads_of(added))

    def named(self, iri: str, skipped: frozenset[str] = frozenset()) -> list[ox.Quad]:
        """The statements about ``iri`` in the named graphs (but ``skipped``)."""
        return [q for q in self.store.quads_for_pattern(ox.NamedNode(iri), None, None, None)
                if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value not in skipped]

    def union_now(self, iri: str, dropped: set[Triple]) -> set[Triple]:
        """What the new default graph says of ``iri``: every named graph's statements,
        less the values the precedence of sources leaves out."""
        return {(q.subject, q.predicate, q.object) for q in self.named(iri)
                if (q.subject, q.predicate, q.object) not in dropped}

    def union_before(self, iri: str) -> set[Triple]:
        return {(q.subject, q.predicate, q.object) for q in self.store.quads_for_pattern(
            ox.NamedNode(iri), None, None, ox.DefaultGraph())}

    def patch_union(self, subjects: Iterable[str], dropped: set[Triple]
                    ) -> dict[str, tuple[set[Triple], set[Triple]]]:
        """Bring the default graph's statements about ``subjects`` up to date; returns, for
        each subject whose statements changed, the statements removed and added."""
        changed: dict[str, tuple[set[Triple], set[Triple]]] = {}
        for iri in sorted(subjects):
            before, now = self.union_before(iri), self.union_now(iri, dropped)
            if before == now:
                continue
            removed, added = before - now, now - before
            for s, p, o in removed:
                self.store.remove(ox.Quad(s, p, o, ox.DefaultGraph()))
            self.store.extend(ox.Quad(s, p, o, ox.DefaultGraph()) for s, p, o in added)
            changed[iri] = (removed, added)
        return changed
