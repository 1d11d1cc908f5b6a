"""One URL into one file: a conditional GET streamed into an atomic write, retried with
exponential backoff (tenacity) on timeouts, network errors, truncated bodies, 429 and 5xx.

A 429 or 503 with ``Retry-After`` waits as long as asked, unless that is longer than
``max_wait``: then the URL fails at once rather than hammering the site sooner."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from pathlib import Path

import httpx
from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_attempt
from tenacity.wait import wait_exponential

from ogpgraph.sources.harvest.atomic import atomic_writer
from ogpgraph.sources.harvest.cache import Entry
from ogpgraph.sources.harvest.ratelimit import RateLimiter
from ogpgraph.sources.harvest.settings import HarvestSettings

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class RetryableStatus(Exception):
    def __init__(self, status: int, retry_after: float | None) -> None:
        self.status, self.retry_after = status, retry_after
        super().__init__(status_text(status))


class TruncatedBody(Exception):
    pass


RETRYABLE = (RetryableStatus, TruncatedBody, httpx.TimeoutException, httpx.NetworkError,
             httpx.RemoteProtocolError)


@dataclass(frozen=True)
class FetchResult:
    url: str
    outcome: str  # "fetched", "unchanged" (304 or same bytes) or "failed"
    entry: Entry | None = None  # what to cache, when not failed
    reason: str = ""
    status: int | None = None


def status_text(status: int) -> str:
    try:
        return f"HTTP {status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"HTTP {status}"


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """``Retry-After`` as seconds: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError):
        return None
    return max(0.0, moment - (time.time() if now is None else now))


def make_client(settings: HarvestSettings,
                transport: httpx.BaseTransport | None = None) -> httpx.Client:
    return httpx.Client(headers={"User-Agent": settings.user_agent}, timeout=settings.timeout,
                        follow_redirects=True, transport=transport)


class Fetcher:
    def __init__(self, settings: HarvestSettings, client: httpx.Client, limiter: RateLimiter,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.settings, self.client, self.limiter, self._sleep = settings, client, limiter, sleep
        self._backoff = wait_exponential(multiplier=settings.backoff, max=settings.max_wait)

    def _wait(self, state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        if isinstance(error, RetryableStatus) and error.retry_after is not None:
            return error.retry_after  # checked against max_wait before raising
        return self._backoff(state)

    def _retrying(self) -> Retrying:
        return Retrying(stop=stop_after_attempt(self.settings.attempts), wait=self._wait,
                        retry=retry_if_exception_type(RETRYABLE), sleep=self._sleep,
                        reraise=True)

    def fetch(self, url: str, target: Path, relative: str, previous: Entry | None) -> FetchResult:
        """GET ``url`` into ``target``; conditional on ``previous``'s validators if given."""
        headers = {}
        if previous and previous.etag:
            headers["If-None-Match"] = previous.etag
        if previous and previous.last_modified:
            headers["If-Modified-Since"] = previous.last_modified
        retrying = self._retrying()
        try:
            result = retrying(self._attempt, url, target, relative, headers)
        except RETRYABLE as error:
            attempts = retrying.statistics.get("attempt_number", self.settings.attempts)
            return FetchResult(url, "failed", reason=f"{describe(error, self.settings)} "
                                                     f"(after {attempts} attempts)",
                               status=getattr(error, "status", None))
        except (httpx.HTTPError, httpx.InvalidURL) as error:  # not worth a retry: a bad URL
            return FetchResult(url, "failed", reason=f"{type(error).__name__}: {error}")
        except OSError as error:  # the folder: full disk, no permission
            return FetchResult(url, "failed", reason=f"cannot save {target}: {error}")
        if result.outcome != "fetched" or previous is None or result.entry is None:
            return result
        if result.entry.sha256 == previous.sha256:  # a server without validators
            return FetchResult(url, "unchanged", result.entry, status=200)
        return result

    def _attempt(self, url: str, target: Path, relative: str,
                 headers: dict[str, str]) -> FetchResult:
        self.limiter.wait()
        with self.client.stream("GET", url, headers=headers) as response:
            status = response.status_code
            if status in RETRY_STATUSES:
                return self._retry_or_give_up(url, response)
            validators = (response.headers.get("etag"), response.headers.get("last-modified"))
            if status == 304 and headers:
                return FetchResult(url, "unchanged", None, status=304)
            if status != 200:
                return FetchResult(url, "failed", reason=status_text(status), status=status)
            with atomic_writer(target) as writer:
                for block in response.iter_bytes():
                    writer.write(block)
                check_complete(response, writer.size)
        entry = Entry(url, relative, *validators, sha256=writer.sha256)
        return FetchResult(url, "fetched", entry, status=200)

    def _retry_or_give_up(self, url: str, response: httpx.Response) -> FetchResult:
        wait = retry_after_seconds(response.headers.get("retry-after"))
        limit = self.settings.max_wait
        if wait is not None and wait > limit:
            return FetchResult(url, "failed", status=response.status_code,
                               reason=f"{status_text(response.status_code)}: Retry-After "
                                      f"{wait:.0f} s is longer than the {limit:.0f} s allowed "
                                      f"(OGPGRAPH_HARVEST_MAX_WAIT)")
        raise RetryableStatus(response.status_code, wait)

    def get_text(self, url: str) -> tuple[int | None, str, str]:
        """(status, text, reason) of a small resource such as robots.txt; status None when
        it could not be had even after retries."""
        def attempt() -> httpx.Response:
            self.limiter.wait()
            response = self.client.get(url)
            if response.status_code in RETRY_STATUSES:
                wait = retry_after_seconds(response.headers.get("retry-after"))
                if wait is not None and wait > self.settings.max_wait:
                    return response  # too long to wait: given up, like an unreachable site
                raise RetryableStatus(response.status_code, wait)
            check_complete(response, len(response.content))
            return response

        try:
            response = self._retrying()(attempt)
        except RetryableStatus as error:
            return error.status, "", describe(error, self.settings)
        except RETRYABLE as error:
            return None, "", describe(error, self.settings)
        except (httpx.HTTPError, httpx.InvalidURL) as error:
            return None, "", f"{type(error).__name__}: {error}"
        return response.status_code, response.text, status_text(response.status_code)


def check_complete(response: httpx.Response, decoded: int) -> None:
    """Raise TruncatedBody when fewer (or more) bytes came than Content-Length announced.
    Content-Length counts the bytes as sent: compressed ones when the body is encoded."""
    announced = response.headers.get("content-length")
    if not (announced and announced.isdigit()):
        return
    encoded = response.headers.get("content-encoding", "identity").lower() != "identity"
    received = response.num_bytes_downloaded if encoded else decoded
    if int(announced) != received:
        raise TruncatedBody(f"truncated body: {received} of {announced} bytes")


def describe(error: BaseException, settings: HarvestSettings) -> str:
    if isinstance(error, httpx.TimeoutException):
        return f"timed out (no answer within {settings.timeout:g} s)"
    if isinstance(error, httpx.RemoteProtocolError):
        return f"truncated or malformed response: {error}"
    if isinstance(error, httpx.NetworkError):
        return f"network error: {error or type(error).__name__}"
    return str(error)
