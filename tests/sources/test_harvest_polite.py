"""Politeness: who is asking, and how often."""

from __future__ import annotations

from pathlib import Path

from harvest_server import HarvestServer, Sleeps, harvest


def test_every_request_names_the_harvester_and_a_contact(site: HarvestServer,
                                                         tmp_path: Path) -> None:
    harvest(site, tmp_path, contact_url="https://example.org/about-our-harvester")
    agents = set(site.state.user_agents)
    assert len(agents) == 1
    agent = agents.pop()
    assert agent.startswith("ogpgraph-harvest/")
    assert agent.endswith("(+https://example.org/about-our-harvester)")


def test_requests_are_spaced_by_the_rate(site: HarvestServer, tmp_path: Path) -> None:
    sleeps = Sleeps()  # its clock moves only when the harvester waits
    summary = harvest(site, tmp_path, sleeps=sleeps, rate=4.0)
    asked = sum(site.state.requests.values())
    assert asked == 8 and len(summary.fetched) == 7  # robots.txt, then 7 URLs
    assert sleeps == [0.25] * (asked - 1)


def test_robots_txt_crawl_delay_slows_the_harvest_down(site: HarvestServer,
                                                       tmp_path: Path) -> None:
    site.state.robots = "User-agent: *\nCrawl-delay: 3\nDisallow: /wp-admin/\n"
    sleeps = Sleeps()
    harvest(site, tmp_path, sleeps=sleeps, rate=4.0)
    assert sleeps == [0.25] + [3.0] * 6  # the slot after robots.txt was set before it


def test_a_request_rate_in_robots_txt_is_honoured_too(site: HarvestServer,
                                                      tmp_path: Path) -> None:
    site.state.robots = "User-agent: *\nRequest-rate: 1/10\n"
    sleeps = Sleeps()
    harvest(site, tmp_path, sleeps=sleeps, rate=4.0)
    assert sleeps[1:] == [10.0] * 6
