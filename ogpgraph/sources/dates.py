"""Dates written in prose or US style, to ISO strings, with dateparser."""

from __future__ import annotations

from functools import lru_cache

from dateparser.date import DateDataParser

# US-style numeric dates in OGP's export (9/1/2018), month names in any UI language.
_PARSER = DateDataParser(
    languages=["en", "es", "fr", "pt"],
    settings={"DATE_ORDER": "MDY", "PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["year"]},
)


@lru_cache(maxsize=65_536)
def parse_date(text: str | None) -> str | None:
    """``agosto 2015`` -> ``2015-08``; ``9/1/2018`` -> ``2018-09-01``; ``2015`` -> ``2015``.

    Returns None when the text holds no recognisable date.
    """
    if not text or not text.strip():
        return None
    data = _PARSER.get_date_data(text.strip())
    if data.date_obj is None:
        return None
    when = data.date_obj
    if data.period == "year":
        return f"{when.year:04d}"
    if data.period == "month":
        return f"{when.year:04d}-{when.month:02d}"
    return when.strftime("%Y-%m-%d")
