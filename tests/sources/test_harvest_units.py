"""The harvester's parts on their own: settings, links, pacing, Retry-After, atomic
writes, the cache's runs."""

from __future__ import annotations

from email.utils import formatdate
from pathlib import Path

import pytest

from ogpgraph.sources.harvest.atomic import atomic_writer, sweep_partials
from ogpgraph.sources.harvest.cache import Entry, HarvestCache
from ogpgraph.sources.harvest.fetch import retry_after_seconds
from ogpgraph.sources.harvest.links import (
    CommitmentLink,
    commitment_links,
    member_slugs,
    next_page,
)
from ogpgraph.sources.harvest.ratelimit import RateLimiter
from ogpgraph.sources.harvest.settings import OGP_BASE_URL, HarvestSettings

DEFAULTS = HarvestSettings()
LISTING = "https://www.opengovpartnership.org/members/kenya/commitments/"


def test_settings_come_from_the_environment_then_the_options() -> None:
    env = {"OGPGRAPH_HARVEST_RATE": "2.5", "OGPGRAPH_HARVEST_BASE_URL": "http://ogp.test/es",
           "OGPGRAPH_HARVEST_ATTEMPTS": "7", "OGPGRAPH_BASE_URI": "https://ld.example/"}
    settings = HarvestSettings.from_env(env)
    assert (settings.rate, settings.attempts, settings.base_url) == (2.5, 7, "http://ogp.test/es/")
    assert settings.user_agent.startswith("ogpgraph-harvest/")
    assert settings.user_agent.endswith(" (+https://ld.example/)")  # OGPGRAPH_BASE_URI
    overridden = settings.with_options(rate=9.0, base_url=None, contact_url="https://me.test/")
    assert (overridden.rate, overridden.base_url) == (9.0, "http://ogp.test/es/")
    assert overridden.user_agent.endswith("(+https://me.test/)")
    assert HarvestSettings.from_env({}).base_url == OGP_BASE_URL


def test_the_contact_defaults_to_the_publishers_base_uri(monkeypatch: pytest.MonkeyPatch
                                                         ) -> None:
    monkeypatch.setenv("OGPGRAPH_BASE_URI", "https://ogp-ld.example/")
    monkeypatch.delenv("OGPGRAPH_HARVEST_CONTACT_URL", raising=False)
    assert HarvestSettings.from_env().contact_url == "https://ogp-ld.example/"


def test_a_bad_setting_names_its_variable() -> None:
    with pytest.raises(ValueError, match="OGPGRAPH_HARVEST_RATE='fast': not a float"):
        HarvestSettings.from_env({"OGPGRAPH_HARVEST_RATE": "fast"})
    with pytest.raises(ValueError, match="rate and timeout must be > 0"):
        HarvestSettings(rate=0).normalised()
    with pytest.raises(ValueError, match="OGPGRAPH_HARVEST_COMMITMENT_LINK: needs the named "
                                         "group.s. id"):
        HarvestSettings.from_env({"OGPGRAPH_HARVEST_COMMITMENT_LINK": r"/(?P<member>\w+)/"})
    with pytest.raises(ValueError, match="OGPGRAPH_HARVEST_MEMBER_LINK: not a regex"):
        HarvestSettings.from_env({"OGPGRAPH_HARVEST_MEMBER_LINK": "(unclosed"})
    with pytest.raises(ValueError, match="OGPGRAPH_HARVEST_EXPORT_URL: not an http.s. URL"):
        HarvestSettings(export_url="ftp://ogp.test/commitments.csv").normalised()
    with pytest.raises(ValueError, match="OGPGRAPH_HARVEST_BASE_URL: not an http.s. URL"):
        HarvestSettings(base_url="opengovpartnership.org").normalised()
    with pytest.raises(ValueError, match="OGPGRAPH_HARVEST_COMMITMENTS_PATH"):
        HarvestSettings(commitments_path="members/{country}/").normalised()


def test_commitment_links_on_a_listing_page() -> None:
    html = """<a href="KE0001/">relative</a>
      <a href="https://opengovpartnership.org/members/makueni-kenya/commitments/kemkc0001">
         no www., lower case</a>
      <a href="/members/kenya/commitments/KE0001/#top">the same again</a>
      <a href="https://example.org/members/kenya/commitments/KE0002/">another site</a>
      <a href="/members/kenya/commitments/">the listing itself</a>
      <a href="/members/kenya/commitments/../../../etc/passwd">not a commitment</a>
      <a href="mailto:someone@example.org">mail</a>"""
    assert commitment_links(html, LISTING, DEFAULTS) == [
        CommitmentLink("kenya", "KE0001", LISTING + "KE0001/"),
        CommitmentLink("makueni-kenya", "KEMKC0001", "https://opengovpartnership.org/members/"
                                                     "makueni-kenya/commitments/kemkc0001"),
    ]


def test_member_links_on_the_members_page() -> None:
    html = """<a href="/members/peru/">Peru</a> <a href="/members/">all</a>
      <a href="/members/kenya">Kenya</a> <a href="/members/peru/#x">Peru again</a>
      <a href="/members/peru/commitments/PE0055/">a commitment</a>"""
    assert member_slugs(html, OGP_BASE_URL + "our-members/", DEFAULTS) == ["peru", "kenya"]


def test_the_next_page_of_a_listing() -> None:
    wordpress = '<a class="next page-numbers" href="page/2/">Next</a>'
    assert next_page(wordpress, LISTING, DEFAULTS) == LISTING + "page/2/"
    head_link = '<head><link rel="next" href="?page=3"></head>'
    assert next_page(head_link, LISTING, DEFAULTS) == LISTING + "?page=3"
    assert next_page('<a class="prev page-numbers" href="page/1/">', LISTING, DEFAULTS) is None
    elsewhere = '<a rel="next" href="https://example.org/page/2/">'
    assert next_page(elsewhere, LISTING, DEFAULTS) is None


def test_the_rate_limiter_spaces_requests() -> None:
    now = [100.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    limiter = RateLimiter(rate=2.0, clock=lambda: now[0], sleep=sleep)
    assert limiter.wait() == 0.0  # the first request goes at once
    assert limiter.wait() == 0.5
    now[0] += 2.0  # a slow answer: no need to wait after it
    assert limiter.wait() == 0.0
    limiter.slow_to(3.0)  # robots.txt Crawl-delay: 3
    assert limiter.wait() == 0.5  # the slot set before the change
    assert limiter.wait() == 3.0
    assert slept == [0.5, 0.5, 3.0]


def test_retry_after_as_seconds_or_as_a_date() -> None:
    assert retry_after_seconds("120") == 120.0
    assert retry_after_seconds(formatdate(1_000_030, usegmt=True), now=1_000_000) == 30.0
    assert retry_after_seconds(formatdate(999_000, usegmt=True), now=1_000_000) == 0.0
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None


def test_an_atomic_write_is_all_or_nothing(tmp_path: Path) -> None:
    target = tmp_path / "pages" / "PE0055.html"
    with atomic_writer(target) as writer:
        writer.write(b"<html>whole</html>")
    with pytest.raises(RuntimeError), atomic_writer(target) as writer:
        writer.write(b"<html>half")
        raise RuntimeError("connection lost")
    assert target.read_bytes() == b"<html>whole</html>"
    assert [p.name for p in target.parent.iterdir()] == ["PE0055.html"]
    leftover = target.parent / ".PE0055.html.abc123.part"  # as a kill leaves one
    leftover.write_bytes(b"<html>ha")
    assert sweep_partials(tmp_path) == [leftover] and target.is_file()


def test_the_cache_resumes_an_unfinished_run_only_while_it_is_recent(tmp_path: Path) -> None:
    now = [1_000_000.0]
    entry = Entry("http://ogp.test/a/", "a.html", '"e1"', None, "00ff")
    first = HarvestCache(tmp_path, resume_hours=1, clock=lambda: now[0])
    first.record(entry)
    first.close()  # killed: never finished
    now[0] += 1800
    resumed = HarvestCache(tmp_path, resume_hours=1, clock=lambda: now[0])
    assert resumed.resumed and resumed.run_id == first.run_id
    assert resumed.checked_in_this_run(entry.url) is not None
    resumed.close()
    now[0] += 3600  # the unfinished run is too old now
    late = HarvestCache(tmp_path, resume_hours=1, clock=lambda: now[0])
    assert not late.resumed and late.checked_in_this_run(entry.url) is None
    assert late.get(entry.url) is not None and late.get(entry.url).etag == '"e1"'
    late.finish()
    late.close()
    after_finish = HarvestCache(tmp_path, resume_hours=1, clock=lambda: now[0])
    assert not after_finish.resumed and after_finish.run_id != late.run_id
    after_finish.close()
