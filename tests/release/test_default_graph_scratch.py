"""The full build's default graph in a scratch on-disk store (``release/default_graph.py``)
and the union dumps written through a file per bucket (``release/union.py``): the same
graph and the same bytes as the in-memory way, and nothing of the scratch left behind."""

from __future__ import annotations

import gzip
from pathlib import Path

import pyoxigraph as ox
import pytest

from ogpgraph.config import DEFAULT_BASE_URI as B
from ogpgraph.release import bulk_load
from ogpgraph.release.default_graph import UNION_GRAPH, default_graph_of
from ogpgraph.release.dumps import DumpWriter, Formats, bucket_order, bucketed
from ogpgraph.release.layout import BuildLayout
from ogpgraph.release.pipeline import run_build
from ogpgraph.release.union import write_disk_store, write_union_dumps
from ogpgraph.release.writer import SCRATCH
from tests.release.test_build import write_page

P = ox.NamedNode(f"{B}ontology#p")
SUBJECTS = 600


def quads_file(folder: Path) -> tuple[Path, list[tuple]]:
    """An N-Quads dump of 600 subjects over 3 graphs (some facts in two of them), and one
    value the precedence of sources leaves out. More subjects than union buckets, so that a
    bucket's lines come in several runs."""
    graphs = [ox.NamedNode(f"{B}graph/g{n}") for n in range(3)]
    quads = [ox.Quad(ox.NamedNode(f"{B}id/commitment/c{i}"), P, ox.Literal(f"v{i}-{j}"),
                     graphs[(i + j) % 3])
             for i in range(SUBJECTS) for j in range(2)]
    quads += [ox.Quad(q.subject, q.predicate, q.object, graphs[(graphs.index(q.graph_name) + 1)
                                                                 % 3]) for q in quads[:20]]
    path = folder / "dump.nq.gz"
    path.write_bytes(gzip.compress(ox.serialize(quads, format=ox.RdfFormat.N_QUADS)))
    dropped = [(quads[0].subject, quads[0].predicate, quads[0].object)]
    return path, dropped


def triples(store: ox.Store) -> set[tuple[str, str, str]]:
    return {(str(q.subject), str(q.predicate), str(q.object))
            for q in store.quads_for_pattern(None, None, None, UNION_GRAPH)}


def test_the_default_graph_on_disk_loaded_a_slice_at_a_time_is_the_one_in_memory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dump, dropped = quads_file(tmp_path)
    in_memory = default_graph_of(dump, dropped)
    monkeypatch.setattr(bulk_load, "LOAD_SLICE", 70)  # 1,220 quads: 18 slices
    on_disk = default_graph_of(dump, dropped, tmp_path / "scratch" / "store")
    assert triples(on_disk) == triples(in_memory)
    assert len(triples(on_disk)) == 2 * SUBJECTS - 1  # each fact once, one dropped
    assert (tmp_path / "scratch" / "store").is_dir()


def test_the_on_disk_store_loaded_a_slice_at_a_time_holds_the_whole_dumps(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``write_disk_store`` loads its dumps in many small slices (read as whole lines): the
    store holds exactly what one load of each dump holds."""
    dump, _ = quads_file(tmp_path)
    union = tmp_path / "union.nt.gz"
    union.write_bytes(gzip.compress(b"<urn:a> <urn:b> <urn:c> .\n" * 3
                                    + b"<urn:a> <urn:b> <urn:d> .\n"))
    monkeypatch.setattr(bulk_load, "LOAD_SLICE", 70)
    monkeypatch.setattr(bulk_load, "_READ_HINT", 300)  # a few lines per read: 1,221 lines
    write_disk_store(tmp_path / "store", dump, union)
    whole = ox.Store()
    whole.load(gzip.decompress(dump.read_bytes()), ox.RdfFormat.N_QUADS)
    whole.load(gzip.decompress(union.read_bytes()), ox.RdfFormat.N_TRIPLES)
    loaded = ox.Store.read_only(str(tmp_path / "store"))
    assert set(loaded) == set(whole) and len(whole) == 1_220 + 2


def test_the_union_dumps_through_files_per_bucket_are_the_in_memory_ones(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dump, dropped = quads_file(tmp_path)
    union = default_graph_of(dump, dropped, tmp_path / "store")
    spilled = BuildLayout(tmp_path / "spilled")
    spilled.dumps_dir.mkdir(parents=True)
    written = write_union_dumps(spilled, B, union, UNION_GRAPH, tmp_path / "lines")
    # the way the union dumps were written before: the whole graph's text, bucketed in memory
    reference = BuildLayout(tmp_path / "reference")
    reference.dumps_dir.mkdir(parents=True)
    buckets = bucketed(union.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=UNION_GRAPH), B)
    writer = DumpWriter(reference, "union", Formats(B))
    for bucket in sorted(buckets, key=bucket_order):
        writer.add(bucket, b"".join(sorted(set(buckets[bucket]))))
    expected = writer.close()
    assert written == expected and len(expected) >= 3  # sizes, digests, chunk indexes
    for name in expected:
        assert (spilled.dumps_dir / name).read_bytes() == (reference.dumps_dir / name).read_bytes()
    assert not list((tmp_path / "lines").iterdir())  # every bucket's file removed


def test_the_scratch_store_is_not_published(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    write_page(sources)
    built = run_build([sources], tmp_path / "out", B)
    assert built.manifest["triples"] > 0
    assert not (built.release / SCRATCH).exists()
