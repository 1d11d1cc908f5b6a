"""The embedded store as ``ogpgraph serve`` loads a build: the union of the named graphs
in memory, the named graphs in the on-disk store (or, for releases of earlier versions,
both in memory)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pyoxigraph as ox
import pytest

from ogpgraph.release.layout import BuildLayout
from ogpgraph.release.union import write_disk_store
from ogpgraph.store.oxigraph_store import OxigraphStore

EX = "http://example.org/"
SHARED = (ox.NamedNode(f"{EX}c1"), ox.NamedNode(f"{EX}title"), ox.Literal("Open data"))
ONLY_B = (ox.NamedNode(f"{EX}c2"), ox.NamedNode(f"{EX}title"), ox.Literal("Budgets"))
GRAPH_A, GRAPH_B = ox.NamedNode(f"{EX}source/a"), ox.NamedNode(f"{EX}source/b")
ALL_TRIPLES = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"


def write_dumps(folder: Path) -> tuple[Path, Path]:
    """Two sources stating one fact in common, dumped as the build dumps them."""
    quads = [ox.Quad(*SHARED, GRAPH_A), ox.Quad(*SHARED, GRAPH_B), ox.Quad(*ONLY_B, GRAPH_B)]
    nquads, ntriples = folder / "ogpgraph.nq.gz", folder / "ogpgraph.nt.gz"
    nquads.write_bytes(gzip.compress(ox.serialize(quads, format=ox.RdfFormat.N_QUADS)))
    ntriples.write_bytes(gzip.compress(ox.serialize(
        [ox.Triple(*SHARED), ox.Triple(*ONLY_B)], format=ox.RdfFormat.N_TRIPLES)))
    return nquads, ntriples


def union_in_memory_named_graphs_on_disk(folder: Path) -> OxigraphStore:
    """How ``ogpgraph serve`` opens a release of this version."""
    layout = BuildLayout(folder)
    layout.dumps_dir.mkdir()
    write_dumps(layout.dumps_dir)
    write_disk_store(layout.store_dir, layout.nquads_dump, layout.ntriples_dump)
    return OxigraphStore.union_in_memory(layout.ntriples_dump, layout.store_dir)


def both_in_memory(folder: Path) -> OxigraphStore:
    return OxigraphStore.in_memory_with_union(*write_dumps(folder))


LAYOUTS = [union_in_memory_named_graphs_on_disk, both_in_memory]


@pytest.mark.parametrize("open_store", LAYOUTS)
def test_the_default_graph_holds_each_fact_once(tmp_path: Path, open_store) -> None:
    store = open_store(tmp_path)
    assert store.union_materialised
    rows = store.select(ALL_TRIPLES)
    assert sorted(str(r["o"]) for r in rows) == ["Budgets", "Open data"]
    assert store.triple_count() == 2


@pytest.mark.parametrize("open_store", LAYOUTS)
def test_named_graphs_keep_their_provenance(tmp_path: Path, open_store) -> None:
    store = open_store(tmp_path)
    graphs = store.select(f"SELECT ?g WHERE {{ GRAPH ?g {{ <{EX}c1> ?p ?o }} }} ORDER BY ?g")
    assert [str(r["g"]) for r in graphs] == [GRAPH_A.value, GRAPH_B.value]
    assert store.quad_count() == 3  # the named graphs' quads, the stored union not counted
    only_a = store.select(f"SELECT ?s FROM <{GRAPH_A.value}> WHERE {{ ?s ?p ?o }}")
    assert [str(r["s"]) for r in only_a] == [f"{EX}c1"]


def test_union_on_the_fly_sees_the_same_facts(tmp_path: Path) -> None:
    nquads, _ = write_dumps(tmp_path)
    on_the_fly = OxigraphStore.in_memory_from_nquads_gz(nquads)
    assert not on_the_fly.union_materialised
    distinct = on_the_fly.select("SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o }")
    assert sorted(str(r["o"]) for r in distinct) == ["Budgets", "Open data"]
    assert on_the_fly.triple_count() == 2


def test_only_queries_that_read_named_graphs_go_to_disk(tmp_path: Path) -> None:
    store = union_in_memory_named_graphs_on_disk(tmp_path)
    assert len(store.store) == 2  # memory holds the union alone
    assert store.for_query(named_graphs=False) == (store.store, True)
    on_disk, union_stored = store.for_query(named_graphs=True)
    assert on_disk is not store.store and union_stored
    assert len(on_disk) == 3 + 2  # the quads, and the union as the default graph
    # a GRAPH pattern beside a default-graph pattern: the union part still counts each once
    rows = store.select(f"SELECT ?g WHERE {{ <{EX}c1> ?p ?o . GRAPH ?g {{ <{EX}c1> ?p ?o }} }}")
    assert len(rows) == 2
    assert store.triple_count() == 2 and store.quad_count() == 3


def test_a_release_without_its_on_disk_store_is_refused(tmp_path: Path) -> None:
    _, ntriples = write_dumps(tmp_path)
    with pytest.raises(FileNotFoundError, match="no on-disk store"):
        OxigraphStore.union_in_memory(ntriples, tmp_path / "store")


def _graphs_of_c1(store: OxigraphStore, answers) -> None:  # runs in a forked child
    rows = store.select(f"SELECT ?g WHERE {{ GRAPH ?g {{ <{EX}c1> ?p ?o }} }} ORDER BY ?g")
    answers.send([str(r["g"]) for r in rows])


def test_a_forked_query_worker_opens_the_on_disk_store_for_itself(tmp_path: Path) -> None:
    """The parent opened it first (a page asked for provenance), then forked a worker."""
    import multiprocessing

    store = union_in_memory_named_graphs_on_disk(tmp_path)
    parent_disk, _ = store.for_query(named_graphs=True)
    context = multiprocessing.get_context("fork")
    receiving, sending = context.Pipe(duplex=False)
    child = context.Process(target=_graphs_of_c1, args=(store, sending))
    child.start()
    assert receiving.poll(30), "the forked child did not answer"
    assert receiving.recv() == [GRAPH_A.value, GRAPH_B.value]
    child.join(10)
    assert child.exitcode == 0
    assert store.for_query(named_graphs=True)[0] is parent_disk  # the parent keeps its own


@pytest.mark.parametrize("open_store", [*LAYOUTS, lambda folder: OxigraphStore.
                                        in_memory_from_nquads_gz(write_dumps(folder)[0])])
def test_from_names_the_default_graph_in_every_layout(tmp_path: Path, open_store) -> None:
    """The union is the default graph unless the query names its own: Oxigraph's union
    flag, where the union is taken on the fly, must not override FROM."""
    store = open_store(tmp_path)
    only_a = store.select(f"SELECT DISTINCT ?s FROM <{GRAPH_A.value}> WHERE {{ ?s ?p ?o }}")
    assert [str(r["s"]) for r in only_a] == [f"{EX}c1"]
