"""Counts taken on a release's default graph, and the on-disk store (named graphs and their
union). The default graph itself is built and checked by ``release/default_graph.py``."""

from __future__ import annotations

import gzip
from itertools import groupby
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox
from rdflib.namespace import SKOS

from ogpgraph.graph.uris import Uris
from ogpgraph.release.bulk_load import load_dump
from ogpgraph.release.dumps import DumpWriter, Formats, bucket_order, union_bucket
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
    ``ogpgraph serve`` runs GRAPH and FROM queries on). Loaded from the dumps a slice at a
    time (``bulk_load.py``); then compacted, so that readers do not meet the many small
    files the slices made."""
    disk = ox.Store(str(store_dir))
    for dump, rdf_format in ((nquads_gz, ox.RdfFormat.N_QUADS),
                             (ntriples_gz, ox.RdfFormat.N_TRIPLES)):
        with gzip.open(dump, "rb") as stream:
            load_dump(disk, stream, rdf_format)
    disk.optimize()
    disk.flush()


def write_union_dumps(layout: BuildLayout, base: str, union: ox.Store,
                      graph: ox.NamedNode, scratch: Path) -> dict[str, dict]:
    """The union dumps from the default graph (``graph`` of ``union``), bucket by bucket.
    Its N-Triples go through files in the folder ``scratch`` (a file per bucket), so that one
    bucket at a time is held in memory rather than the whole graph, twice (its text and its
    lines: +1.5 GB at 100,000 commitments)."""
    scratch.mkdir(parents=True, exist_ok=True)
    spilled = spill_buckets(union, graph, base, scratch)
    writer = DumpWriter(layout, "union", Formats(base))
    try:
        for bucket in sorted(spilled, key=bucket_order):
            with spilled[bucket].open("rb") as lines:
                writer.add(bucket, b"".join(sorted(set(lines))))
            spilled[bucket].unlink()
    except BaseException:
        writer.abort()
        raise
    return writer.close()


def spill_buckets(union: ox.Store, graph: ox.NamedNode, base: str, scratch: Path
                  ) -> dict[str, Path]:
    """The graph's N-Triples lines written to a file per union bucket (``dumps.bucketed``'s
    buckets), by way of one file of them all."""
    whole = scratch / "union.nt"
    union.dump(whole, format=ox.RdfFormat.N_TRIPLES, from_graph=graph)
    files: dict[str, Path] = {}
    handles: dict[str, BinaryIO] = {}
    try:
        with whole.open("rb") as stream:
            for bucket, group in groupby(stream, key=lambda line: bucketed_line(line, base)):
                if bucket not in handles:
                    files[bucket] = scratch / f"bucket-{len(files)}.nt"
                    handles[bucket] = files[bucket].open("wb")
                handles[bucket].writelines(group)
    finally:
        for handle in handles.values():
            handle.close()
        whole.unlink()
    return files


def bucketed_line(line: bytes, base: str) -> str:
    """The union bucket of one N-Triples line (as ``dumps.bucketed`` files it)."""
    return union_bucket(line[:line.index(b" ")], base.encode())
