"""ETag/Last-Modified per build, over HTTP: a new release whose document changed gives it a
new ETag, and the old ETag no longer answers 304 (while it still does within one release)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ogpgraph.config import DEFAULT_BASE_URI, PROJECT_ROOT, Settings
from ogpgraph.release.pipeline import run_build
from ogpgraph.web.app import create_app

DOCUMENT = "/doc/commitment/PE0055.ttl"


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Two builds of the seed page; in the second the commitment's status changed."""
    root = tmp_path_factory.mktemp("etags")
    first, second = root / "first", root / "second"
    for folder in (first, second):
        folder.mkdir()
        shutil.copy(PROJECT_ROOT / "data" / "PE0055.txt", folder / "PE0055.txt")
    page = second / "PE0055.txt"
    text = page.read_text(encoding="utf-8")
    assert "Status: Inactive" in text
    page.write_text(text.replace("Status: Inactive", "Status: Active", 1), encoding="utf-8")
    for folder in (first, second):
        run_build([folder], root / f"build-{folder.name}", DEFAULT_BASE_URI)
    return root / "build-first", root / "build-second"


def client_of(build_dir: Path) -> TestClient:
    return TestClient(create_app(Settings(build_dir=build_dir, query_workers=0)))


def test_a_new_release_changes_the_etag_of_a_changed_document(releases) -> None:
    with client_of(releases[0]) as old, client_of(releases[1]) as new:
        before = old.get(DOCUMENT)
        tag = before.headers["etag"]
        assert old.get(DOCUMENT, headers={"If-None-Match": tag}).status_code == 304
        after = new.get(DOCUMENT)
        assert after.content != before.content  # the document did change
        assert after.headers["etag"] != tag
        again = new.get(DOCUMENT, headers={"If-None-Match": tag})
        assert again.status_code == 200 and again.content == after.content
        assert after.headers["last-modified"]
