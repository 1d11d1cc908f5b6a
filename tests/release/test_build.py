"""The build pipeline: default build, the full shared build, provenance, atomic publication,
bad input, determinism."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from pathlib import Path

import pyoxigraph as ox
import pytest

from ogpgraph.config import DEFAULT_BASE_URI, PROJECT_ROOT
from ogpgraph.release.layout import BuildLayout
from ogpgraph.release.pipeline import BuildFailed, run_build

B = DEFAULT_BASE_URI
FIXTURES = PROJECT_ROOT / "tests" / "fixtures"
PREFIXES = f"PREFIX ogp: <{B}ontology#> PREFIX dcterms: <http://purl.org/dc/terms/> " \
           "PREFIX schema: <https://schema.org/> PREFIX prov: <http://www.w3.org/ns/prov#> "


def open_store(build_dir: Path) -> ox.Store:
    return ox.Store.read_only(str(BuildLayout.current(build_dir).store_dir))


def select(store: ox.Store, query: str) -> list[dict[str, str]]:
    result = store.query(PREFIXES + query, use_default_graph_as_union=True)
    names = [v.value for v in result.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in result]


def test_default_build_has_the_seed(default_build_dir: Path) -> None:
    manifest = BuildLayout.current(default_build_dir).manifest()
    assert manifest["counts"]["commitments"] == 83
    assert manifest["counts"]["members"] == 1
    assert manifest["validation"]["violations"] == 0
    store = open_store(default_build_dir)
    rows = select(store, f"""SELECT ?start ?end (COUNT(DISTINCT ?m) AS ?n) WHERE {{
        <{B}id/commitment/PE0055> schema:startDate ?start ; schema:endDate ?end ;
                                   ogp:milestone ?m }} GROUP BY ?start ?end""")
    assert rows == [{"start": "2015-08", "end": "2016-07", "n": "5"}]


def test_dumps_hold_what_the_manifest_says(default_build_dir: Path) -> None:
    layout = BuildLayout.current(default_build_dir)
    manifest = layout.manifest()
    turtle = ox.Store()
    turtle.load(path=str(layout.dumps_dir / "ogpgraph.ttl"), format=ox.RdfFormat.TURTLE)
    assert len(turtle) == manifest["triples"]
    by_file = {d["file"]: d for d in manifest["dumps"]}
    for name, entry in by_file.items():
        assert (layout.dumps_dir / name).stat().st_size == entry["bytes"]
    store = open_store(default_build_dir)
    count = select(store, "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o "
                          "WHERE { ?s ?p ?o } }")
    assert int(count[0]["n"]) == manifest["triples"]


def test_the_on_disk_store_holds_the_union_as_its_default_graph(default_build_dir: Path
                                                                ) -> None:
    """What ``ogpgraph serve`` runs GRAPH and FROM queries on: each fact once by default."""
    manifest = BuildLayout.current(default_build_dir).manifest()
    assert manifest["store_default_graph"] == "union"
    store = open_store(default_build_dir)
    default_graph = len(list(store.quads_for_pattern(None, None, None, ox.DefaultGraph())))
    assert default_graph == manifest["triples"]
    assert len(store) == manifest["triples"] + manifest["quads"]
    # the per-graph sizes the service description lists, counted at build time
    counted = select(store, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } "
                            "GROUP BY ?g ORDER BY ?g")
    assert manifest["graph_triples"] == [[r["g"], int(r["n"])] for r in counted]


def test_shared_build_merges_sources_with_provenance(shared_build_dir: Path) -> None:
    manifest = BuildLayout.current(shared_build_dir).manifest()
    assert manifest["validation"]["violations"] == 0
    assert manifest["counts"]["commitments"] >= 558 + 83 - 1
    store = open_store(shared_build_dir)
    # PE0074 is in the seed's list (English title) and in the CSV (Spanish title): one
    # resource, stated in two source graphs, each a prov:Entity
    rows = select(store, f"""SELECT DISTINCT ?g ?kind WHERE {{ GRAPH ?g {{
        <{B}id/commitment/PE0074> dcterms:title ?t }} ?g a prov:Entity ;
        dcterms:title ?kind }}""")
    assert len({r["g"] for r in rows}) == 2
    languages = select(store, f"""SELECT DISTINCT (LANG(?t) AS ?l) WHERE {{
        <{B}id/commitment/PE0074> dcterms:title ?t }}""")
    assert {"en", "es"} <= {r.get("l") for r in languages}
    # FR0015 is a page and a CSV row: one commitment IRI, two graphs
    graphs = select(store, f"""SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{
        <{B}id/commitment/FR0015> ?p ?o }} }}""")
    assert len(graphs) == 2
    sources = {Path(s["path"]).name for s in manifest["sources"]}
    assert {"commitments.csv", "PE0055.txt", "UK0063.txt", "KEMKC0001_local.txt"} <= sources


def test_same_content_twice_is_one_source(shared_build_dir: Path) -> None:
    manifest = BuildLayout.current(shared_build_dir).manifest()
    digests = [s["sha256"] for s in manifest["sources"]]
    assert len(digests) == len(set(digests))  # data/PE0055.txt == shared/ogp/seed/PE0055.txt


def write_page(folder: Path, name: str = "PE0055.txt") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    shutil.copy(PROJECT_ROOT / "data" / "PE0055.txt", target)
    return target


def test_failed_build_leaves_the_published_build_untouched(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    write_page(sources)
    out = tmp_path / "out"
    first = run_build([sources], out, B)
    before = (out / "current").resolve()
    bad = sources / "broken.csv"
    bad.write_text("Commitment Unique Identifier,Nothing Else\nPE0001,x\n", encoding="utf-8")
    with pytest.raises(BuildFailed) as failure:
        run_build([sources], out, B)
    assert any("broken.csv" in message for message in failure.value.errors)
    assert (out / "current").resolve() == before == first.release
    assert json.loads((before / "build.json").read_text())["build_id"] == \
        first.manifest["build_id"]
    assert not [p for p in (out / "releases").iterdir() if p.name.startswith(".staging")]


def release_files(release: Path) -> dict[str, bytes]:
    return {str(p.relative_to(release)): p.read_bytes() for p in sorted(release.rglob("*"))
            if p.is_file()}


@pytest.mark.parametrize(("failing", "full"), [
    ("ogpgraph.release.writer.write_dumps", True),  # a dump step
    ("ogpgraph.release.writer.write_disk_store", True),  # the on-disk store
    ("ogpgraph.release.writer.write_listing", True),  # the listing index
    ("ogpgraph.release.writer.write_manifest", True),  # the very last step
    ("ogpgraph.release.incremental.steps.write_quad_dumps", False),  # incremental: dumps
    ("ogpgraph.release.incremental.steps.IncrementalWrite.check_default", False),
    ("ogpgraph.release.incremental.steps.patch_listing_index", False),
    ("ogpgraph.release.incremental.steps.write_cache", False),  # its last step
])
def test_a_failure_while_writing_the_release_publishes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str, full: bool) -> None:
    """The build fails with a message naming the step's error (no traceback for the CLI),
    its staging folder is removed, and ``current`` and the previous release are untouched:
    in a full build and in an incremental one."""
    sources = tmp_path / "sources"
    write_page(sources)
    out = tmp_path / "out"
    first = run_build([sources], out, B)
    files = release_files(first.release)

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(failing, broken)
    with pytest.raises(BuildFailed) as failure:
        run_build([sources], out, B, full=full)
    [message] = failure.value.errors
    assert "writing the release failed" in message and "No space left on device" in message
    assert (out / "current").resolve() == first.release
    assert release_files(first.release) == files
    assert [p.name for p in (out / "releases").iterdir()] == [first.release.name]


def test_staging_folders_of_a_killed_build_are_removed_by_the_next(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    write_page(sources)
    out = tmp_path / "out"
    left = out / "releases" / ".staging-20260101T000000Z-abcdef"
    (left / "dumps").mkdir(parents=True)
    (left / "dumps" / "ogpgraph.nq.gz").write_bytes(b"half written")
    scratch = out / "releases" / ".scratch-k1lled"  # a killed build's source store
    (scratch / "sources").mkdir(parents=True)
    result = run_build([sources], out, B)
    assert not left.exists() and not scratch.exists()
    assert [p.name for p in (out / "releases").iterdir()] == [result.release.name]


def test_a_full_build_holds_its_source_graphs_on_disk(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The source graphs' store is an on-disk store in the build's scratch folder (not
    memory) while the graphs are validated, and the folder is gone once published."""
    import ogpgraph.release.full as full

    sources = tmp_path / "sources"
    write_page(sources)
    out = tmp_path / "out"
    seen: list[list[str]] = []
    validate = full.validate_all

    def watching(store: ox.Store, base: str, progress: object) -> object:
        seen.append(sorted(str(p.relative_to(out)) for p in
                           (out / "releases").glob(".scratch-*/sources/CURRENT")))
        return validate(store, base, progress)  # type: ignore[arg-type]

    monkeypatch.setattr(full, "validate_all", watching)
    result = run_build([sources], out, B, full=True)
    assert len(seen) == 1 and len(seen[0]) == 1  # RocksDB's CURRENT file: a store on disk
    assert [p.name for p in (out / "releases").iterdir()] == [result.release.name]


def test_spilled_bytes_give_back_what_was_put() -> None:
    from ogpgraph.release.scratch import SpilledBytes

    spilled = SpilledBytes()
    spilled["a"], spilled["b"], spilled["e"] = b"first", b"\x00" * 70_000, b""
    assert spilled["b"] == b"\x00" * 70_000 and spilled["a"] == b"first"
    assert spilled["e"] == b"" and "e" in spilled and "z" not in spilled and len(spilled) == 3


def test_explicit_unknown_file_is_an_error_but_in_a_folder_is_skipped(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    write_page(sources)
    readme = sources / "README.md"
    readme.write_text("# Notes\nNothing to see.\n", encoding="utf-8")
    result = run_build([sources], tmp_path / "out", B)
    assert [path for path, _ in result.skipped] == [str(readme)]
    with pytest.raises(BuildFailed) as failure:
        run_build([readme], tmp_path / "out2", B)
    assert failure.value.errors[0].startswith(str(readme))
    assert not (tmp_path / "out2" / "current").exists()


def test_all_errors_are_reported_at_once(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "a.txt").write_text("Shopping list\n- milk\n", encoding="utf-8")
    (sources / "b.csv").write_text("Commitment Unique Identifier\nPE0001\n", encoding="utf-8")
    with pytest.raises(BuildFailed) as failure:
        run_build([sources / "a.txt", sources / "b.csv"], tmp_path / "out", B)
    assert [e.split(":")[0] for e in failure.value.errors] == [
        str(sources / "a.txt"), str(sources / "b.csv")]


def published_files(release: Path) -> dict[str, bytes]:
    """Every file of a release but its store and listing index (databases whose bytes may
    differ with the same content: compared by content below)."""
    return {str(path.relative_to(release)): path.read_bytes()
            for path in sorted(release.rglob("*")) if path.is_file()
            and path.relative_to(release).parts[0] not in ("store", "listings.sqlite")}


def listing_rows(path: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(path) as conn:
        tables = [name for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE 'search_%' ORDER BY name")]
        return {table: sorted(conn.execute(f"SELECT * FROM {table}").fetchall(), key=repr)
                for table in tables}


def test_builds_are_byte_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With SOURCE_DATE_EPOCH fixed, every published file is the same byte for byte (dumps,
    gzip headers included, build.json, the validation report), and the store and the
    listing index hold the same content."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    sources = tmp_path / "sources"
    write_page(sources)
    shutil.copy(FIXTURES / "csv" / "sample.csv", sources / "sample.csv")
    one = run_build([sources], tmp_path / "one", B)
    two = run_build([sources], tmp_path / "two", B)
    files = published_files(one.release)
    assert {"build.json", "validation-report.ttl", "dumps/ogpgraph.nq.gz",
            "dumps/ogpgraph.nt.gz"} <= set(files)
    assert files == published_files(two.release)
    quads = [set(ox.Store.read_only(str(r / "store"))) for r in (one.release, two.release)]
    assert quads[0] == quads[1] and len(quads[0]) > 0
    assert listing_rows(one.release / "listings.sqlite") == listing_rows(
        two.release / "listings.sqlite")


def test_base_uri_is_configurable(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    write_page(sources)
    base = "https://data.example.org/ogp/"
    run_build([sources], tmp_path / "out", base)
    store = open_store(tmp_path / "out")
    assert store.query(f"ASK {{ <{base}id/commitment/PE0055> a <{base}ontology#Commitment> }}",
                       use_default_graph_as_union=True)
    assert not store.query(f"ASK {{ ?s ?p ?o FILTER(STRSTARTS(STR(?s), '{B}')) }}",
                           use_default_graph_as_union=True)
    assert os.path.isfile(tmp_path / "out" / "current" / "dumps" / "ontology.ttl")


def test_a_shape_violation_fails_the_build_naming_the_source(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    page = write_page(sources)
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("Fecha de inicio: agosto 2015", "Fecha de inicio: agosto 2017"),
                    encoding="utf-8")
    with pytest.raises(BuildFailed) as failure:
        run_build([sources], tmp_path / "out", B)
    [message] = failure.value.errors
    assert message.startswith(str(page)) and "starts (2017-08) after it ends (2016-07)" in message
    assert not (tmp_path / "out" / "current").exists()


def test_the_release_carries_its_listing_index(default_build_dir: Path) -> None:
    from ogpgraph.release.listings.reader import ListingIndex

    layout = BuildLayout.current(default_build_dir)
    index = ListingIndex.open(layout.listings_path)
    query = index.commitment_where(member=f"{B}id/member/peru")
    assert index.count_commitments(query) == 83
