"""A load that fails (a corrupt dump, the engine killed mid-load, a switch that fails half
way) leaves the previous release served, whole; the next load succeeds and leaves no
staging graphs behind."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from engines import Engine, serving

import ogpgraph.store.gsp_load as gsp_load
import ogpgraph.store.remote_load as remote_load
import ogpgraph.store.virtuoso_load as virtuoso_load
from ogpgraph.release.layout import BuildLayout
from ogpgraph.store.remote_load import LoadFailed, leftover_staging, load_release
from ogpgraph.store.remote_store import RemoteStore


def load_killed_after_staging(engine: Engine, release: Path,
                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Load ``release`` and kill the engine once it is staged, before the switch."""
    checked = remote_load.check_staged

    def kill_then_check(reader, staging, *loader):  # staged, not switched: the engine dies now
        engine.kill()
        checked(reader, staging, *loader)

    monkeypatch.setattr(remote_load, "check_staged", kill_then_check)
    with pytest.raises(LoadFailed):
        load_release(release, engine.url)
    monkeypatch.undo()


def copy_release(build_dir: Path, target: Path, build_id: str) -> Path:
    """The current release of ``build_dir`` as a new release (another build id)."""
    source = BuildLayout.current(build_dir)
    layout = BuildLayout(target)
    layout.dumps_dir.mkdir(parents=True)
    for dump in (source.nquads_dump, source.ntriples_dump):
        shutil.copyfile(dump, layout.dumps_dir / dump.name)
    manifest = source.manifest() | {"build_id": build_id}
    layout.manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    return target


def assert_serves(store: RemoteStore, build_dir: Path) -> None:
    """The engine serves exactly the current release of ``build_dir``."""
    manifest = BuildLayout.current(build_dir).manifest()
    release = store.refresh()
    assert release is not None and release.build_id == manifest["build_id"]
    rows = store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert int(rows[0]["n"]) == manifest["triples"]
    rows = store.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    assert sorted([str(r["g"]), int(r["n"])] for r in rows) == sorted(manifest["graph_triples"])


def test_a_corrupt_dump_leaves_the_previous_release(engine: Engine, compared_build: Path,
                                                     default_build_dir: Path,
                                                     tmp_path: Path) -> None:
    store = serving(engine, compared_build)
    broken = copy_release(default_build_dir, tmp_path / "broken", "broken-release")
    dump = BuildLayout(broken).nquads_dump
    dump.write_bytes(dump.read_bytes()[: dump.stat().st_size // 2])  # cut in the middle
    with pytest.raises(LoadFailed, match="cannot read"):
        load_release(broken, engine.url)
    assert_serves(store, compared_build)


def test_the_engine_killed_mid_load_leaves_the_previous_release(
        engine: Engine, compared_build: Path, default_build_dir: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    store = serving(engine, compared_build)
    new = copy_release(default_build_dir, tmp_path / "new", "killed-mid-load")
    load_killed_after_staging(engine, new, monkeypatch)
    engine.start()  # on the same files
    store = RemoteStore(store.endpoint)
    assert_serves(store, compared_build)
    load_release(new, engine.url)  # the next load succeeds and clears what was staged
    assert store.refresh().build_id == "killed-mid-load"
    assert leftover_staging(store) == []
    serving(engine, compared_build)


def test_a_switch_that_fails_half_way_changes_nothing(
        engine: Engine, compared_build: Path, default_build_dir: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The switch's last step fails: everything it did before is undone with it."""
    store = serving(engine, compared_build)
    new = copy_release(default_build_dir, tmp_path / "new", "fails-half-way")
    update, sql = gsp_load.switch_update, virtuoso_load.switch_sql
    monkeypatch.setattr(gsp_load, "switch_update", lambda *args: update(*args) + (
        " ;\nMOVE GRAPH <urn:ogpgraph:staging:missing> TO GRAPH <urn:ogpgraph:nowhere>"))
    monkeypatch.setattr(virtuoso_load, "switch_sql", lambda *args: sql(*args).replace(
        "commit work;", "signal ('42000', 'ogpgraph test: the switch fails');"))
    with pytest.raises(LoadFailed):
        load_release(new, engine.url)
    assert_serves(store, compared_build)
    assert leftover_staging(store) == []


def test_virtuoso_counts_and_finds_staging_graphs_over_sql(engine: Engine) -> None:
    """Virtuoso's loader counts staged graphs and finds leftovers over SQL, not SPARQL:
    Virtuoso's SPARQL time limit stopped the count of a 100,000-commitment release."""
    if engine.kind != "virtuoso":
        pytest.skip("Virtuoso's own SQL")
    from ogpgraph.store.engines import parse_store_url
    from ogpgraph.store.virtuoso_load import VirtuosoLoader

    loader = VirtuosoLoader(parse_store_url(engine.url))
    staged = "urn:ogpgraph:staging:sqltest:0"
    loader.isql(f"SPARQL INSERT DATA {{ GRAPH <{staged}> {{ <urn:a> <urn:b> <urn:c> . "
                "<urn:a> <urn:b> <urn:d> } };\n")
    try:
        assert staged in loader.staging_graphs()
        assert loader.counts([staged, "urn:ogpgraph:staging:sqltest:none"]) == {
            staged: 2, "urn:ogpgraph:staging:sqltest:none": 0}
    finally:
        loader.drop([staged])
    assert staged not in loader.staging_graphs()


def test_months_stated_beside_their_first_day_are_counted_per_graph() -> None:
    """Virtuoso stores "2016-05"^^xsd:gYearMonth as the date 2016-05-01 and keeps one of
    the two where a graph has both (seen at 100,000 generated commitments): the loader
    expects exactly that many fewer triples there, and nothing else changes."""
    import pyoxigraph as ox

    from ogpgraph.store.remote_load import (
        XSD_DATE,
        XSD_YEAR_MONTH,
        EngineMerges,
        MonthDayClashes,
        Staging,
        merged_by_engine,
    )

    s, p, q = ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.NamedNode("urn:q")
    clashes = MonthDayClashes()
    for graph, predicate, value, datatype in (
            ("g1", p, "2016-05-01", XSD_DATE), ("g1", p, "2016-05", XSD_YEAR_MONTH),
            ("g1", q, "2016-11-30", XSD_DATE), ("g1", q, "2016-11", XSD_YEAR_MONTH),
            ("g2", p, "2016-05-01", XSD_DATE), ("g3", p, "2016-05", XSD_YEAR_MONTH)):
        clashes.see(graph, ox.Triple(s, predicate, ox.Literal(value, datatype=datatype)))
    assert clashes.per_graph() == {"g1": 1}  # not the 30th, not across graphs
    staging = Staging("t", {"g1": "s1", "g2": "s2"}, {"g1": 10, "g2": 5})
    with pytest.warns(EngineMerges, match="g1"):
        assert merged_by_engine(staging, clashes.per_graph()).expected == {"g1": 9, "g2": 5}
    assert merged_by_engine(staging, {}) is staging


def test_virtuoso_switches_a_release_of_thousands_of_graphs(engine: Engine) -> None:
    """One graph per page source: 2,000 at 100,000 commitments. A switch procedure with a
    statement per graph was refused past a few hundred; the graphs are a vector now."""
    if engine.kind != "virtuoso":
        pytest.skip("Virtuoso's own SQL")
    from ogpgraph.store.engines import parse_store_url
    from ogpgraph.store.remote_load import Staging
    from ogpgraph.store.virtuoso_load import VirtuosoLoader

    loader = VirtuosoLoader(parse_store_url(engine.url))
    names = {f"urn:test:many:{n}": f"urn:ogpgraph:staging:many:{n}" for n in range(1500)}
    triples = " ".join(f"GRAPH <{staged}> {{ <urn:s> <urn:p> {n} }}"
                       for n, staged in enumerate(names.values()))
    loader.isql(f"SPARQL INSERT DATA {{ {triples} }};\n")
    try:
        loader.switch(Staging("many", names, {live: 1 for live in names}), None)
        assert loader.counts(list(names)) == {live: 1 for live in names}
        assert loader.counts(list(names.values())) == {staged: 0 for staged in names.values()}
    finally:
        loader.drop(list(names) + list(names.values()))


def test_the_switch_moves_every_graph_but_the_union_and_keeps_the_served_union() -> None:
    """The union stays where it was staged (the description names it): half a release's
    rows not copied. The union served now is kept through the switch, for web processes
    still holding that release; one loaded by an earlier version (``urn:ogpgraph:union``)
    is replaced."""
    from ogpgraph.store.remote_load import staging_for
    from ogpgraph.store.remote_protocol import (
        RELEASE_GRAPH,
        UNION_GRAPH,
        Release,
        description_triples,
        release_from,
    )

    manifest = {"build_id": "b2", "triples": 5, "graph_triples": [["urn:g1", 3], ["urn:g2", 4]]}
    served = Release("b1", ("urn:g0", "urn:g1"), union_graph="urn:ogpgraph:staging:old:1")
    staging = staging_for(manifest, served)
    union = staging.names[UNION_GRAPH]
    assert [live for live, _ in staging.moved] == ["urn:g1", "urn:g2", RELEASE_GRAPH]
    assert staging.gone(served) == ["urn:g0"]  # the served union is not among them
    assert staging.gone(Release("b0", ("urn:g1",))) == [UNION_GRAPH]
    assert staging_for(manifest, served).names[UNION_GRAPH] != union  # a name per load

    import pyoxigraph as ox

    store = ox.Store()
    for triple in description_triples(manifest, union, staging.kept_union):
        store.add(ox.Quad(triple.subject, triple.predicate, triple.object))
    assert len(description_triples(manifest, union, staging.kept_union)) == (
        staging.expected[RELEASE_GRAPH])
    described = release_from(store.query(
        f"SELECT ?p ?o WHERE {{ <{RELEASE_GRAPH}> ?p ?o }}"))
    assert described is not None
    assert (described.union_graph, described.kept_union) == (union, served.union_graph)
