"""Cell-level helpers of the commitments export reader: numeric twins, the date forms
``parse_date`` does not know, and cached look-ups (rows repeat values a lot)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache

from ogpgraph.records.model import Assessment
from ogpgraph.records.vocabulary import is_not_assessed, lookup, normalise, notation
from ogpgraph.sources.dates import parse_date
from ogpgraph.sources.language import detect_language

# --- numeric twins ---------------------------------------------------------------------------
_PER_VALUE_TWINS = {"_DIOGATI", "_DIOGCP", "_DIOGPA"}
_DIRECTION = {"decrease": -1, "no-change": 0, "increase": 1}
_SIGN_NAMES = {-1: "negative", 0: "zero", 1: "positive"}
# Text markers that OGP nonetheless codes with a number in the twin.
_MARKER_CODES = {
    "_OpenGovernment": {("no early results to report yet", "1")},
    **{twin: {("not applicable", "0")} for twin in _PER_VALUE_TWINS},
}


def twin_problem(text: str, twin: str, twin_column: str, scheme: str) -> str | None:
    """Why the numeric twin does not encode the text's concept, or None when it does."""
    key = lookup(scheme, text)
    twin_value = None if is_not_assessed(twin) else twin
    if key is None:
        if twin_value is None or (normalise(text), twin_value) in _MARKER_CODES.get(
                twin_column, set()):
            return None
        return "the text has no value, the twin has one"
    if twin_value is None:
        return "the twin has no value"
    try:
        number = float(twin_value)
    except ValueError:
        return "the twin is not a number"
    if scheme == "change-in-completion":
        # a difference of two completion codes (its notation is a mnemonic): compare signs
        direction = _DIRECTION[key]
        sign = (number > 0) - (number < 0)
        return None if sign == direction else f"expected a {_SIGN_NAMES[direction]} number"
    expected = notation(scheme, key)
    if expected is None:
        return f"the {scheme} concept {key!r} has no skos:notation to compare with"
    code = float(expected) + (1 if twin_column in _PER_VALUE_TWINS else 0)
    return None if number == code else f"expected {code:g}"


def has_value(assessment: Assessment) -> bool:
    values = vars(assessment).copy()
    values.pop("report")
    return any(v is not None and v != [] and v != {} for v in values.values())


# --- dates -----------------------------------------------------------------------------------
EXCEL_EPOCH = date(1899, 12, 30)  # day 0 of Excel's 1900 date system (after its leap bug)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_QUARTER = re.compile(
    r"(?:\b(?P<a>iv|i{1,3}|[1-4])(?:st|nd|rd|th)?\s+quarter(?:\s+of)?"
    r"|\bquarter\s+(?P<b>[1-4])|\bq(?P<c>[1-4]))\s*,?\s+(?P<year>\d{4})\b",
    re.IGNORECASE,
)
_SEASON = re.compile(r"^(?:spring|summer|autumn|fall|winter)\s+(\d{4})$", re.IGNORECASE)


def special_date(raw: str, is_end: bool) -> str | None:
    """Forms ``parse_date`` misreads or does not know: quarters, seasons, Excel serials."""
    if match := _QUARTER.search(raw):
        number = match["a"] or match["b"] or match["c"]
        quarter = _ROMAN.get(number.lower()) or int(number)
        month = quarter * 3 if is_end else quarter * 3 - 2
        return f"{match['year']}-{month:02d}"
    if match := _SEASON.match(raw):
        return match[1]
    if raw.isdigit() and len(raw) == 5:
        day = EXCEL_EPOCH + timedelta(days=int(raw))
        if 1990 <= day.year <= 2100:
            return day.isoformat()
    return None


@lru_cache(maxsize=4096)
def cached_language(sample: str) -> str | None:
    return detect_language(sample)


@lru_cache(maxsize=4096)
def cached_parse_date(raw: str) -> str | None:
    return parse_date(raw)

