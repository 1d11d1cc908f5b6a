"""Typed values as a reader reads them: dates in words, booleans as yes/no, numbers with the
reader's separators, in the reader's language (month names, date patterns and number
symbols from Babel's CLDR data).

``2015-08``^^xsd:gYearMonth -> "August 2015" / "agosto de 2015" / "août 2015";
``2015-08-05``^^xsd:date -> "August 5, 2015" / "5 de agosto de 2015"; ``true``^^xsd:boolean
-> "yes" / "sí" / "oui". A value that does not parse as its datatype is shown as written.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

from babel.dates import format_date, format_datetime, format_skeleton
from babel.numbers import format_decimal
from rdflib import Literal
from rdflib.namespace import XSD

YES_NO = {"en": ("yes", "no"), "es": ("sí", "no"), "fr": ("oui", "non")}
_YEAR_MONTH = re.compile(r"^(\d{4})-(\d{2})(?:Z|[+-]\d{2}:\d{2})?$")
_YEAR = re.compile(r"^(-?\d{4,})(?:Z|[+-]\d{2}:\d{2})?$")


def human_value(literal: Literal, lang: str) -> tuple[str, str | None]:
    """(text to show, machine-readable date for ``<time datetime>`` or None)."""
    text, datatype = str(literal), literal.datatype
    try:
        if datatype == XSD.boolean:
            truth = text.strip().lower() in ("true", "1")
            return YES_NO.get(lang, YES_NO["en"])[0 if truth else 1], None
        if datatype == XSD.gYearMonth and (match := _YEAR_MONTH.match(text.strip())):
            month = date(int(match[1]), int(match[2]), 1)
            return format_skeleton("yMMMM", month, locale=lang), f"{match[1]}-{match[2]}"
        if datatype == XSD.gYear and (match := _YEAR.match(text.strip())):
            return match[1], match[1]
        if datatype == XSD.date:
            day = date.fromisoformat(text.strip()[:10])
            return format_date(day, "long", locale=lang), day.isoformat()
        if datatype == XSD.dateTime:
            moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
            return format_datetime(moment, "medium", locale=lang), text.strip()
    except ValueError:  # not a valid value of its datatype: show it as written
        return text, None
    return text, None


def human_number(value: Any, lang: str) -> str:
    """``59553`` -> "59,553" / "59.553" / "59\u202f553"; anything not a number as it is."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "" if value is None else str(value)
    return format_decimal(value, locale=lang)


def human_day(value: Any, lang: str, width: str = "long") -> str:
    """A date (a ``date``, a ``datetime`` or an ISO string) in the reader's words: "May 1,
    2024" / "1 de mayo de 2024" / "1 mai 2024"; ``width`` "short" (``5/1/24``) or "time"
    (the date and time, UTC). A string that is no ISO date is shown as it is."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return value
    if isinstance(value, datetime):
        if width == "time":  # the time in UTC, saying so (a release is stamped in UTC)
            return format_datetime(value, "medium", tzinfo=UTC, locale=lang) + " UTC"
        value = value.date()
    if isinstance(value, date):
        return format_date(value, "short" if width == "short" else "long", locale=lang)
    return "" if value is None else str(value)
