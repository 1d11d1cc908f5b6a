"""At most one request per interval, across everything the harvester asks of a site."""

from __future__ import annotations

import time
from collections.abc import Callable


class RateLimiter:
    def __init__(self, rate: float, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.interval = 1.0 / rate
        self._clock, self._sleep = clock, sleep
        self._next: float | None = None

    def slow_to(self, seconds: float | None) -> None:
        """Never faster than one request per ``seconds`` (robots.txt ``Crawl-delay``)."""
        if seconds:
            self.interval = max(self.interval, float(seconds))

    def wait(self) -> float:
        """Sleep until the next request may start; return how long it slept."""
        now = self._clock()
        pause = 0.0 if self._next is None else max(0.0, self._next - now)
        if pause:
            self._sleep(pause)
        self._next = now + pause + self.interval
        return pause
