"""The harvester's settings: ``OGPGRAPH_HARVEST_*`` environment variables over defaults.

The URL patterns are assumptions about OGP's site (a WordPress site), drawn from the
saved pages' URLs (``/members/{member}/commitments/{ID}/``); every one is a setting so a
change on OGP's side is a configuration change, not a code change.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, fields, replace
from typing import Any
from urllib.parse import urljoin, urlsplit

from ogpgraph.config import DEFAULT_BASE_URI

OGP_BASE_URL = "https://www.opengovpartnership.org/"
ENV_PREFIX = "OGPGRAPH_HARVEST_"


@dataclass(frozen=True)
class HarvestSettings:
    base_url: str = OGP_BASE_URL
    # The commitments export (CSV): absolute, or relative to base_url; empty = not fetched
    # (OGP publishes no stable export URL that we know of).
    export_url: str = ""
    export_file: str = "commitments.csv"
    # Members listing page, and the links on it that lead to a member (group "member").
    members_path: str = "our-members/"
    member_link: str = r"/members/(?P<member>[a-z0-9][a-z0-9-]*)/?$"
    # A member's commitments listing, and the links on it that lead to a commitment page.
    commitments_path: str = "members/{member}/commitments/"
    commitment_link: str = (r"/members/(?P<member>[a-z0-9][a-z0-9-]*)/commitments/"
                            r"(?P<id>[A-Za-z]{2,6}[0-9]{2,6})/?$")
    # CSS selector of the link to a listing's next page (WordPress pagination markup).
    next_page: str = 'a[rel~="next"], link[rel~="next"], a.next.page-numbers'
    max_listing_pages: int = 200  # per member: a guard against pagination loops
    contact_url: str = ""  # empty: the publisher's own OGPGRAPH_BASE_URI
    rate: float = 1.0  # requests per second, at most (robots.txt Crawl-delay may lower it)
    timeout: float = 30.0  # seconds, per request
    attempts: int = 5  # per URL, the first included
    backoff: float = 1.0  # seconds before the first retry; doubles each retry
    max_wait: float = 120.0  # longest wait between attempts; a longer Retry-After fails
    resume_hours: float = 24.0  # an unfinished run younger than this is resumed

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> HarvestSettings:
        env = dict(os.environ if env is None else env)
        values: dict[str, Any] = {}
        for spec in fields(cls):
            raw = env.get(ENV_PREFIX + spec.name.upper())
            if raw is not None:
                values[spec.name] = _convert(spec.name, raw, type(getattr(cls, spec.name)))
        settings = cls(**values)
        if not settings.contact_url:  # the publisher's own site, OGPGRAPH_BASE_URI
            settings = replace(settings, contact_url=env.get("OGPGRAPH_BASE_URI",
                                                             DEFAULT_BASE_URI))
        return settings.normalised()

    def with_options(self, **options: Any) -> HarvestSettings:
        """These settings with the CLI options that were given (None = not given)."""
        given = {name: value for name, value in options.items() if value is not None}
        return replace(self, **given).normalised()

    def normalised(self) -> HarvestSettings:
        """These settings checked (an error names the variable), the base ending in /."""
        base = self.base_url if self.base_url.endswith("/") else self.base_url + "/"
        if self.rate <= 0 or self.attempts < 1 or self.timeout <= 0:
            raise ValueError("harvest settings: rate and timeout must be > 0, attempts >= 1")
        for name, groups in (("member_link", {"member"}), ("commitment_link", {"member", "id"})):
            try:
                found = set(re.compile(getattr(self, name)).groupindex)
            except re.error as error:
                raise ValueError(f"{ENV_PREFIX}{name.upper()}: not a regex: {error}") from error
            if not groups <= found:
                raise ValueError(f"{ENV_PREFIX}{name.upper()}: needs the named group(s) "
                                 f"{', '.join(sorted(groups - found))}")
        for name, url in (("base_url", base), ("export_url", urljoin(base, self.export_url))):
            if urlsplit(url).scheme not in {"http", "https"} or not urlsplit(url).netloc:
                raise ValueError(f"{ENV_PREFIX}{name.upper()}: not an http(s) URL: {url}")
        try:
            self.commitments_path.format(member="peru")
        except (KeyError, IndexError, ValueError) as error:
            raise ValueError(f"{ENV_PREFIX}COMMITMENTS_PATH: only {{member}} may be filled in"
                             ) from error
        return replace(self, base_url=base)

    @property
    def user_agent(self) -> str:
        from importlib.metadata import PackageNotFoundError, version

        try:
            release = version("ogpgraph")
        except PackageNotFoundError:  # pragma: no cover - run from a bare checkout
            release = "dev"
        return f"ogpgraph-harvest/{release} (+{self.contact_url})"


def _convert(name: str, raw: str, kind: type) -> Any:
    try:
        return kind(raw)
    except ValueError as error:
        raise ValueError(f"{ENV_PREFIX}{name.upper()}={raw!r}: not a {kind.__name__}") from error
