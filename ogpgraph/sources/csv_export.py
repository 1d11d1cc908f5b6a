"""Reader for OGP's commitments data export (CSV, the official 171-column schema).

One row is one commitment. The file is streamed with :mod:`csv` (``utf-8-sig``); ``line`` is
the physical line where a row starts (cells may span lines). Missing-value codes ``ND``,
``NR``, ``NA`` and empty cells are "no value" everywhere
(:func:`ogpgraph.records.vocabulary.is_not_assessed`).
Column names live in :mod:`ogpgraph.sources.csv_columns`.

Column mapping
==============

=====================================================  ==========================================
Column(s)                                              What we do
=====================================================  ==========================================
Commitment Unique Identifier                           ``identifier``, upper-cased; must match
                                                       ``[A-Z]{2,5}[0-9]{4}`` and be unique
Country/Locality, Code, Region, National Or Local      ``member``: name, ``uris.slug``, ISO code
                                                       (only when it is 3 capitals; locals use
                                                       ``ARBA`` etc.), region concept, local
                                                       (National→False, …Local→True, else None)
Action Plan ID / Number, Year Of Submission,           ``action_plan`` (identifier, number,
Action Plan End Year                                   cycle_year, end_year); no name column
Commitment Number                                      ``commitment_number`` when a whole number;
                                                       ``1.1``, ``2.3.2.A``, ``SC17`` → None (the
                                                       model's field is an int)
Commitment Title, Short Title, Full Text               ``titles``, ``short_title``,
                                                       ``description``; language per text
Theme                                                  ``theme``
Start Date, End Date                                   ISO dates, see *Dates* below
Lead Institution                                       ``lead_institutions`` (kind government)
Supporting Institution(s)                              ``supporting_institutions``, see below
URL, Active Commitment                                 ``page_url``; ``status`` active/inactive
Anti-Corruption and Integrity … Money in Politics      ``policy_areas``: a ``1`` → the column's
(86 flag columns)                                      policy-area concept
Report Publication Year (Progress Report) and the      the **mid-term** assessment, see *IRM*
columns Specificity … Potential for Results
Report Publication Year (End Of Term) and the          the **end-of-term** assessment
columns Completion (End Of Term) … Carried Forward
_Relevant                                              ``relevant`` of the mid-term assessment
                                                       (the only relevance value where the four
                                                       OGP Value flags are ND, as in newer
                                                       plans); cross-checked against the flags
_Specificity, _Potential Impact, _CompletionProgress,  cross-check twins: compared with the
_CompletionEndTerm, _ChangeCompletion, _Early Results  concept's ``skos:notation``; a
_OpenGovernment, _DIOGATI, _DIOGCP, _DIOGPA,           mismatch is a warning, never a second
_Potential for Results                                 value
Commitment Dummy (always 1), Action Plan Duration      ignored: constant or derived from the
(Years), Most Recently Assessed, Star - Most Recently  columns above (durations, "latest",
Assessed, IRM Assessed, Max star, Ambition Assessed,   maxima, scores and their checksums)
Comp Assessed, DIOG Assessed, Midterm Only, Max
Completion, Raw Completion, High Completion, High
Ambition, High DIOG, Ambitious and complete, or DIOG,
Ambitious but not complete, Complete but not
ambitious, Not complete or ambitious, Not reviewed,
CHECKSUM, IRM-Based Score, Binding constraint
Latest IRM Report, Updated? (Website), id              ignored: bookkeeping of OGP's spreadsheet
                                                       (a stale "latest report" year, the date a
                                                       web page was refreshed, a row number)
Compound, Cluster, Cluster (AP Review),                ignored although not derivable: IRM
Cluster Commitment ID(s)                               clustering of commitments; the record
                                                       model has no field for it yet
Subnational in NAPs                                    ignored: not a policy area of OGP's
                                                       taxonomy (the ``Subnational`` column is)
=====================================================  ==========================================

IRM
---
Each row yields up to two :class:`Assessment` records, never merged: ``mid-term`` (report year =
``Report Publication Year (Progress Report)``) and ``end-of-term`` (``Report Publication Year (End
Of Term)``); the report's cycle year is the row's Year Of Submission. The split follows the
column names OGP gives them:

* mid-term: Specificity, Verifiable, the four OGP Value flags (→ ``ogp_values``), _Relevant,
  Potential Impact, Completion (Progress Report), Starred (2015 Only), Starred (Current
  Formula) Progress Report, Potential for Results;
* end-of-term: Completion (End Of Term), Change In Completion, Early Results, Did It Open
  Government (Overall and per value → ``diog_by_value``), Starred (Current Formula) End of
  Term, Carried Forward.

An assessment with no value and no publication year is not created. In plans submitted from
2020 on, the IRM's first report is the Action Plan Review (Potential for Results) and its second
the Results Report (Early Results); OGP's export still files them under these two column groups,
and so do we.

The model has one ``starred``/``starred_formula`` per assessment, but the mid-term group has two
star columns. We keep a star under either formula: current formula 1 → (True, "current");
else 2015 formula 1 → (True, "2015"); else current 0 → (False, "current"); else 2015 0 →
(False, "2015"). So a "not starred (current formula)" beside "starred (2015)" is not recorded.

A controlled value that is not in its scheme is a :class:`SourceError`. Known harmless
oddities: ``Verifiable`` = ``1`` (→ True); ``Not Applicable`` and ``No early results to report
yet`` in the Did-It-Open-Government columns are "no value".

Numeric twins hold ``skos:notation`` of the text's concept, except two documented encodings:
the per-value DIOG twins (_DIOGATI, _DIOGCP, _DIOGPA) count from Not Applicable = 0, so they are
notation + 1; ``_ChangeCompletion`` is the difference of the two completion codes, so only its
sign is compared (decrease -, no-change 0, increase +). ``No early results to report yet`` is
coded 1 in ``_OpenGovernment`` and ``Not Applicable`` 0 in the per-value twins: accepted.
Anything else is a warning.

Dates
-----
``parse_date`` reads ``9/1/2018``, ``28/5/2014`` (day first when the first number cannot be a
month), ``1/1/19``, ``July 2014``, ``2012``. Besides: ``I quarter of 2021`` / ``Quarter 1 2014`` /
``Q1 2014`` → the quarter's first month (start) or last month (end); ``Spring 2015`` → ``2015``;
an Excel day serial (``43525``) → its date; a date before 1950 whose Excel serial is a year
(``7/15/1905`` is serial 2023: a year typed into a date-formatted cell) → that year, with a
warning. A value without any digit (``Ongoing``, ``In progress``) states no date: None and a
warning. Any other value that does not parse, or an impossible date (``2/30/2019``), is a
:class:`SourceError`. A start after the end is a warning.

Institutions
------------
A cell is cut into names predictably: bullet characters and line breaks separate names, except
that a line continues the previous one when that ends with a hyphen, a comma, ``&``, a linking
word (of, and, de, la, …) or an open parenthesis, or when the line starts in lower case or with
``(`` (a wrap between two capitalised words, ``Parlamento`` / ``Abierto``, is not detected);
then ``;`` separates names; then a piece is split on commas outside parentheses only when the
first word of every part has a capital or digit (``mySociety`` does, ``etc.`` and ``the
Legislature`` do not) and the piece has no conjunction (``and``, ``y``, ``e``, ``et``, ``und``,
``&``): a conjunction after commas marks one name listing its portfolios (``Ministry of
Education, Science, Research and Sport``), and an "A, B and C" list stays one name too. Leading
list markers (``1.``, ``(a)``, ``-``) and trailing punctuation are removed; NA, ND, N/A, Unclear,
None and repeats are dropped. Lead institutions are of kind government. In Supporting
Institution(s), OGP's convention applies: with exactly one ``;`` in the cell, the names before it
are government and those after it civil society; otherwise the kind is unknown.
"""

from __future__ import annotations

import _csv
import csv
import re
from collections.abc import Iterator
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from ogpgraph.graph.uris import slug
from ogpgraph.records.model import (
    ActionPlanRef,
    Assessment,
    Commitment,
    InstitutionKind,
    InstitutionRef,
    MemberRef,
    ReportRef,
    Source,
    SourceRecords,
    Text,
)
from ogpgraph.records.vocabulary import is_not_assessed, lookup, normalise, notation
from ogpgraph.release.parallel import build_workers, ordered_map
from ogpgraph.sources import csv_columns as col
from ogpgraph.sources.dates import parse_date
from ogpgraph.sources.errors import SourceError
from ogpgraph.sources.files import sha256_of
from ogpgraph.sources.language import detect_language

ID_PATTERN = re.compile(r"[A-Z]{2,5}[0-9]{4}")
ISO3_PATTERN = re.compile(r"[A-Z]{3}")
YEAR_PATTERN = re.compile(r"\d{4}")
LANGUAGE_SAMPLE = 600  # characters: enough to tell a language, and lingua's time grows with it


def is_csv_export(path: Path, head: str) -> bool:
    """True when the text's first line is a CSV header naming ``Commitment Unique Identifier``."""
    first = head.lstrip("\ufeff").split("\n", 1)[0]
    try:
        header = next(csv.reader([first]))
    except (csv.Error, StopIteration):
        return False
    return col.ID in (name.strip() for name in header)


def read_csv_export(path: Path, *, source: Source | None = None,
                    workers: int | None = None) -> SourceRecords:
    """All commitments of the export, one per row; bad input raises :class:`SourceError`."""
    where = str(path)
    if source is None:  # the registry gives the source with its checksum: not hashed twice
        try:
            digest = sha256_of(path)
        except OSError as exc:
            raise SourceError(where, f"cannot read file: {exc.strerror or exc}") from exc
        source = Source(kind="csv", path=where, sha256=digest,
                        label=f"OGP commitments export {path.name}")
    records = SourceRecords(source=source)
    seen: dict[str, int] = {}
    chunks = ordered_map(_read_chunk, _chunks(path, source), workers if workers else
                         build_workers())
    for commitments, warnings in chunks:
        records.warnings.extend(warnings)
        for commitment in commitments:
            line = commitment.line or 0
            if commitment.identifier in seen:
                raise SourceError(where, f"commitment {commitment.identifier} appears again "
                                  f"(first at line {seen[commitment.identifier]})",
                                  line=line, field=col.ID)
            seen[commitment.identifier] = line
            records.commitments.append(commitment)
    return records


CHUNK_ROWS = 500  # rows a worker process converts at a time


def _chunks(path: Path, source: Source) -> Iterator[tuple[str, Source, list[str],
                                                         list[tuple[int, list[str]]]]]:
    """The rows in chunks for the workers: values as lists (cheaper to send than dicts)."""
    chunk: list[tuple[int, list[str]]] = []
    names: list[str] = []
    for line, row, header in _rows(path):
        names = header.names
        chunk.append((line, [row[name] for name in names]))
        if len(chunk) >= CHUNK_ROWS:
            yield str(path), source, names, chunk
            chunk = []
    if chunk:
        yield str(path), source, names, chunk


def _read_chunk(task: tuple[str, Source, list[str], list[tuple[int, list[str]]]]
                ) -> tuple[list[Commitment], list[str]]:
    where, source, names, rows = task
    header = _header(where, tuple(names))
    warnings: list[str] = []
    commitments = [
        _RowReader(where, line, dict(zip(names, values, strict=True)), header,
                   warnings).commitment(source)
        for line, values in rows
    ]
    return commitments, warnings


@lru_cache(maxsize=8)
def _header(where: str, names: tuple[str, ...]) -> _Header:
    return _Header(where, list(names))


def _rows(path: Path) -> Iterator[tuple[int, dict[str, str], _Header]]:
    """(start line, row as a dict, header) for every non-blank row, streamed.

    A plain csv.reader rather than DictReader: a row with too few or too many fields is an
    error here (DictReader pads or collects them silently), and blank lines are skipped by us,
    so the line before ``next()`` is always where the row starts.
    """
    where = str(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header_row = _next_row(reader, where)
            if header_row is None or not any(cell.strip() for cell in header_row):
                raise SourceError(where, "empty file: no CSV header")
            header = _Header(where, [name.strip() for name in header_row])
            while True:
                start = reader.line_num + 1
                row = _next_row(reader, where)
                if row is None:
                    return
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) != len(header.names):
                    raise SourceError(where, f"row has {len(row)} fields, the header "
                                      f"{len(header.names)}", line=start)
                yield start, dict(zip(header.names, row, strict=True)), header
    except UnicodeDecodeError as exc:
        raise SourceError(where, f"not a UTF-8 text file ({exc.reason})") from exc


def _next_row(reader: _csv.Reader, where: str) -> list[str] | None:
    try:
        return next(reader)
    except StopIteration:
        return None
    except csv.Error as exc:
        raise SourceError(where, f"not a readable CSV file: {exc}", line=reader.line_num) from exc


# Action plans from this cycle on are assessed by the refreshed IRM: an Action Plan Review
# (design, potential for results) and a Results Report, instead of the mid-term and
# end-of-term reports; the export keeps the old column names for both.
IRM_REFRESH_CYCLE = 2020

class _Header:
    """The header's column names, checked once, and the policy-area columns it holds."""

    def __init__(self, where: str, names: list[str]):
        self.names = names
        missing = [name for name in col.REQUIRED if name not in names]
        if missing:
            listed = ", ".join(f"'{name}'" for name in missing)
            raise SourceError(where, f"not an OGP commitments export: missing column(s) {listed}")
        self.policy_areas: dict[str, str | None] = {}
        if col.POLICY_AREA_FIRST in names and col.POLICY_AREA_LAST in names:
            first, last = names.index(col.POLICY_AREA_FIRST), names.index(col.POLICY_AREA_LAST)
            self.policy_areas = {name: lookup("policy-area", name)
                                 for name in names[first:last + 1]}
        self.unresolved_reported: set[str] = set()


class _RowReader:
    """Turns one row into a Commitment; every error names the file, line and column."""

    def __init__(self, where: str, line: int, row: dict[str, str], header: _Header,
                 warnings: list[str]):
        self.where, self.line, self.row, self.header = where, line, row, header
        self.warnings = warnings

    # --- cells -------------------------------------------------------------------------------
    def raw(self, column: str) -> str:
        return self.row.get(column, "").strip()

    def value(self, column: str) -> str | None:
        raw = self.raw(column)
        return None if is_not_assessed(raw) else raw

    def error(self, column: str | None, reason: str) -> SourceError:
        return SourceError(self.where, reason, line=self.line, field=column)

    def warn(self, message: str) -> None:
        self.warnings.append(f"{self.where}:{self.line}: {message}")

    def year(self, column: str) -> int | None:
        raw = self.value(column)
        if raw is None:
            return None
        if not YEAR_PATTERN.fullmatch(raw):
            raise self.error(column, f"{raw!r} is not a year")
        return int(raw)

    def integer(self, column: str) -> int | None:
        raw = self.value(column)
        return int(raw) if raw is not None and raw.isdigit() else None

    def flag(self, column: str) -> bool | None:
        raw = self.value(column)
        if raw is None:
            return None
        if raw in ("1", "0"):
            return raw == "1"
        raise self.error(column, f"{raw!r} is not a 0/1 flag")

    def boolean(self, column: str) -> bool | None:
        raw = self.value(column)
        if raw is None:
            return None
        # "1" occurs once in Verifiable, beside the usual Yes/No
        answer = {"yes": True, "1": True, "no": False, "0": False}.get(normalise(raw))
        if answer is None:
            raise self.error(column, f"{raw!r} is not Yes/No")
        return answer

    def concept(self, column: str, scheme: str) -> str | None:
        raw = self.value(column)
        if raw is None:
            return None
        key = lookup(scheme, raw)
        if key is None:
            raise self.error(column, f"{raw!r} is not a value of the {scheme} scheme")
        return key

    def text(self, column: str) -> Text | None:
        raw = self.value(column)
        return Text(raw, self.language()) if raw else None

    def language(self) -> str | None:
        """The row's language. OGP's export writes a commitment's title, short title and
        full text in the member's language, so one detection on the longest of them decides
        for all three (short titles alone are too short to detect reliably)."""
        if not hasattr(self, "_language"):
            texts = [self.value(c) or "" for c in (col.FULL_TEXT, col.TITLE, col.SHORT_TITLE)]
            longest = max(texts, key=len)
            self._language = _language(longest[:LANGUAGE_SAMPLE]) if longest else None
        return self._language

    # --- the record --------------------------------------------------------------------------
    def commitment(self, source: Source) -> Commitment:
        raw_id = self.raw(col.ID)
        identifier = raw_id.upper()
        if not ID_PATTERN.fullmatch(identifier):
            raise self.error(col.ID, f"{raw_id!r} is not an OGP commitment id like AL0002")
        member = self.member()
        title = self.text(col.TITLE)
        if title is None:
            raise self.error(col.TITLE, "no commitment title")
        start, end = self.date(col.START, "start"), self.date(col.END, "end")
        if start and end and start[:len(end)] > end[:len(start)]:
            self.warn(f"'{col.START}' {start} is after '{col.END}' {end}")
        active = self.flag(col.ACTIVE)
        commitment = Commitment(
            identifier=identifier,
            source=source,
            member=member,
            action_plan=ActionPlanRef(
                member_slug=member.slug,
                cycle_year=self.cycle_year(),
                end_year=self.year(col.AP_END_YEAR),
                number=self.integer(col.AP_NUMBER),
                identifier=self.value(col.AP_ID),
            ),
            titles=[title],
            short_title=self.text(col.SHORT_TITLE),
            description=self.text(col.FULL_TEXT),
            theme=self.value(col.THEME),
            commitment_number=self.integer(col.NUMBER),
            lead_institutions=[InstitutionRef(name, "government")
                               for name in split_names(self.raw(col.LEAD))],
            supporting_institutions=supporting_institutions(self.raw(col.SUPPORT)),
            policy_areas=self.policy_areas(),
            start_date=start,
            end_date=end,
            status=None if active is None else ("active" if active else "inactive"),
            page_url=self.value(col.URL),
            line=self.line,
        )
        commitment.assessments = self.assessments(member.slug, commitment.action_plan)
        return commitment

    def cycle_year(self) -> int:
        year = self.year(col.AP_YEAR)
        if year is None:
            raise self.error(col.AP_YEAR, "no year of submission")
        return year

    def member(self) -> MemberRef:
        name = self.value(col.MEMBER)
        if name is None:
            raise self.error(col.MEMBER, "no member name")
        code = self.value(col.CODE)
        kind = normalise(self.raw(col.NATIONAL_OR_LOCAL))
        local = False if kind == "national" else True if "local" in kind.split() else None
        return MemberRef(
            name=name,
            slug=slug(name),
            local=local,
            region=self.concept(col.REGION, "region"),
            iso_code=code if code and ISO3_PATTERN.fullmatch(code) else None,
        )

    def policy_areas(self) -> list[str]:
        found: list[str] = []
        for column, key in self.header.policy_areas.items():
            if not self.flag(column):
                continue
            if key is None:
                if column not in self.header.unresolved_reported:
                    self.header.unresolved_reported.add(column)
                    self.warn(f"policy-area column '{column}' has no concept in the vocabulary")
                continue
            if key not in found:
                found.append(key)
        return found

    # --- dates -------------------------------------------------------------------------------
    def date(self, column: str, which: str) -> str | None:
        raw = self.value(column)
        if raw is None:
            return None
        if not any(ch.isdigit() for ch in raw):
            self.warn(f"'{column}' {raw!r} states no date; left out")
            return None
        special = _special_date(raw, which == "end")
        if special is not None:
            return special
        parsed = _parse_date(raw)
        if parsed is None:
            raise self.error(column, f"{raw!r} is not a valid date")
        if int(parsed[:4]) < 1950:
            serial = (date.fromisoformat((parsed + "-01-01")[:10]) - _EXCEL_EPOCH).days
            if 1990 <= serial <= 2100:
                self.warn(f"'{column}' {raw!r} is the year {serial} formatted as a date")
                return str(serial)
            raise self.error(column, f"{raw!r} is not a plausible date")
        return parsed

    # --- IRM ---------------------------------------------------------------------------------
    def assessments(self, member_slug: str, plan: ActionPlanRef) -> list[Assessment]:
        refreshed = (plan.cycle_year or 0) >= IRM_REFRESH_CYCLE
        mid = Assessment(ReportRef("action-plan-review" if refreshed else "mid-term",
                                   member_slug, plan.cycle_year, year=self.year(col.MID_YEAR)))
        end = Assessment(ReportRef("results" if refreshed else "end-of-term",
                                   member_slug, plan.cycle_year, year=self.year(col.END_YEAR)))
        by_group = {"mid-term": mid, "end-of-term": end}
        for column, (group, attribute, scheme) in col.SCHEME_COLUMNS.items():
            setattr(by_group[group], attribute, self.concept(column, scheme))
        for column, (group, attribute) in col.BOOLEAN_COLUMNS.items():
            setattr(by_group[group], attribute, self.boolean(column))
        self.ogp_values(mid)
        mid.starred, mid.starred_formula = self.mid_term_star()
        end.starred = self.flag(col.STARRED_CURRENT_END)
        end.starred_formula = None if end.starred is None else "current"
        for column, value_key in col.DIOG_BY_VALUE.items():
            key = self.concept(column, "did-it-open-government")
            if key is not None:
                end.diog_by_value[value_key] = key
        self.check_twins()
        return [a for a in (mid, end) if a.report.year is not None or _has_value(a)]

    def ogp_values(self, mid: Assessment) -> None:
        flags = {key: self.flag(column) for column, key in col.OGP_VALUE_FLAGS.items()}
        mid.ogp_values = [key for key, on in flags.items() if on]
        relevant = self.flag(col.RELEVANT)
        known = [on for on in flags.values() if on is not None]
        if known and relevant != any(known):
            self.warn(f"'{col.RELEVANT}' {self.raw(col.RELEVANT)!r} disagrees with the OGP "
                      f"Value flags {[self.raw(c) for c in col.OGP_VALUE_FLAGS]}")
        mid.relevant = relevant if relevant is not None else (any(known) if known else None)

    def mid_term_star(self) -> tuple[bool | None, str | None]:
        current, of_2015 = self.flag(col.STARRED_CURRENT_MID), self.flag(col.STARRED_2015)
        for wanted in (True, False):
            if current is wanted:
                return wanted, "current"
            if of_2015 is wanted:
                return wanted, "2015"
        return None, None

    def check_twins(self) -> None:
        for column, (twin, scheme) in col.TWINS.items():
            if twin in self.row:
                problem = _twin_problem(self.raw(column), self.raw(twin), twin, scheme)
                if problem:
                    self.warn(f"'{column}' {self.raw(column)!r} and its twin '{twin}' "
                              f"{self.raw(twin)!r} disagree: {problem}")


# --- numeric twins ---------------------------------------------------------------------------
_PER_VALUE_TWINS = {"_DIOGATI", "_DIOGCP", "_DIOGPA"}
_DIRECTION = {"decrease": -1, "no-change": 0, "increase": 1}
_SIGN_NAMES = {-1: "negative", 0: "zero", 1: "positive"}
# Text markers that OGP nonetheless codes with a number in the twin.
_MARKER_CODES = {
    "_OpenGovernment": {("no early results to report yet", "1")},
    **{twin: {("not applicable", "0")} for twin in _PER_VALUE_TWINS},
}


def _twin_problem(text: str, twin: str, twin_column: str, scheme: str) -> str | None:
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


def _has_value(assessment: Assessment) -> bool:
    values = vars(assessment).copy()
    values.pop("report")
    return any(v is not None and v != [] and v != {} for v in values.values())


# --- dates -----------------------------------------------------------------------------------
_EXCEL_EPOCH = date(1899, 12, 30)  # day 0 of Excel's 1900 date system (after its leap bug)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_QUARTER = re.compile(
    r"(?:\b(?P<a>iv|i{1,3}|[1-4])(?:st|nd|rd|th)?\s+quarter(?:\s+of)?"
    r"|\bquarter\s+(?P<b>[1-4])|\bq(?P<c>[1-4]))\s*,?\s+(?P<year>\d{4})\b",
    re.IGNORECASE,
)
_SEASON = re.compile(r"^(?:spring|summer|autumn|fall|winter)\s+(\d{4})$", re.IGNORECASE)


def _special_date(raw: str, is_end: bool) -> str | None:
    """Forms ``parse_date`` misreads or does not know: quarters, seasons, Excel serials."""
    if match := _QUARTER.search(raw):
        number = match["a"] or match["b"] or match["c"]
        quarter = _ROMAN.get(number.lower()) or int(number)
        month = quarter * 3 if is_end else quarter * 3 - 2
        return f"{match['year']}-{month:02d}"
    if match := _SEASON.match(raw):
        return match[1]
    if raw.isdigit() and len(raw) == 5:
        day = _EXCEL_EPOCH + timedelta(days=int(raw))
        if 1990 <= day.year <= 2100:
            return day.isoformat()
    return None


@lru_cache(maxsize=4096)
def _language(sample: str) -> str | None:
    return detect_language(sample)


@lru_cache(maxsize=4096)
def _parse_date(raw: str) -> str | None:
    return parse_date(raw)


# --- institutions ----------------------------------------------------------------------------
_BULLETS = re.compile("[\u2022\u25cf\u25aa\u25e6\u00b7\uf0b7\uf06c\uf0a7\uf076\u27a2]")
_LIST_MARKER = re.compile(r"^\s*(?:\(?[0-9]{1,2}[.)]|\(?[a-z][.)]|\([a-z]{1,3}\)|[-–—*])\s+")
_LINKING = re.compile(
    r"(?:\b(?:of|and|the|for|to|in|on|de|del|la|las|los|y|et|des|du|und)|[-,&(])\s*$",
    re.IGNORECASE,
)
_CONJUNCTION = re.compile(r"(?<![\w-])(?:and|y|e|et|und)(?![\w-])|&", re.IGNORECASE)
_NO_NAME = {"unclear", "none", "n a"}


def split_names(cell: str) -> list[str]:
    """The institution names in a cell, by the rule in the module docstring."""
    names: list[str] = []
    for item in _items(cell):
        for piece in item.split(";"):
            for name in _split_commas(_clean(piece)):
                name = _clean(name)
                if (name and any(ch.isalpha() for ch in name) and not is_not_assessed(name)
                        and normalise(name) not in _NO_NAME and name not in names):
                    names.append(name)
    return names


def supporting_institutions(cell: str) -> list[InstitutionRef]:
    if cell.count(";") == 1:
        before, after = cell.split(";")
        sides: list[tuple[str, InstitutionKind]] = [(before, "government"),
                                                    (after, "civil-society")]
    else:
        sides = [(cell, "unknown")]
    found: list[InstitutionRef] = []
    for part, kind in sides:
        found += [InstitutionRef(name, kind) for name in split_names(part)
                  if all(name != known.name for known in found)]
    return found


def _items(cell: str) -> list[str]:
    """Lines of the cell (bullets count as line breaks), wrapped lines joined back."""
    items: list[str] = []
    for line in _BULLETS.sub("\n", cell).splitlines():
        text = line.strip()
        if not text:
            continue
        new_item = bool(_LIST_MARKER.match(text))
        continues = items and not new_item and (
            _LINKING.search(items[-1]) or items[-1].count("(") > items[-1].count(")")
            or text[0].islower() or text[0] == "("
        )
        if continues:
            joiner = "" if re.search(r"\w-$", items[-1]) and text[0].islower() else " "
            items[-1] = (items[-1][:-1] if joiner == "" else items[-1]) + joiner + text
        else:
            items.append(text)
    return items


def _clean(text: str) -> str:
    text = _LIST_MARKER.sub("", text.strip())
    return re.sub(r"\s+", " ", text).strip(" .,;:")


def _split_commas(piece: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for ch in piece:
        depth += (ch == "(") - (ch == ")")
        if ch == "," and depth <= 0:
            parts.append(current.strip())
            current = ""
        else:
            current += ch
    parts.append(current.strip())
    parts = [p for p in parts if p]
    if (len(parts) > 1 and not _CONJUNCTION.search(piece)
            and all(_looks_like_a_name(p) for p in parts)):
        return parts
    return [piece]


def _looks_like_a_name(part: str) -> bool:
    """Its first word has a capital or a digit: ``Involve``, ``mySociety``, ``3D``, not ``etc``."""
    first = part.split()[0]
    return any(ch.isupper() or ch.isdigit() for ch in first)
