"""robots.txt, read once per site with ``urllib.robotparser``, as RFC 9309 says: a 4xx
answer means no rules (everything allowed); a 5xx or no answer at all means the site asked
for nothing to be crawled (everything disallowed)."""

from __future__ import annotations

from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from ogpgraph.sources.harvest.fetch import Fetcher


class RobotsPolicy:
    def __init__(self, fetcher: Fetcher, user_agent: str) -> None:
        self._fetcher, self._agent = fetcher, user_agent
        self._parsers: dict[str, RobotFileParser] = {}
        self.notes: list[str] = []  # one line per site whose robots.txt could not be read

    def _parser(self, url: str) -> RobotFileParser:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._parsers:
            self._parsers[origin] = self._load(f"{origin}/robots.txt")
        return self._parsers[origin]

    def _load(self, robots_url: str) -> RobotFileParser:
        parser = RobotFileParser(robots_url)
        status, text, reason = self._fetcher.get_text(robots_url)
        if status is not None and 200 <= status < 300:
            parser.parse(text.splitlines())
            self._fetcher.limiter.slow_to(self._delay(parser))
        elif status is not None and 400 <= status < 500:
            parser.allow_all = True
        else:
            parser.disallow_all = True
            self.notes.append(f"{robots_url}: {reason}; nothing is fetched from that site "
                              f"until it answers (RFC 9309)")
        return parser

    def _delay(self, parser: RobotFileParser) -> float | None:
        delay = parser.crawl_delay(self._agent)
        rate = parser.request_rate(self._agent)
        from_rate = rate.seconds / rate.requests if rate and rate.requests else None
        candidates = [float(d) for d in (delay, from_rate) if d]
        return max(candidates) if candidates else None

    def allowed(self, url: str) -> bool:
        return self._parser(url).can_fetch(self._agent, url)
