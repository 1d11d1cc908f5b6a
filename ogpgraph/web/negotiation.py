"""Content negotiation: pure helpers over python-mimeparse (q-values, wildcards, specificity)."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import mimeparse


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
