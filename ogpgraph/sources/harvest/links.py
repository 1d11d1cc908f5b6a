"""What a listing page leads to: members, commitment pages, the next page of the listing.
Links are matched by the settings' patterns on the path of same-site URLs only."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urldefrag, urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

from ogpgraph.sources.harvest.settings import HarvestSettings

SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")  # becomes a file or folder name


@dataclass(frozen=True)
class CommitmentLink:
    member: str
    identifier: str  # upper case, as OGP writes it (PE0055), whatever the URL's case
    url: str


def _site(url: str) -> str:
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")  # OGP links to itself with and without www.


def same_site_links(html: str, page_url: str) -> list[str]:
    """Absolute URLs of the page's ``<a href>``, on the page's own site, in order, once."""
    seen: dict[str, None] = {}
    site = _site(page_url)
    for node in LexborHTMLParser(html).css("a[href]"):
        href = (node.attributes.get("href") or "").strip()
        url = urldefrag(urljoin(page_url, href)).url
        if urlsplit(url).scheme in {"http", "https"} and _site(url) == site:
            seen.setdefault(url, None)
    return list(seen)


def member_slugs(html: str, page_url: str, settings: HarvestSettings) -> list[str]:
    pattern = re.compile(settings.member_link)
    slugs: dict[str, None] = {}
    for url in same_site_links(html, page_url):
        found = pattern.search(urlsplit(url).path)
        if found and SAFE_NAME.fullmatch(found["member"]):
            slugs.setdefault(found["member"], None)
    return list(slugs)


def commitment_links(html: str, page_url: str,
                     settings: HarvestSettings) -> list[CommitmentLink]:
    pattern = re.compile(settings.commitment_link)
    found: dict[str, CommitmentLink] = {}
    for url in same_site_links(html, page_url):
        match = pattern.search(urlsplit(url).path)
        if not match or not SAFE_NAME.fullmatch(match["member"]):
            continue
        identifier = match["id"].upper()
        if SAFE_NAME.fullmatch(identifier):
            found.setdefault(identifier, CommitmentLink(match["member"], identifier, url))
    return list(found.values())


def next_page(html: str, page_url: str, settings: HarvestSettings) -> str | None:
    node = LexborHTMLParser(html).css_first(settings.next_page)
    href = (node.attributes.get("href") or "").strip() if node is not None else ""
    if not href:
        return None
    url = urldefrag(urljoin(page_url, href)).url
    return url if _site(url) == _site(page_url) and url != page_url else None
