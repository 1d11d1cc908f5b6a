"""A harvest of the stand-in site gives `build` the same graph as the fixtures themselves."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from harvest_server import EXPORT, FIXTURES, HarvestServer, harvest

from ogpgraph.config import DEFAULT_BASE_URI
from ogpgraph.release.pipeline import BuildResult, run_build


def lines(result: BuildResult, dump: str) -> set[str]:
    with gzip.open(result.release / "dumps" / dump, "rt", encoding="utf-8") as stream:
        return set(stream.read().splitlines())


def test_harvested_files_build_the_same_graph_as_the_fixtures(
        site: HarvestServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The export is saved under the fixture's name because a CSV source's title in the
    graph is its file name; everything else (source IRIs are content hashes) must match."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    harvested = tmp_path / "harvested"
    summary = harvest(site, harvested, export_file="sample.csv")
    assert summary.ok and not summary.unchanged
    direct = run_build([FIXTURES / "html", FIXTURES / "csv" / "sample.csv"],
                       tmp_path / "direct-build", DEFAULT_BASE_URI)
    built = run_build([harvested], tmp_path / "harvest-build", DEFAULT_BASE_URI)
    assert built.skipped == []  # the cache and the saved listings are hidden from build
    assert built.manifest["counts"] == direct.manifest["counts"]
    assert built.manifest["counts"]["commitments"] >= 6
    union = lines(built, "ogpgraph.nt.gz")
    assert union == lines(direct, "ogpgraph.nt.gz")
    assert lines(built, "ogpgraph.nq.gz") == lines(direct, "ogpgraph.nq.gz")


def test_the_harvest_folder_layout(site: HarvestServer, tmp_path: Path) -> None:
    """The listing pages are found through the members page and pagination (UK0063 is
    only on page 2 of its member's listing); links to other sites are not followed."""
    harvest(site, tmp_path)
    visible = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*")
                     if p.is_file() and not any(part.startswith(".")
                                                for part in p.relative_to(tmp_path).parts))
    assert visible == ["commitments.csv", "pages/honduras/HN0065.html",
                       "pages/united-kingdom/UK0063.html"]
    assert (tmp_path / "commitments.csv").read_bytes() == site.state.resources[EXPORT].body
    assert site.state.requests["/members/united-kingdom/commitments/page/2/"] == 1
    assert (tmp_path / ".harvest-cache.sqlite").is_file()
