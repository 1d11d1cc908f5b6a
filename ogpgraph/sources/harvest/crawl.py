"""The harvest itself: the export, then the members, their commitment listings (page by
page) and their commitment pages, each URL through robots.txt, the cache and the fetcher.

Layout of the harvest folder (what ``build`` reads is not hidden, the rest is)::

    DIR/commitments.csv                 the export (OGPGRAPH_HARVEST_EXPORT_FILE)
    DIR/pages/{member}/{ID}.html        the commitment pages
    DIR/.harvest-listings/{hash}.html   listing pages, kept for their links on a 304
    DIR/.harvest-cache.sqlite           validators and runs (cache.py)
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Protocol
from urllib.parse import urljoin

import httpx

from ogpgraph.sources.harvest.atomic import sha256_of, sweep_partials
from ogpgraph.sources.harvest.cache import Entry, HarvestCache
from ogpgraph.sources.harvest.fetch import Fetcher, FetchResult, make_client
from ogpgraph.sources.harvest.links import (
    CommitmentLink,
    commitment_links,
    member_slugs,
    next_page,
)
from ogpgraph.sources.harvest.ratelimit import RateLimiter
from ogpgraph.sources.harvest.robots import RobotsPolicy
from ogpgraph.sources.harvest.settings import HarvestSettings
from ogpgraph.sources.harvest.summary import Summary

LISTINGS = ".harvest-listings"


class HarvestProgress(Protocol):
    def expect(self, count: int) -> None: ...  # more URLs to do

    def advance(self, url: str) -> None: ...  # one URL done, however it ended


class NullProgress:
    def expect(self, count: int) -> None:
        pass

    def advance(self, url: str) -> None:
        pass


class Harvester:
    """One harvest of ``out``; ``summary`` tells what it did, even when interrupted."""

    def __init__(self, out: Path, settings: HarvestSettings, *, fresh: bool = False,
                 progress: HarvestProgress | None = None,
                 transport: httpx.BaseTransport | None = None,
                 sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.out, self.settings = out, settings
        self.fresh, self.transport, self._sleep, self._clock = fresh, transport, sleep, clock
        self.progress = progress or NullProgress()
        self.summary = Summary()

    def run(self, members: Iterable[str] = ()) -> Summary:
        self.out.mkdir(parents=True, exist_ok=True)
        sweep_partials(self.out)  # a kill's leftovers: never read, never resumed
        cache = HarvestCache(self.out, self.settings.resume_hours, fresh=self.fresh)
        self.summary.resumed = cache.resumed
        try:
            with make_client(self.settings, self.transport) as client:
                limiter = RateLimiter(self.settings.rate, clock=self._clock, sleep=self._sleep)
                fetcher = Fetcher(self.settings, client, limiter, sleep=self._sleep)
                robots = RobotsPolicy(fetcher, self.settings.user_agent)
                _Run(self, cache, fetcher, robots).crawl(list(members))
                self.summary.notes += robots.notes
            cache.finish()
        except KeyboardInterrupt:
            self.summary.interrupted = True
            raise
        finally:
            cache.close()
        return self.summary


class _Run:
    def __init__(self, harvester: Harvester, cache: HarvestCache, fetcher: Fetcher,
                 robots: RobotsPolicy) -> None:
        self.h, self.cache, self.fetcher, self.robots = harvester, cache, fetcher, robots
        self.settings = harvester.settings

    def crawl(self, members: list[str]) -> None:
        if self.settings.export_url:
            self.h.progress.expect(1)
            self.get(urljoin(self.settings.base_url, self.settings.export_url),
                     self.settings.export_file)
        if not members:
            members = self.members()
        links: dict[str, CommitmentLink] = {}
        for member in members:
            for link in self.member_commitments(member):
                links.setdefault(link.url, link)
        self.h.progress.expect(len(links))
        for link in links.values():
            self.get(link.url, f"pages/{link.member}/{link.identifier}.html")

    def members(self) -> list[str]:
        url = urljoin(self.settings.base_url, self.settings.members_path)
        self.h.progress.expect(1)
        html = self.listing(url)
        return member_slugs(html, url, self.settings) if html is not None else []

    def member_commitments(self, member: str) -> list[CommitmentLink]:
        path = self.settings.commitments_path.format(member=member)
        url: str | None = urljoin(self.settings.base_url, path)
        found: list[CommitmentLink] = []
        seen: set[str] = set()
        while url and url not in seen and len(seen) < self.settings.max_listing_pages:
            seen.add(url)
            self.h.progress.expect(1)
            html = self.listing(url)
            if html is None:
                break
            found += commitment_links(html, url, self.settings)
            url = next_page(html, url, self.settings)
        return found

    def listing(self, url: str) -> str | None:
        """A listing page's HTML (this run's, or the last good copy when it failed)."""
        name = hashlib.sha256(url.encode()).hexdigest()[:20]
        relative = f"{LISTINGS}/{name}.html"
        self.get(url, relative)
        target = self.h.out / relative
        return target.read_text(encoding="utf-8", errors="replace") if target.is_file() else None

    def get(self, url: str, relative: str) -> None:
        """Bring ``url`` into ``out/relative``, unless robots.txt or this run forbid it."""
        summary, target = self.h.summary, self.h.out / relative
        try:
            if not self.robots.allowed(url):
                summary.skipped.append((url, "disallowed by robots.txt"))
                return
            done = self.cache.checked_in_this_run(url)
            if done and done.path == relative and sha256_of(target) == done.sha256:
                summary.kept.append(url)
                return
            previous = self.cache.get(url)
            if previous and (previous.path != relative or sha256_of(target) != previous.sha256):
                previous = None  # the file is gone or was edited: fetch it whole
            result = self.fetcher.fetch(url, target, relative, previous)
            self.record(result, previous)
            summary.add(result, previous_copy=target.is_file())
        finally:
            self.h.progress.advance(url)

    def record(self, result: FetchResult, previous: Entry | None) -> None:
        entry = result.entry or (previous if result.outcome == "unchanged" else None)
        if entry is not None:
            self.cache.record(entry)
