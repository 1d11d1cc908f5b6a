"""The union of a release's graphs (each fact once) and the counts taken on it."""

from __future__ import annotations

import gzip
from pathlib import Path

import pyoxigraph as ox
from rdflib.namespace import SKOS

from ogpgraph.graph.uris import Uris

COUNTED_CLASSES = {
    "commitments": "Commitment",
    "members": "Member",
    "action_plans": "ActionPlan",
    "institutions": "Institution",
    "irm_reports": "IRMReport",
    "assessments": "Assessment",
    "milestones": "Milestone",
}


def union_of(nquads_gz: Path) -> ox.Store:
    """The union of the named graphs as one default graph, each fact once (a store is a
    set), read back from the N-Quads dump so that the quad store need not stay alive."""
    union = ox.Store()
    with gzip.open(nquads_gz, "rb") as stream:
        union.bulk_extend(ox.Quad(q.subject, q.predicate, q.object)
                          for q in ox.parse(stream, ox.RdfFormat.N_QUADS))
    return union


def _count(union: ox.Store, query: str) -> int:
    return int(next(iter(union.query(query)))["n"].value)  # type: ignore[index]


def entity_counts(union: ox.Store, base: str) -> dict[str, int]:
    """Distinct instances of each counted class, and the policy-area concepts."""
    counts = {name: _count(union, f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a "
                                  f"<{base}ontology#{cls}> }}")
              for name, cls in COUNTED_CLASSES.items()}
    scheme = Uris(base).scheme("policy-area")
    counts["policy_areas"] = _count(union, "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c "
                                    f"<{SKOS.inScheme}> <{scheme}> }}")
    return counts


def write_disk_store(store_dir: Path, nquads_gz: Path, ntriples_gz: Path) -> None:
    """The on-disk store: the named graphs and, as its default graph, their union (what
    ``ogpgraph serve`` runs GRAPH and FROM queries on). Loaded from the dumps rather than
    from stores in memory: Oxigraph's bulk loader buffers about as much again as the store
    it reads (+1.9 GB at 100,000 commitments)."""
    disk = ox.Store(str(store_dir))
    with gzip.open(nquads_gz, "rb") as stream:
        disk.bulk_load(input=stream, format=ox.RdfFormat.N_QUADS)
    with gzip.open(ntriples_gz, "rb") as stream:
        disk.bulk_load(input=stream, format=ox.RdfFormat.N_TRIPLES)
    disk.flush()
