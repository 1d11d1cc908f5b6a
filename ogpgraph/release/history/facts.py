"""Reading a release's resources: their digests (which may have changed) and their facts
(what exactly they state, and in which source graphs)."""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path

import pyoxigraph as ox

from ogpgraph.release.history.model import Facts

DIGEST_MODULUS = 1 << 128


def resource_filter(base: str) -> Callable[[str], bool]:
    """The subjects the history follows: our resources, not the sources (their description
    carries the build time, new at every build)."""
    resources, sources = f"{base}id/", f"{base}id/source/"
    return lambda iri: iri.startswith(resources) and not iri.startswith(sources)


def fact_hash(predicate: str, obj: str) -> int:
    digest = hashlib.blake2b(f"{predicate} {obj}".encode(), digest_size=16).digest()
    return int.from_bytes(digest, "big")


def digests_of(quads: Iterable[ox.Quad], keep: Callable[[str], bool],
               skip_graph: str) -> dict[str, int]:
    """Per resource, the sum of its facts' hashes, one term per (fact, stating graph): the
    same whatever order the quads come in, so no grouping or sorting is needed. Equal sums
    mean unchanged; unequal ones are compared exactly (:mod:`diff`)."""
    sums: dict[str, int] = {}
    for quad in quads:
        subject = quad.subject
        if not isinstance(subject, ox.NamedNode) or not keep(subject.value):
            continue
        graph = quad.graph_name
        if isinstance(graph, ox.DefaultGraph) or graph.value == skip_graph:
            continue
        value = fact_hash(str(quad.predicate), str(quad.object))
        sums[subject.value] = (sums.get(subject.value, 0) + value) % DIGEST_MODULUS
    return sums


def dump_digests(nquads_gz: Path, keep: Callable[[str], bool],
                 skip_graph: str) -> dict[str, int]:
    """The digests of a release from its N-Quads dump (a release without history)."""
    with gzip.open(nquads_gz, "rb") as stream:
        return digests_of(ox.parse(stream, ox.RdfFormat.N_QUADS), keep, skip_graph)


def facts_in(store: ox.Store, iri: str, skip_graph: str) -> Facts:
    """What ``store``'s named graphs state about ``iri`` (its default graph, where a
    release's on-disk store keeps the union, is left out: the graphs say who said it)."""
    found: Facts = {}
    for quad in store.quads_for_pattern(ox.NamedNode(iri), None, None, None):
        graph = quad.graph_name
        if isinstance(graph, ox.DefaultGraph) or graph.value == skip_graph:
            continue
        found.setdefault((str(quad.predicate), str(quad.object)), set()).add(graph.value)
    return found


def objects_in(store: ox.Store, iri: str, predicate: str) -> list[str]:
    """The IRIs ``iri`` links to with ``predicate``, in any graph."""
    return sorted({q.object.value for q in store.quads_for_pattern(
        ox.NamedNode(iri), ox.NamedNode(predicate), None, None)
        if isinstance(q.object, ox.NamedNode)})
