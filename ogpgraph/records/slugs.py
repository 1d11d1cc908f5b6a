"""Slugs: the key part of our IRIs made from names (python-slugify of the English name)."""

from __future__ import annotations

from slugify import slugify


def slug(text: str) -> str:
    return slugify(text, max_length=80, word_boundary=True) or "unnamed"
