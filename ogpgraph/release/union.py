"""Counts taken on a release's default graph, and the on-disk store (named graphs and their
union). The default graph itself is built and checked by ``release/default_graph.py``."""

from __future__ import annotations

import gzip
from pathlib import Path

import pyoxigraph as ox
from rdflib.namespace import SKOS

from ogpgraph.graph.uris import Uris
from ogpgraph.release.dumps import DumpWriter, Formats, bucket_order, bucketed
from ogpgraph.release.layout import BuildLayout

COUNTED_CLASSES = {
    "commitments": "Commitment",
    "members": "Member",
    "action_plans": "ActionPlan",
    "institutions": "Institution",
    "irm_reports": "IRMReport",
    "assessments": "Assessment",
    "milestones": "Milestone",
}


def _count(union: ox.Store, query: str, in_named: bool) -> int:
    rows = union.query(query, use_default_graph_as_union=in_named)
    return int(next(iter(rows))["n"].value)  # type: ignore[index]


def entity_counts(union: ox.Store, base: str, in_named: bool = True) -> dict[str, int]:
    """Distinct instances of each counted class, and the policy-area concepts, in the
    union of the store's graphs (``in_named``) or in its default graph (a release's store,
    whose default graph is the union)."""
    counts = {name: _count(union, f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a "
                                  f"<{base}ontology#{cls}> }}", in_named)
              for name, cls in COUNTED_CLASSES.items()}
    scheme = Uris(base).scheme("policy-area")
    counts["policy_areas"] = _count(union, "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c "
                                    f"<{SKOS.inScheme}> <{scheme}> }}", in_named)
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


def write_union_dumps(layout: BuildLayout, base: str, union: ox.Store,
                      graph: ox.NamedNode) -> dict[str, dict]:
    """The union dumps from the default graph (``graph`` of ``union``), bucket by bucket."""
    buckets = bucketed(union.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph), base)
    writer = DumpWriter(layout, "union", Formats(base))
    try:
        for bucket in sorted(buckets, key=bucket_order):
            writer.add(bucket, b"".join(sorted(set(buckets.pop(bucket)))))
    except BaseException:
        writer.abort()
        raise
    return writer.close()
