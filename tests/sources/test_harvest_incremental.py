"""Second harvests: conditional requests, a changed page, members named, files edited."""

from __future__ import annotations

from pathlib import Path

from harvest_server import EXPORT, HN0065, UK0063, HarvestServer, harvest


def test_a_second_harvest_fetches_nothing_unchanged(site: HarvestServer, tmp_path: Path
                                                    ) -> None:
    first = harvest(site, tmp_path)
    assert len(first.fetched) == 7 and not first.failed  # export, 4 listings, 2 pages
    site.reset_counts()
    second = harvest(site, tmp_path)
    assert second.fetched == [] and len(second.unchanged) == 7 and not second.resumed
    asked = site.content_requests()
    assert set(asked) == {p for p in site.state.resources}
    for path, count in asked.items():  # each URL once, conditionally, answered 304
        assert (count, site.state.conditional[path], site.state.not_modified[path]) == (1, 1, 1)


def test_a_page_changed_between_two_harvests_is_fetched_again(site: HarvestServer,
                                                               tmp_path: Path) -> None:
    harvest(site, tmp_path)
    changed = site.state.resources[UK0063].body.replace(b"Beneficial Ownership",
                                                        b"Beneficial Ownership Register")
    site.set_page(UK0063, changed)
    site.reset_counts()
    second = harvest(site, tmp_path)
    assert second.fetched == [site.url(UK0063)]
    assert (tmp_path / "pages/united-kingdom/UK0063.html").read_bytes() == changed
    assert site.state.not_modified[UK0063] == 0
    assert sum(site.state.not_modified.values()) == 6
    site.reset_counts()
    assert harvest(site, tmp_path).fetched == []  # and the new version is cached in turn


def test_only_the_named_members_are_harvested(site: HarvestServer, tmp_path: Path) -> None:
    summary = harvest(site, tmp_path, members=("honduras",))
    assert summary.ok
    asked = site.content_requests()
    assert "/our-members/" not in asked  # members named: no need for the members listing
    assert not [path for path in asked if "united-kingdom" in path]
    assert asked[HN0065] == 1 and asked[EXPORT] == 1
    assert not (tmp_path / "pages" / "united-kingdom").exists()


def test_a_deleted_or_edited_file_is_fetched_whole_again(site: HarvestServer,
                                                         tmp_path: Path) -> None:
    harvest(site, tmp_path)
    page = tmp_path / "pages/honduras/HN0065.html"
    export = tmp_path / "commitments.csv"
    page.unlink()
    export.write_bytes(b"edited by hand\n")
    site.reset_counts()
    summary = harvest(site, tmp_path)
    assert sorted(summary.fetched) == sorted([site.url(HN0065), site.url(EXPORT)])
    assert site.state.conditional[HN0065] == 0 and site.state.conditional[EXPORT] == 0
    assert page.read_bytes() == site.state.resources[HN0065].body
    assert export.read_bytes() == site.state.resources[EXPORT].body
