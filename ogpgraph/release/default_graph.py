"""The default graph of a release, built and checked before anything of it is published.

It is the union of the named graphs read back from the N-Quads dump (each fact once), minus
the values the precedence of sources leaves out (``release/precedence.py``). It is held in
one named graph of an in-memory store (:data:`UNION_GRAPH`, never published under that name)
so that the shapes compiled to SPARQL, which read each data graph with ``GRAPH ?g``, check
it exactly as they check each source graph: the published SPARQL default graph conforms to
the published shapes, or the build stops and the previous release stays published.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pyoxigraph as ox

from ogpgraph.release.precedence import Triple
from ogpgraph.validation.run import validate_store_graphs

UNION_GRAPH = ox.NamedNode("urn:ogpgraph:build:default-graph")


class DefaultGraphViolations(Exception):
    """The default graph violates the shapes: one line per violation."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        super().__init__(f"the default graph violates the shapes ({len(lines)} violation(s))")


def default_graph_of(nquads_gz: Path, dropped: list[Triple]) -> ox.Store:
    """The union of the dump's graphs as :data:`UNION_GRAPH`, minus ``dropped``."""
    union = ox.Store()
    with gzip.open(nquads_gz, "rb") as stream:
        union.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, UNION_GRAPH)
                          for q in ox.parse(stream, ox.RdfFormat.N_QUADS))
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
