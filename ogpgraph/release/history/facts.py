"""Reading a release's resources: their digests (which may have changed) and their facts
(what exactly they state, and in which source graphs)."""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ogpgraph.release.history.model import Facts

DIGEST_MODULUS = 1 << 128


def resource_filter(base: str) -> Callable[[str], bool]:
    """The subjects the history follows: our resources, not the sources (their description
    carries the build time, new at every build) nor the disagreements between sources
    (derived from the resources' facts, which the history already follows)."""
    resources = f"{base}id/"
    derived = (f"{base}id/source/", f"{base}id/disagreement/")
    return lambda iri: iri.startswith(resources) and not iri.startswith(derived)


def fact_hash(predicate: str, obj: str) -> int:
    digest = hashlib.blake2b(f"{predicate} {obj}".encode(), digest_size=16).digest()
    return int.from_bytes(digest, "big")


Dropped = frozenset[tuple[str, str, str]]  # (s, p, o) the default graph leaves out


def dropped_keys(triples: Iterable[tuple[Any, Any, Any]]) -> Dropped:
    """The precedence of sources' left-out values, as keys the readers below skip: the
    history follows the default graph, whose values are what a consumer replicates."""
    return frozenset((s.value, str(p), str(o)) for s, p, o in triples)


def digests_of(quads: Iterable[ox.Quad], keep: Callable[[str], bool],
               skip_graph: str, dropped: Dropped = frozenset()) -> dict[str, int]:
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
        if dropped and (subject.value, str(quad.predicate), str(quad.object)) in dropped:
            continue
        value = fact_hash(str(quad.predicate), str(quad.object))
        sums[subject.value] = (sums.get(subject.value, 0) + value) % DIGEST_MODULUS
    return sums


def dump_digests(nquads_gz: Path, keep: Callable[[str], bool],
                 skip_graph: str) -> dict[str, int]:
    """The digests of a release from its N-Quads dump (a release without history)."""
    with gzip.open(nquads_gz, "rb") as stream:
        return digests_of(ox.parse(stream, ox.RdfFormat.N_QUADS), keep, skip_graph)


def facts_in(store: ox.Store, iri: str, skip_graph: str, dropped: Dropped = frozenset(),
             in_default_graph: bool = False) -> Facts:
    """What ``store``'s named graphs state about ``iri`` (its default graph, where a
    release's on-disk store keeps the union, is left out: the graphs say who said it)."""
    found: Facts = {}
    kept: set[tuple[str, str]] = set()
    for quad in store.quads_for_pattern(ox.NamedNode(iri), None, None, None):
        graph = quad.graph_name
        fact = (str(quad.predicate), str(quad.object))
        if isinstance(graph, ox.DefaultGraph):
            kept.add(fact)
            continue
        if graph.value == skip_graph or (iri, *fact) in dropped:
            continue
        found.setdefault(fact, set()).add(graph.value)
    if in_default_graph:  # a published store: its default graph says which values were kept
        found = {fact: graphs for fact, graphs in found.items() if fact in kept}
    return found


def objects_in(store: ox.Store, iri: str, predicate: str) -> list[str]:
    """The IRIs ``iri`` links to with ``predicate``, in any named graph (a store's default
    graph holds their union, or, while an incremental build patches it, an older one)."""
    return sorted({q.object.value for q in store.quads_for_pattern(
        ox.NamedNode(iri), ox.NamedNode(predicate), None, None)
        if isinstance(q.object, ox.NamedNode) and isinstance(q.graph_name, ox.NamedNode)})
