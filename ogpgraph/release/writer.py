"""Writing one release folder: the Oxigraph store, the dumps and the manifest.

rdflib builds each source's (small) graph; Oxigraph loads them and serialises every
large file, which is orders of magnitude faster than rdflib's writers.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox
from rdflib import Graph, URIRef

from ogpgraph.graph.static_files import ONTOLOGY_FILE, SHAPES_FILE, VOCABULARIES_FILE, rebased_text
from ogpgraph.graph.terms import prefixes_for
from ogpgraph.graph.uris import Uris
from ogpgraph.release.layout import BuildLayout
from ogpgraph.release.listings import build_listing_index
from ogpgraph.release.memory import return_free_memory
from ogpgraph.store.base import GRAPH_SIZES_QUERY

# zlib level 4: within a few percent of level 6's size at about twice its speed
GZIP_LEVEL = 4


class Progress(Protocol):
    def step(self, description: str, total: int) -> None: ...
    def advance(self) -> None: ...


COUNT_QUERIES = {
    "commitments": "ogp:Commitment",
    "members": "ogp:Member",
    "action_plans": "ogp:ActionPlan",
    "institutions": "ogp:Institution",
    "irm_reports": "ogp:IRMReport",
    "assessments": "ogp:Assessment",
    "milestones": "ogp:Milestone",
}


def dump_prefixes(base: str) -> dict[str, str]:
    prefixes = prefixes_for(base)
    for kind in ("commitment", "member", "action-plan", "institution", "policy-area",
                 "milestone", "assessment", "irm-report"):
        prefixes[kind.replace("-", "")] = f"{base}id/{kind}/"
    return prefixes


def load_text_into(store: ox.Store, turtle: str, graph_iri: URIRef) -> None:
    store.load(input=turtle.encode("utf-8"), format=ox.RdfFormat.TURTLE,
               to_graph=ox.NamedNode(str(graph_iri)))


def file_entry(path: Path, media_type: str, triples: int | None, description: str) -> dict:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return {"file": path.name, "media_type": media_type, "bytes": path.stat().st_size,
            "sha256": digest.hexdigest(), "triples": triples, "description": description}




def count(union: ox.Store, base: str, rdf_class: str) -> int:
    """Distinct instances of ``rdf_class`` in a store whose default graph is the union."""
    query = (f"PREFIX ogp: <{base}ontology#> SELECT (COUNT(DISTINCT ?s) AS ?n) "
             f"WHERE {{ ?s a {rdf_class} }}")
    return int(next(iter(union.query(query)))["n"].value)


def union_of(nquads_gz: Path) -> ox.Store:
    """The union of the named graphs as one default graph, each fact once (a store is a
    set), read back from the N-Quads dump so that the quad store need not stay alive."""
    union = ox.Store()
    with gzip.open(nquads_gz, "rb") as stream:
        union.bulk_extend(ox.Quad(q.subject, q.predicate, q.object)
                          for q in ox.parse(stream, ox.RdfFormat.N_QUADS))
    return union


def write_disk_store(layout: BuildLayout) -> None:
    """The on-disk store: the named graphs and, as its default graph, their union (what
    ``ogpgraph serve`` runs GRAPH and FROM queries on). Loaded from the dumps rather than
    from stores in memory: Oxigraph's bulk loader buffers about as much again as the store
    it reads (+1.9 GB at 100,000 commitments)."""
    disk = ox.Store(str(layout.store_dir))
    with gzip.open(layout.nquads_dump, "rb") as stream:
        disk.bulk_load(input=stream, format=ox.RdfFormat.N_QUADS)
    with gzip.open(layout.ntriples_dump, "rb") as stream:
        disk.bulk_load(input=stream, format=ox.RdfFormat.N_TRIPLES)
    disk.flush()


def write_release(staging: Path, *, stores: list[ox.Store], sources: list[dict[str, Any]],
                  report: Graph, base: str, built_at: datetime, warnings: list[str],
                  shacl_warnings: list[str], progress: Progress) -> dict[str, Any]:
    """Dumps, on-disk store, listing index, validation report and manifest of a loaded,
    validated store.

    ``stores`` hands over the only reference to the store: it is released once the
    N-Quads dump is written; the union of the graphs (for the listing index and the
    N-Triples, Turtle and JSON-LD dumps) and then the on-disk store are read back from
    the dumps, one at a time, so no two large structures sit in memory together."""
    store = stores.pop()
    layout = BuildLayout(staging)
    layout.dumps_dir.mkdir(parents=True)
    uris = Uris(base)

    progress.step("Writing dumps (N-Quads, TriG)", 2)
    prefixes = dump_prefixes(base)
    dumps = layout.dumps_dir
    quads = len(store)
    graph_triples = [[row["g"].value, int(row["n"].value)]
                     for row in store.query(GRAPH_SIZES_QUERY)]  # type: ignore[union-attr]
    with gzip.open(dumps / "ogpgraph.nq.gz", "wb", compresslevel=GZIP_LEVEL) as stream:
        store.dump(stream, ox.RdfFormat.N_QUADS)
    progress.advance()
    store.dump(dumps / "ogpgraph.trig", ox.RdfFormat.TRIG, prefixes=prefixes)
    progress.advance()
    for name, path in (("ontology.ttl", ONTOLOGY_FILE), ("vocabularies.ttl", VOCABULARIES_FILE),
                       ("shapes.ttl", SHAPES_FILE)):
        (dumps / name).write_text(rebased_text(path, base), encoding="utf-8")
    report.serialize(layout.validation_report, format="turtle")

    def triples_of(path: Path) -> int:
        graph_store = ox.Store()
        graph_store.load(path=str(path), format=ox.RdfFormat.TURTLE)
        return len(graph_store)

    entries = [
        file_entry(dumps / "ogpgraph.nq.gz", "application/gzip", quads,
                   "N-Quads with the provenance named graphs (one per source), gzipped"),
        file_entry(dumps / "ogpgraph.trig", "application/trig", quads,
                   "TriG with the provenance named graphs"),
    ]
    static_entries = [
        file_entry(dumps / "ontology.ttl", "text/turtle", triples_of(dumps / "ontology.ttl"),
                   "The ogpgraph OWL ontology"),
        file_entry(dumps / "vocabularies.ttl", "text/turtle",
                   triples_of(dumps / "vocabularies.ttl"), "The SKOS vocabularies"),
        file_entry(dumps / "shapes.ttl", "text/turtle", triples_of(dumps / "shapes.ttl"),
                   "The SHACL shapes"),
    ]
    del store  # the last reference: free it before the on-disk store and the union load
    return_free_memory()
    progress.step("Loading the union of the graphs", 1)
    union = union_of(dumps / "ogpgraph.nq.gz")
    triples = len(union)
    counts = {name: count(union, base, cls) for name, cls in COUNT_QUERIES.items()}
    in_scheme = "<http://www.w3.org/2004/02/skos/core#inScheme>"
    scheme_query = (f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ ?c {in_scheme} "
                    f"<{uris.scheme('policy-area')}> }}")
    counts["policy_areas"] = int(next(iter(union.query(scheme_query)))["n"].value)
    progress.advance()
    progress.step("Writing the listing index", 1)
    build_listing_index(union, base, layout.listings_path, union=False)
    return_free_memory()
    progress.advance()
    progress.step("Writing dumps (N-Triples, Turtle, JSON-LD)", 3)
    with gzip.open(dumps / "ogpgraph.nt.gz", "wb", compresslevel=GZIP_LEVEL) as stream:
        union.dump(stream, ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    progress.advance()
    union.dump(dumps / "ogpgraph.ttl", ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph(),
               prefixes=prefixes)
    progress.advance()
    union.dump(dumps / "ogpgraph.jsonld", ox.RdfFormat.JSON_LD, from_graph=ox.DefaultGraph(),
               prefixes=prefixes)
    del union
    return_free_memory()
    progress.advance()
    progress.step("Writing the on-disk store", 1)
    write_disk_store(layout)
    return_free_memory()
    progress.advance()
    entries = [
        file_entry(dumps / "ogpgraph.ttl", "text/turtle", triples,
                   "The whole dataset (union of all graphs) as Turtle"),
        file_entry(dumps / "ogpgraph.nt.gz", "application/gzip", triples,
                   "The whole dataset as gzipped N-Triples"),
        *entries,
        file_entry(dumps / "ogpgraph.jsonld", "application/ld+json", triples,
                   "The whole dataset as JSON-LD"),
        *static_entries,
    ]
    content_id = hashlib.sha256(json.dumps(sources).encode()).hexdigest()[:12]
    manifest = {
        "build_id": f"{built_at.isoformat()}-{content_id}",
        "built_at": built_at.isoformat(),
        "base_uri": base,
        "triples": triples,
        "quads": quads,
        "store_default_graph": "union",  # the on-disk store holds the union as default graph
        "graph_triples": graph_triples,  # [graph IRI, triples] of every named graph
        "counts": counts,
        "dumps": entries,
        "sources": sources,
        "warnings": warnings + shacl_warnings,
        "validation": {"conforms": True, "violations": 0, "warnings": len(shacl_warnings)},
    }
    layout.manifest_path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False),
                                    encoding="utf-8")
    return manifest
