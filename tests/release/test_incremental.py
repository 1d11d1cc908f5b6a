"""Incremental builds: the same release, byte for byte, as a full build of the same sources
on the same previous release (SOURCE_DATE_EPOCH fixed), for each kind of change; and a
damaged cache costs reuse, never correctness."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest

from ogpgraph.config import DEFAULT_BASE_URI, PROJECT_ROOT
from ogpgraph.release.layout import BuildLayout
from ogpgraph.release.pipeline import BuildResult, run_build
from tests.release.test_build import listing_rows, published_files

B = DEFAULT_BASE_URI
FIXTURES = PROJECT_ROOT / "tests" / "fixtures"
PAGES = ("UK0063.txt", "HN0065_es.txt", "US0020.txt")


def write_sources(folder: Path) -> Path:
    folder.mkdir(parents=True)
    shutil.copy(PROJECT_ROOT / "data" / "PE0055.txt", folder)
    shutil.copy(FIXTURES / "csv" / "sample.csv", folder)
    for name in PAGES:
        shutil.copy(FIXTURES / "pages" / name, folder)
    return folder


@pytest.fixture(scope="module")
def base_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Sources and a first release of them (copied by each test; the sources are put back
    where they were, as paths are part of what a release says)."""
    root = tmp_path_factory.mktemp("incremental")
    monkey = pytest.MonkeyPatch()
    monkey.setenv("SOURCE_DATE_EPOCH", "1767225600")
    run_build([write_sources(root / "sources")], root / "out", B)
    shutil.copytree(root / "sources", root / "pristine")
    monkey.undo()
    return root


def fts_terms(path: Path) -> list[tuple]:
    """Every token of the search index (term, document, column, offset)."""
    with sqlite3.connect(path) as conn:
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'search_data'").fetchone():
            return sorted(conn.execute("SELECT * FROM search").fetchall())
        conn.execute("CREATE VIRTUAL TABLE temp.terms USING fts5vocab(main, search, instance)")
        return sorted(conn.execute("SELECT * FROM temp.terms").fetchall())


def assert_same_release(one: Path, two: Path) -> None:
    """Every published file byte for byte (the build cache aside: it is the builder's own,
    never published), the store's content, the listing index's rows and search terms. (A
    release names the folder it was built in only where it says its history restarted.)"""
    files = [{name: data.replace(bytes(release.parent.parent), b"OUT")
              for name, data in published_files(release).items()
              if not name.startswith("cache/")} for release in (one, two)]
    assert sorted(files[0]) == sorted(files[1])
    assert [name for name in files[0] if files[0][name] != files[1][name]] == []
    stores = [set(ox.Store.read_only(str(release / "store"))) for release in (one, two)]
    assert stores[0] == stores[1] and stores[0]
    listings = [release / "listings.sqlite" for release in (one, two)]
    assert listing_rows(listings[0]) == listing_rows(listings[1])
    assert fts_terms(listings[0]) == fts_terms(listings[1])


def both_ways(root: Path, tmp_path: Path, change: Callable[[Path], None],
              monkeypatch: pytest.MonkeyPatch) -> tuple[BuildResult, BuildResult]:
    """The change applied to a copy of the sources, then built incrementally on one copy
    of the first release and fully on another, a day after it (every source's description
    carries the build time: all change)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(1767225600 + 86_400))
    sources = root / "sources"
    shutil.rmtree(sources)
    shutil.copytree(root / "pristine", sources)
    for name in ("a", "b"):
        shutil.copytree(root / "out", tmp_path / name, symlinks=True)
    change(sources)
    incremental = run_build([sources], tmp_path / "a", B)
    full = run_build([sources], tmp_path / "b", B, full=True)
    return incremental, full


def status_change(sources: Path) -> None:
    page = sources / "PE0055.txt"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "Status: Inactive", "Status: Active"), encoding="utf-8")


def completion_change(sources: Path) -> None:
    """Only PE0055's assessment changes, yet PE0055's listing row (its highest completion)
    does: what the listing index reads of a resource's neighbours."""
    page = sources / "PE0055.txt"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "\nCompletion:\n", "\nCompletion: Substantial\n"), encoding="utf-8")


def added_page(sources: Path) -> None:
    shutil.copy(FIXTURES / "pages" / "FR0015.txt", sources)


def removed_page(sources: Path) -> None:
    (sources / "US0020.txt").unlink()


def merged_institution(sources: Path) -> None:
    """A new page naming PE0055's lead institution with its acronym: the institution (in
    PE0055's graph too, whose file did not change) gains ``ogp:acronym "PCM"``."""
    text = (PROJECT_ROOT / "data" / "PE0055.txt").read_text(encoding="utf-8")
    text = text.replace("Management of Citizen Participation (PE0055)",
                        "Management of Citizen Participation (PE0056)").replace(
        "Lead Institution: Presidencia del Consejo de Ministros a través de la Secretaría de "
        "Gestión Pública", "Lead Institution: Presidencia del Consejo de Ministros (PCM)")
    (sources / "PE0056.txt").write_text(text, encoding="utf-8")


def export_row_change(sources: Path) -> None:
    export = sources / "sample.csv"
    export.write_text(export.read_text(encoding="utf-8").replace(
        "Parliament of Testland", "Parliament of Testland (PT)"), encoding="utf-8")


@pytest.mark.parametrize("change", [status_change, completion_change, added_page,
                                    removed_page, merged_institution, export_row_change],
                         ids=lambda f: f.__name__)
def test_an_incremental_build_is_the_full_build(base_release: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch,
                                                change: Callable[[Path], None]) -> None:
    incremental, full = both_ways(base_release, tmp_path, change, monkeypatch)
    assert incremental.reuse["sources_reused"] >= 3, incremental.notes
    assert incremental.reuse["parts_reused"] > 0
    assert full.reuse["sources_reused"] == 0
    assert_same_release(incremental.release, full.release)


def test_reconciliation_reaches_an_unchanged_source(base_release: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """PE0055.txt did not change, but its institution did: its part is mapped again."""
    incremental, _ = both_ways(base_release, tmp_path, merged_institution, monkeypatch)
    store = ox.Store.read_only(str(incremental.release / "store"))
    graph = next(s["iri"] for s in incremental.manifest["sources"]
                 if s["path"].endswith("PE0055.txt"))
    acronyms = {q.object.value for q in store.quads_for_pattern(
        None, ox.NamedNode(f"{B}ontology#acronym"), None, ox.NamedNode(graph))}
    assert "PCM" in acronyms


def test_an_unchanged_build_maps_nothing(base_release: Path, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    incremental, full = both_ways(base_release, tmp_path, lambda sources: None, monkeypatch)
    assert incremental.reuse["sources_reused"] == incremental.reuse["sources"]
    assert incremental.reuse["parts_mapped"] == 0
    assert incremental.manifest["history"]["changes"] == {"added": 0, "removed": 0,
                                                          "modified": 0}
    assert_same_release(incremental.release, full.release)


def damage(release: Path, kind: str) -> list[Path]:
    """Overwrite the first two cache files of ``kind`` with other bytes (files are named by
    key, so which source is first changes with the code: of two, one is not the changed
    source, whose entry the build would not read)."""
    targets = sorted((release / "cache" / kind).iterdir())[:2]
    for target in targets:
        target.unlink()  # a hard link shared with another release: replace, not write through
        target.write_bytes(b"not a pickle")
    return targets


@pytest.mark.parametrize("kind", ["records", "books"])
def test_a_damaged_cache_entry_is_computed_anew(base_release: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch,
                                                kind: str) -> None:
    """A damaged entry of one source (or one member's institutions) is read (reconciled)
    again, with a note; the release is still the full build's."""
    def change(sources: Path) -> None:
        damage(BuildLayout.current(tmp_path / "a").root, kind)
        status_change(sources)

    incremental, full = both_ways(base_release, tmp_path, change, monkeypatch)
    assert any("computed anew" in note for note in incremental.notes), incremental.notes
    assert incremental.reuse["sources_reused"] >= 2
    assert_same_release(incremental.release, full.release)


def test_a_damaged_dump_chunk_means_a_full_build(base_release: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """The dumps' chunks are copied only when their bytes are the indexed ones: a changed
    dump makes the build a full one (with a note), never a release with damaged dumps."""
    def change(sources: Path) -> None:
        dump = BuildLayout.current(tmp_path / "a").root / "dumps" / "ogpgraph.trig"
        data = bytearray(dump.read_bytes())
        data[-10] ^= 1
        dump.unlink()
        dump.write_bytes(bytes(data))
        status_change(sources)

    incremental, full = both_ways(base_release, tmp_path, change, monkeypatch)
    assert any("incremental build abandoned" in note for note in incremental.notes)
    assert incremental.reuse["sources_reused"] == 0
    assert_same_release(incremental.release, full.release)


def spoil_store(release: Path) -> None:
    shutil.rmtree(release / "store")
    (release / "store").mkdir()
    (release / "store" / "CURRENT").write_text("garbage\n", encoding="utf-8")


def spoil_listings(release: Path) -> None:
    (release / "listings.sqlite").unlink()
    (release / "listings.sqlite").write_bytes(b"not a database")


def spoil_history(release: Path) -> None:
    shutil.rmtree(release / "history")


@pytest.mark.parametrize("spoil", [spoil_store, spoil_listings, spoil_history],
                         ids=lambda f: f.__name__)
def test_a_damaged_previous_release_means_a_full_build(
        base_release: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        spoil: Callable[[Path], None]) -> None:
    """What the incremental path copies and patches (the store, the listing index, the
    history) cannot be used: the build says so and is a full one, nothing half-reused."""
    def change(sources: Path) -> None:
        for name in ("a", "b"):  # the full build sees the same previous release
            spoil(BuildLayout.current(tmp_path / name).root)
        status_change(sources)

    incremental, full = both_ways(base_release, tmp_path, change, monkeypatch)
    assert any("building everything" in note or "full build" in note
               for note in incremental.notes), incremental.notes
    assert incremental.reuse["sources_reused"] == 0
    assert_same_release(incremental.release, full.release)


def test_a_cache_from_another_version_is_not_used(base_release: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    def change(sources: Path) -> None:
        index = BuildLayout.current(tmp_path / "a").root / "cache" / "index.json"
        text = index.read_text(encoding="utf-8")
        index.unlink()
        index.write_text(text.replace('"code_version": "', '"code_version": "x'),
                         encoding="utf-8")

    incremental, _ = both_ways(base_release, tmp_path, change, monkeypatch)
    assert incremental.reuse["sources_reused"] == 0
    assert any("another version of the code" in note for note in incremental.notes)
