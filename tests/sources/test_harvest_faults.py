"""Every injected fault ends in a retry or in a clear line of the summary, never in a
half-written file or a crash."""

from __future__ import annotations

from pathlib import Path

import httpx
from harvest_server import EXPORT, HN0065, UK0063, Fault, HarvestServer, Sleeps, harvest

from ogpgraph.sources.harvest.crawl import Harvester
from ogpgraph.sources.harvest.settings import HarvestSettings

HN_FILE = "pages/honduras/HN0065.html"
UK_FILE = "pages/united-kingdom/UK0063.html"


def leftovers(folder: Path) -> list[Path]:
    return list(folder.rglob("*.part"))


def test_5xx_is_retried_with_exponential_backoff(site: HarvestServer, tmp_path: Path) -> None:
    site.fail(HN0065, Fault(status=500), Fault(status=502))
    sleeps = Sleeps()
    summary = harvest(site, tmp_path, sleeps=sleeps, attempts=3, backoff=0.5)
    assert summary.ok and site.url(HN0065) in summary.fetched
    assert site.state.requests[HN0065] == 3
    assert [s for s in sleeps if s >= 0.5] == [0.5, 1.0]  # 0.5 s, then twice that
    assert (tmp_path / HN_FILE).read_bytes() == site.state.resources[HN0065].body


def test_429_waits_as_long_as_retry_after_says(site: HarvestServer, tmp_path: Path) -> None:
    site.fail(UK0063, Fault(status=429, headers=(("Retry-After", "7"),)))
    sleeps = Sleeps()
    summary = harvest(site, tmp_path, sleeps=sleeps)
    assert summary.ok and site.url(UK0063) in summary.fetched
    assert 7.0 in sleeps and site.state.requests[UK0063] == 2


def test_a_retry_after_beyond_the_limit_fails_at_once_with_the_reason(
        site: HarvestServer, tmp_path: Path) -> None:
    site.fail(UK0063, Fault(status=503, headers=(("Retry-After", "3600"),)))
    sleeps = Sleeps()
    summary = harvest(site, tmp_path, sleeps=sleeps, max_wait=60.0)
    assert summary.failed == [(site.url(UK0063), "HTTP 503 Service Unavailable: Retry-After "
                               "3600 s is longer than the 60 s allowed "
                               "(OGPGRAPH_HARVEST_MAX_WAIT)")]
    assert site.state.requests[UK0063] == 1 and max(sleeps, default=0) < 60
    assert not (tmp_path / UK_FILE).exists()
    assert site.url(HN0065) in summary.fetched  # one failure does not stop the harvest


def test_a_timeout_is_retried(site: HarvestServer, tmp_path: Path) -> None:
    site.fail(HN0065, Fault(delay=3.0))
    summary = harvest(site, tmp_path, timeout=0.5, attempts=4)
    assert summary.ok and site.url(HN0065) in summary.fetched
    assert site.state.requests[HN0065] >= 2
    assert (tmp_path / HN_FILE).read_bytes() == site.state.resources[HN0065].body


def test_a_truncated_body_is_retried_and_never_saved(site: HarvestServer,
                                                     tmp_path: Path) -> None:
    site.fail(EXPORT, Fault(truncate_to=100))
    site.fail(UK0063, Fault(truncate_to=0))
    summary = harvest(site, tmp_path)
    assert summary.ok
    assert site.state.requests[EXPORT] == 2 and site.state.requests[UK0063] == 2
    assert (tmp_path / "commitments.csv").read_bytes() == site.state.resources[EXPORT].body
    assert (tmp_path / UK_FILE).read_bytes() == site.state.resources[UK0063].body
    assert leftovers(tmp_path) == []


def test_a_url_that_keeps_failing_is_one_line_of_the_summary(site: HarvestServer,
                                                             tmp_path: Path) -> None:
    site.fail_always(UK0063, Fault(status=500))
    summary = harvest(site, tmp_path, attempts=3)
    assert summary.failed == [(site.url(UK0063),
                               "HTTP 500 Internal Server Error (after 3 attempts)")]
    assert f"failed  {site.url(UK0063)}: HTTP 500 Internal Server Error (after 3 attempts)" \
        in summary.lines()
    assert site.state.requests[UK0063] == 3
    assert not (tmp_path / UK_FILE).exists() and leftovers(tmp_path) == []
    assert (tmp_path / HN_FILE).is_file()


def test_a_failed_refresh_keeps_the_last_good_copy(site: HarvestServer, tmp_path: Path
                                                   ) -> None:
    harvest(site, tmp_path)
    good = (tmp_path / UK_FILE).read_bytes()
    site.set_page(UK0063, good.replace(b"UK0063", b"UK0063 (changed)"))
    site.fail_always(UK0063, Fault(truncate_to=50))
    summary = harvest(site, tmp_path, attempts=2)
    [(url, reason)] = summary.failed
    assert url == site.url(UK0063)
    assert reason.startswith("truncated or malformed response: ")
    assert reason.endswith("(after 2 attempts); the copy from an earlier harvest is kept")
    assert (tmp_path / UK_FILE).read_bytes() == good and leftovers(tmp_path) == []
    site.state.always.clear()
    assert harvest(site, tmp_path).fetched == [site.url(UK0063)]  # cache was not poisoned


def test_robots_txt_is_obeyed(site: HarvestServer, tmp_path: Path) -> None:
    site.state.robots = "User-agent: *\nDisallow: /members/united-kingdom/\n"
    summary = harvest(site, tmp_path)
    assert not [path for path in site.state.requests if "united-kingdom" in path]
    assert summary.skipped == [(site.url("/members/united-kingdom/commitments/"),
                                "disallowed by robots.txt")]
    assert f"skipped {site.url('/members/united-kingdom/commitments/')}: disallowed by " \
           "robots.txt" in summary.lines()
    assert site.url(HN0065) in summary.fetched and not summary.failed


def test_robots_txt_rules_for_our_agent_alone(site: HarvestServer, tmp_path: Path) -> None:
    site.state.robots = ("User-agent: ogpgraph-harvest\nDisallow: /export/\n\n"
                         "User-agent: *\nDisallow:\n")
    summary = harvest(site, tmp_path)
    assert site.state.requests[EXPORT] == 0
    assert summary.skipped == [(site.url(EXPORT), "disallowed by robots.txt")]


def test_an_unreachable_robots_txt_means_nothing_is_fetched(site: HarvestServer,
                                                            tmp_path: Path) -> None:
    site.state.robots_status = 500
    summary = harvest(site, tmp_path, attempts=2)
    assert site.content_requests() == {}
    assert site.state.requests["/robots.txt"] == 2  # retried like anything else
    assert summary.notes == [f"{site.url('/robots.txt')}: HTTP 500 Internal Server Error; "
                             "nothing is fetched from that site until it answers (RFC 9309)"]
    assert len(summary.skipped) == 2 and not summary.fetched  # the export and the members


def test_robots_txt_retried_after_429_but_not_after_a_long_retry_after(
        site: HarvestServer, tmp_path: Path) -> None:
    site.fail("/robots.txt", Fault(status=429, headers=(("Retry-After", "2"),)))
    sleeps = Sleeps()
    assert harvest(site, tmp_path, sleeps=sleeps).ok and 2.0 in sleeps
    site.reset_counts()
    site.fail("/robots.txt", Fault(status=503, headers=(("Retry-After", "86400"),)))
    sleeps = Sleeps()
    summary = harvest(site, tmp_path / "again", sleeps=sleeps)
    assert site.state.requests["/robots.txt"] == 1 and max(sleeps, default=0) < 1
    assert site.content_requests() == {} and not summary.fetched
    assert summary.notes[0].endswith("HTTP 503 Service Unavailable; nothing is fetched from "
                                     "that site until it answers (RFC 9309)")


def test_a_missing_robots_txt_allows_everything(site: HarvestServer, tmp_path: Path) -> None:
    site.state.robots_status = 404
    summary = harvest(site, tmp_path)
    assert summary.ok and len(summary.fetched) == 7


def test_an_unknown_member_is_a_failed_line_not_a_crash(site: HarvestServer,
                                                        tmp_path: Path) -> None:
    summary = harvest(site, tmp_path, members=("atlantis",))
    assert summary.failed == [(site.url("/members/atlantis/commitments/"), "HTTP 404 Not Found")]
    assert not (tmp_path / "pages").exists()


def test_content_length_is_checked_even_when_the_connection_stays_open(tmp_path: Path) -> None:
    """A body shorter than its Content-Length, from a transport that does not notice."""
    calls: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        return httpx.Response(200, headers={"Content-Length": "5000"}, content=b"<html>cut")

    settings = HarvestSettings(base_url="http://ogp.test/", export_url="export.csv",
                               rate=1000.0, attempts=2, backoff=0.1).normalised()
    harvester = Harvester(tmp_path, settings, transport=httpx.MockTransport(answer),
                          sleep=Sleeps())
    summary = harvester.run(["peru"])
    assert calls.count("/export.csv") == 2
    assert (("http://ogp.test/export.csv", "truncated body: 9 of 5000 bytes (after 2 attempts)")
            in summary.failed)
    assert not (tmp_path / "commitments.csv").exists() and leftovers(tmp_path) == []


def test_a_redirect_loop_is_a_failed_line_not_a_crash(site: HarvestServer,
                                                     tmp_path: Path) -> None:
    site.fail_always(UK0063, Fault(status=302, headers=(("Location", UK0063),)))
    summary = harvest(site, tmp_path)
    assert summary.failed == [(site.url(UK0063),
                               "TooManyRedirects: Exceeded maximum allowed redirects.")]
    assert 1 < site.state.requests[UK0063] <= 21 and not (tmp_path / UK_FILE).exists()
