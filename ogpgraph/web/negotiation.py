"""Content negotiation: pure helpers over python-mimeparse (q-values, wildcards, specificity)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from types import MappingProxyType

import mimeparse

from ogpgraph.graph.formats import Format


def negotiate(accept: str | None, offered: Sequence[str], default: str) -> str | None:
    """The offered media type that best matches the Accept header, or None (answer 406).

    No Accept header, or a bare ``*/*``, gives ``default``; ties between equally good
    matches also go to ``default`` (mimeparse prefers the later of equal candidates).
    A malformed header is read as ``*/*`` rather than refused.
    """
    if not accept or not accept.strip():
        return default
    return _best_match(accept, tuple(offered), default)


@lru_cache(maxsize=1024)  # clients send few distinct headers; parsing them is most of the cost
def _best_match(accept: str, offered: tuple[str, ...], default: str) -> str | None:
    candidates = [media for media in offered if media != default] + [default]
    try:
        best = mimeparse.best_match(candidates, accept)
    except (ValueError, IndexError):
        return default
    return best or None


def media_type_of(content_type: str | None) -> str:
    """``application/x-www-form-urlencoded; charset=UTF-8`` -> its bare lower-case type."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def negotiate_format(accept: str | None, formats: Sequence[Format],
                     default: Format) -> Format | None:
    """The format of ``formats`` the Accept header prefers, or None (406). The one content
    negotiation of every route: documents, the SPARQL endpoint, VoID, errors.

    Ties go to ``default``, then to a format's own media type over an alias it also
    accepts (``application/json`` is JSON-LD's alias), and HTML loses them to data.
    """
    offered = _offered(tuple(formats))
    chosen = negotiate(accept, tuple(offered), default.media_type)
    return offered[chosen] if chosen else None


@lru_cache(maxsize=64)  # routes offer a few fixed tuples of formats
def _offered(formats: tuple[Format, ...]) -> Mapping[str, Format]:
    """Media type -> format, in the order that settles ties (see ``negotiate_format``);
    read-only, as every caller shares it."""
    offered: dict[str, Format] = {}
    for fmt in formats:
        if fmt.kind == "html":
            offered.update({media: fmt for media in fmt.media_types})
    for fmt in formats:  # aliases first: equal matches go to the later candidates
        offered.update({media: fmt for media in fmt.media_types[1:] if media not in offered})
    for fmt in formats:
        if fmt.kind != "html":
            offered[fmt.media_type] = fmt
    return MappingProxyType(offered)


def offered_media_types(formats: Sequence[Format]) -> str:
    """``text/turtle, application/ld+json, …`` for 406 messages."""
    return ", ".join(fmt.media_type for fmt in formats)
