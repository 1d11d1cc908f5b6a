"""The default graph of a release, built and checked before anything of it is published.

It is the union of the named graphs read back from the N-Quads dump (each fact once), minus
the values the precedence of sources leaves out (``release/precedence.py``). It is held in
one named graph (:data:`UNION_GRAPH`, never published under that name) so that the shapes
compiled to SPARQL, which read each data graph with ``GRAPH ?g``, check it exactly as they
check each source graph: the published SPARQL default graph conforms to the published
shapes, or the build stops and the previous release stays published.

A full build holds it in a scratch on-disk store (RocksDB) rather than in memory: at 100,000
commitments the in-memory store is ~1.9 GB resident for the whole of the validation, the
counts, the listing index and the union dumps, the on-disk one a bounded cache
(``bench/results/build-memory.md``).
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pyoxigraph as ox

from ogpgraph.release.bulk_load import load_quads
from ogpgraph.release.precedence import Triple
from ogpgraph.validation.run import validate_store_graphs

UNION_GRAPH = ox.NamedNode("urn:ogpgraph:build:default-graph")


class DefaultGraphViolations(Exception):
    """The default graph violates the shapes: one line per violation."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        super().__init__(f"the default graph violates the shapes ({len(lines)} violation(s))")


def default_graph_of(nquads_gz: Path, dropped: list[Triple], directory: Path | None = None
                     ) -> ox.Store:
    """The union of the dump's graphs as :data:`UNION_GRAPH`, minus ``dropped``: in a new
    on-disk store at ``directory``, or in memory when it is None."""
    if directory is not None:
        directory.parent.mkdir(parents=True, exist_ok=True)
    union = ox.Store(str(directory)) if directory is not None else ox.Store()
    with gzip.open(nquads_gz, "rb") as stream:
        load_quads(union, (ox.Quad(q.subject, q.predicate, q.object, UNION_GRAPH)
                           for q in ox.parse(stream, ox.RdfFormat.N_QUADS)))
    for subject, predicate, value in dropped:
        union.remove(ox.Quad(subject, predicate, value, UNION_GRAPH))
    return union


def check_default_graph(union: ox.Store, base: str) -> None:
    """Raise :class:`DefaultGraphViolations` when the default graph violates a shape."""
    lines = [f"default graph: {result.focus}: {result.message}"
             + (f" (value {result.value})" if result.value is not None else "")
             for _, result in validate_store_graphs(union, base, [UNION_GRAPH.value])
             if result.severity == "Violation"]
    if lines:
        raise DefaultGraphViolations(lines)
