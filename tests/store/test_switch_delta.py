"""A release loaded over the one served, with a graph changed, one gone and one new: the
engine ends up holding exactly the new release, and until the switch every reader of the
served release sees it whole, although Virtuoso's loader has already put the new graph
under its live name (``remote_load.staging_for(direct=True)``)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from engines import Engine, serving
from test_remote_load import assert_serves, copy_release, load_killed_after_staging

import ogpgraph.store.remote_load as remote_load
import ogpgraph.store.virtuoso_load as virtuoso_load
from ogpgraph.release.layout import BuildLayout
from ogpgraph.store.engines import parse_store_url
from ogpgraph.store.remote_load import LoadFailed, leftover_staging, load_release
from ogpgraph.store.remote_store import RemoteStore

NEW_GRAPH = "urn:ogpgraph-test:new-graph"
CHANGED = ox.Literal("a value only the changed release has")


def changed_release(build_dir: Path, target: Path, build_id: str,
                    new_values: tuple[str, str] = ("0", "1")) -> tuple[Path, dict]:
    """The current release of ``build_dir`` with, in its named graphs, the first graph's
    first literal replaced, the last graph gone and a new graph of two triples (objects
    ``new_values``). Returns
    the folder and {"changed", "gone", "old": the replaced quad, "new": its replacement}."""
    layout = BuildLayout(copy_release(build_dir, target, build_id))
    with gzip.open(layout.nquads_dump, "rb") as stream:
        quads = list(ox.parse(stream, format=ox.RdfFormat.N_QUADS))
    graphs = sorted({quad.graph_name.value for quad in quads})
    changed, gone = graphs[0], graphs[-1]
    old = next(q for q in quads if q.graph_name.value == changed
               and isinstance(q.object, ox.Literal))
    new = ox.Quad(old.subject, old.predicate, CHANGED, old.graph_name)
    subject = ox.NamedNode("urn:ogpgraph-test:thing")
    kept = [new if quad == old else quad for quad in quads if quad.graph_name.value != gone]
    kept += [ox.Quad(subject, ox.NamedNode(f"urn:ogpgraph-test:p{n}"), ox.Literal(value),
                     ox.NamedNode(NEW_GRAPH)) for n, value in enumerate(new_values)]
    with gzip.open(layout.nquads_dump, "wb") as out:
        ox.serialize(kept, out, format=ox.RdfFormat.N_QUADS)
    manifest = layout.manifest()
    manifest["graph_triples"] = sorted(
        [[iri, n] for iri, n in manifest["graph_triples"] if iri != gone] + [[NEW_GRAPH, 2]])
    layout.manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    return target, {"changed": changed, "gone": gone, "old": old, "new": new}


def graph_rows(store: RemoteStore, graph: str) -> set[tuple[str, str, str]]:
    rows = store.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return {(str(r["s"]), str(r["p"]), str(r["o"])) for r in rows}


def triple_of(quad: ox.Quad) -> tuple[str, str, str]:
    return (str(quad.subject), str(quad.predicate), str(quad.object))


def test_a_release_over_the_served_one_leaves_exactly_the_new_release(
        engine: Engine, compared_build: Path, default_build_dir: Path,
        tmp_path: Path) -> None:
    """Virtuoso's switch writes only the difference of each graph both releases have:
    the replaced triple must be gone (a switch that only inserted would keep it), the
    new one there, the gone graph empty, and no staging graph left."""
    store = serving(engine, default_build_dir)
    release, edit = changed_release(default_build_dir, tmp_path / "changed", "changed-release")
    assert triple_of(edit["old"]) in graph_rows(store, edit["changed"])
    load_release(release, engine.url)
    store.refresh()
    rows = graph_rows(store, edit["changed"])
    assert triple_of(edit["new"]) in rows and triple_of(edit["old"]) not in rows
    assert len(graph_rows(store, NEW_GRAPH)) == 2
    manifest = BuildLayout(release).manifest()
    counted = store.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } "
                           "GROUP BY ?g")
    assert sorted([str(r["g"]), int(r["n"])] for r in counted) == manifest["graph_triples"]
    assert leftover_staging(store) == []
    if engine.kind == "virtuoso":  # what no query of the release can see: the engine's rows
        loader = virtuoso_load.VirtuosoLoader(parse_store_url(engine.url))
        assert loader.counts([edit["gone"]]) == {edit["gone"]: 0}
        assert leftover_staging(store, loader) == []
    serving(engine, compared_build)


def test_readers_of_the_served_release_see_it_whole_until_the_switch(
        engine: Engine, compared_build: Path, default_build_dir: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Staged and checked, not switched: a reader holding the served release (and one
    reading it anew) sees its counts and no row of the new graph, which Virtuoso already
    holds under its live name. The switch then fails: the new graph's rows are deleted."""
    store = serving(engine, compared_build)
    release, _ = changed_release(default_build_dir, tmp_path / "new", "seen-whole")
    checked, seen = remote_load.check_staged, {}

    def check_then_read(reader, staging, *loader):
        checked(reader, staging, *loader)
        fresh = RemoteStore(store.endpoint)
        assert_serves(fresh, compared_build)
        assert_serves(store, compared_build)
        seen["new graph"] = graph_rows(store, NEW_GRAPH)
        seen["engine"] = loader[0].counts([NEW_GRAPH]) if loader else None
        raise LoadFailed("ogpgraph test: stopped before the switch")

    monkeypatch.setattr(remote_load, "check_staged", check_then_read)
    with pytest.raises(LoadFailed, match="before the switch"):
        load_release(release, engine.url)
    assert seen["new graph"] == set()
    if engine.kind == "virtuoso":
        assert seen["engine"] == {NEW_GRAPH: 2}  # loaded under its live name, not read
        loader = virtuoso_load.VirtuosoLoader(parse_store_url(engine.url))
        assert loader.counts([NEW_GRAPH]) == {NEW_GRAPH: 0}  # dropped with the failure
    assert_serves(store, compared_build)
    assert leftover_staging(store) == []


def test_a_new_graph_left_by_a_killed_load_is_replaced_by_the_next_load(
        engine: Engine, compared_build: Path, default_build_dir: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Virtuoso killed after staging a new graph under its live name: the next load, with
    other triples in that graph, drops what was left there before it loads (else the
    graph would hold both loads' triples and the load would fail its count)."""
    if engine.kind != "virtuoso":
        pytest.skip("only Virtuoso loads graphs under their live names")
    store = serving(engine, compared_build)
    killed, _ = changed_release(default_build_dir, tmp_path / "killed", "killed-new-graph")
    load_killed_after_staging(engine, killed, monkeypatch)
    engine.start()  # on the same files: the killed load's new graph is there
    loader = virtuoso_load.VirtuosoLoader(parse_store_url(engine.url))
    assert loader.counts([NEW_GRAPH]) == {NEW_GRAPH: 2}
    after, _ = changed_release(default_build_dir, tmp_path / "after", "after-the-kill",
                               new_values=("2", "3"))
    load_release(after, engine.url)
    store = RemoteStore(store.endpoint)
    assert {row[2] for row in graph_rows(store, NEW_GRAPH)} == {'"2"', '"3"'}
    serving(engine, compared_build)


def test_virtuoso_refuses_a_switch_whose_graphs_differ_from_their_staged_graphs(
        engine: Engine, compared_build: Path, default_build_dir: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The switch writes a difference it computed: it then counts every graph it wrote
    against its staged graph, in the same transaction, and rolls back on a difference
    (here: the inserts left out), leaving the served release."""
    if engine.kind != "virtuoso":
        pytest.skip("Virtuoso's own SQL")
    store = serving(engine, compared_build)
    release, _ = changed_release(default_build_dir, tmp_path / "new", "inserts-left-out")
    sql = virtuoso_load.switch_sql
    monkeypatch.setattr(virtuoso_load, "switch_sql", lambda *args: sql(*args).replace(
        "insert soft DB.DBA.RDF_QUAD", "if (0) insert soft DB.DBA.RDF_QUAD"))
    with pytest.raises(LoadFailed, match="differs from its staged graph"):
        load_release(release, engine.url)
    assert_serves(store, compared_build)
    assert leftover_staging(store) == []
