"""The change history across releases on small inputs: append-only through pruning,
retention (OGPGRAPH_KEEP_RELEASES), kept releases' dumps at stable URLs, timestamps."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ogpgraph.config import DEFAULT_BASE_URI, PROJECT_ROOT, Settings
from ogpgraph.release.pipeline import BuildFailed, run_build
from ogpgraph.web.app import create_app

B = DEFAULT_BASE_URI
PAGE = PROJECT_ROOT / "data" / "PE0055.txt"


def build(sources: Path, out: Path, status: str) -> tuple[Path, str]:
    """A release of PE0055 with the given status."""
    sources.mkdir(parents=True, exist_ok=True)
    text = PAGE.read_text(encoding="utf-8").replace("Status: Inactive", f"Status: {status}")
    (sources / "PE0055.txt").write_text(text, encoding="utf-8")
    result = run_build([sources], out, B)
    return result.release, result.manifest["release_id"]


def history_rows(release: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(release / "history" / "history.sqlite") as conn:
        return conn.execute(sql).fetchall()


@pytest.fixture(scope="module")
def three_releases(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[tuple]]:
    """Three releases, two kept: Inactive, Active, Inactive again."""
    root = tmp_path_factory.mktemp("retention")
    monkey = pytest.MonkeyPatch()
    monkey.setenv("OGPGRAPH_KEEP_RELEASES", "2")
    monkey.setenv("SOURCE_DATE_EPOCH", "1767225600")  # the same second for all three
    made = [build(root / "sources", root / "out", status)
            for status in ("Inactive", "Active", "Inactive")]
    monkey.undo()
    return root / "out", made


def test_pruning_keeps_the_configured_number_and_the_whole_history(three_releases) -> None:
    out, made = three_releases
    on_disk = sorted(p.name for p in (out / "releases").iterdir())
    assert on_disk == sorted(release.name for release, _ in made[1:])
    assert (out / "current").resolve() == made[2][0]
    last = made[2][0]
    ids = [rid for (rid,) in history_rows(last, "SELECT id FROM releases ORDER BY seq")]
    assert ids == [rid for _, rid in made]  # the pruned first release is still in it
    statuses = history_rows(last, "SELECT c.release, p.old, p.new FROM changes c JOIN "
                                  "property_changes p ON p.change = c.seq ORDER BY c.seq")
    assert [(r, '/active' in new) for r, _, new in statuses] == [
        (made[1][1], True), (made[2][1], False)]


def test_release_times_increase_even_when_builds_share_a_second(three_releases) -> None:
    _, made = three_releases
    ids = [rid for _, rid in made]
    assert ids == sorted(ids) and len(set(ids)) == 3
    assert ids[0] == "20260101T000000Z" and ids[1] == "20260101T000001Z"


def test_each_kept_release_serves_its_own_dumps(three_releases) -> None:
    out, made = three_releases
    web = TestClient(create_app(Settings(build_dir=out, query_workers=0)))
    (second, second_id), (third, third_id) = made[1], made[2]
    for release, rid in ((second, second_id), (third, third_id)):
        response = web.get(f"/releases/{rid}/dumps/ogpgraph.nq.gz")
        assert response.status_code == 200
        assert hashlib.sha256(response.content).hexdigest() == hashlib.sha256(
            (release / "dumps" / "ogpgraph.nq.gz").read_bytes()).hexdigest()
        assert "immutable" in response.headers["cache-control"]
    assert web.get(f"/releases/{made[0][1]}/dumps/ogpgraph.nq.gz").status_code == 404  # pruned
    for bad in ("build.json", "..%2Fbuild.json", "%2E%2E%2Fbuild.json", "store"):
        assert web.get(f"/releases/{third_id}/dumps/{bad}").status_code == 404, bad
    page = web.get("/changes").text
    assert f"/releases/{second_id}/dumps/ogpgraph.nq.gz" in page
    assert f"/releases/{made[0][1]}/dumps/" not in page  # listed as not kept


@pytest.mark.parametrize("value", ["0", "-1", "three"])
def test_a_bad_retention_setting_fails_the_build_clearly(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch,
                                                         value: str) -> None:
    monkeypatch.setenv("OGPGRAPH_KEEP_RELEASES", value)
    with pytest.raises(BuildFailed) as failure:
        build(tmp_path / "sources", tmp_path / "out", "Inactive")
    assert "OGPGRAPH_KEEP_RELEASES" in failure.value.errors[0]
    assert not (tmp_path / "out" / "current").exists()


def test_a_release_without_history_starts_a_new_one(tmp_path: Path) -> None:
    """A previous release built before histories existed: the new release records
    everything as added (the stream must hold every resource) and says why."""
    first, _ = build(tmp_path / "sources", tmp_path / "out", "Inactive")
    shutil.rmtree(first / "history")
    second, rid = build(tmp_path / "sources", tmp_path / "out", "Active")
    manifest_history = json.loads((second / "build.json").read_text())["history"]
    assert "no history" in manifest_history["restarted"]
    assert manifest_history["changes"]["modified"] == 0
    assert manifest_history["changes"]["added"] == len(history_rows(
        second, "SELECT * FROM digests"))
    assert history_rows(second, "SELECT previous FROM releases") == [(None,)]
    assert rid


def test_source_titles_are_read_once_per_release(three_releases) -> None:
    """Every resource page shows its sources' titles: the release's database never
    changes, so they are read from it once, not per page."""
    from ogpgraph.release.history.queries import HistoryIndex

    out, made = three_releases
    index = HistoryIndex(made[2][0] / "history" / "history.sqlite")
    statements: list[str] = []
    index._conn().set_trace_callback(statements.append)
    first, second = index.source_titles(), index.source_titles()
    assert first == second and any("/id/source/" in iri for iri in first)
    assert [s for s in statements if "FROM sources" in s] == ["SELECT iri, title FROM sources"]
