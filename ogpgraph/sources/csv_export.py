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
Country/Locality, Code, Region, National Or Local      ``member``: name, its ``slug``, ISO code
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
``Lead Institution`` and ``Supporting Institution(s)`` are read by the institutions library
(``ogpgraph.records.institutions.read_field``, roles ``lead`` and ``support``): separators,
bullets, numbering, headings, qualifiers, acronyms, OGP's ``;`` convention, in every language.
Each cell is also kept whole in ``Commitment.institution_fields``: the build-level pass reads
every field of a member again with the member's gazetteer and reconciles the names
(``ogpgraph/release/institutions.py``).

Modules: this one (sniffing, streaming rows to workers, the header), ``csv_row`` (one row ->
one :class:`Commitment`), ``csv_cells`` (numeric twins, special dates, cached look-ups).
"""

from __future__ import annotations

import _csv
import csv
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from ogpgraph.records.model import Commitment, Source, SourceRecords
from ogpgraph.records.vocabulary import lookup
from ogpgraph.release.parallel import build_workers, ordered_map
from ogpgraph.sources import csv_columns as col
from ogpgraph.sources.csv_row import RowReader
from ogpgraph.sources.errors import SourceError, raise_all
from ogpgraph.sources.files import not_utf8_error, sha256_of


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
    """All commitments of the export, one per row. Bad input raises :class:`SourceError`
    once the whole file is read: every bad cell of every row, each ragged row and repeated
    identifier together (:func:`raise_all`); a file that cannot be read on stops there."""
    where = str(path)
    if source is None:  # the registry gives the source with its checksum: not hashed twice
        try:
            digest = sha256_of(path)
        except OSError as exc:
            raise SourceError(where, f"cannot read file: {exc.strerror or exc}") from exc
        source = Source(kind="csv", path=where, sha256=digest,
                        label=f"OGP commitments export {path.name}")
    records = SourceRecords(source=source)
    errors: list[SourceError] = []  # the chunks' generator adds the file's own (main process)
    seen: dict[str, int] = {}
    chunks = ordered_map(_read_chunk, _chunks(path, source, errors), workers if workers else
                         build_workers())
    for commitments, warnings, row_errors in chunks:
        records.warnings.extend(warnings)
        errors.extend(row_errors)
        for commitment in commitments:
            line = commitment.line or 0
            if commitment.identifier in seen:
                errors.append(SourceError(
                    where, f"commitment {commitment.identifier} appears again (first at "
                    f"line {seen[commitment.identifier]})", line=line, field=col.ID))
                continue
            seen[commitment.identifier] = line
            records.commitments.append(commitment)
    raise_all(errors)
    return records


CHUNK_ROWS = 500  # rows a worker process converts at a time
Chunk = tuple[str, Source, list[str], list[tuple[int, list[str]]]]


def _chunks(path: Path, source: Source, errors: list[SourceError]) -> Iterator[Chunk]:
    """The rows in chunks for the workers: values as lists (cheaper to send than dicts)."""
    chunk: list[tuple[int, list[str]]] = []
    names: list[str] = []
    for line, row, header in _rows(path, errors):
        names = header.names
        chunk.append((line, [row[name] for name in names]))
        if len(chunk) >= CHUNK_ROWS:
            yield str(path), source, names, chunk
            chunk = []
    if chunk:
        yield str(path), source, names, chunk


def _read_chunk(task: Chunk) -> tuple[list[Commitment], list[str], list[SourceError]]:
    """A chunk's commitments and warnings, and every error of its rows (not raised: the
    other rows are read all the same, so that one build lists every bad cell)."""
    where, source, names, rows = task
    header = _header(where, tuple(names))
    warnings: list[str] = []
    commitments: list[Commitment] = []
    errors: list[SourceError] = []
    for line, values in rows:
        row = RowReader(where, line, dict(zip(names, values, strict=True)), header, warnings)
        try:
            commitments.append(row.commitment(source))
        except SourceError as error:
            errors.extend(error.errors)  # single errors: they pickle whole
    return commitments, warnings, errors


@lru_cache(maxsize=8)
def _header(where: str, names: tuple[str, ...]) -> _Header:
    return _Header(where, list(names))


def _rows(path: Path, errors: list[SourceError]) -> Iterator[tuple[int, dict[str, str], _Header]]:
    """(start line, row as a dict, header) for every non-blank row, streamed.

    A plain csv.reader rather than DictReader: a row with too few or too many fields is an
    error here (DictReader pads or collects them silently), and blank lines are skipped by us,
    so the line before ``next()`` is always where the row starts. A ragged row is added to
    ``errors`` and reading goes on; bytes that are not UTF-8 or text csv cannot split end
    the reading (added to ``errors`` too); a missing header or column is raised at once.
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
                    errors.append(SourceError(where, f"row has {len(row)} fields, the header "
                                              f"{len(header.names)}", line=start))
                    continue
                yield start, dict(zip(header.names, row, strict=True)), header
    except UnicodeDecodeError:
        with path.open("rb") as raw:
            errors.append(not_utf8_error(where, raw))
    except _UnreadableCsv as exc:
        errors.append(exc.error)


class _UnreadableCsv(Exception):
    def __init__(self, error: SourceError) -> None:
        self.error = error


def _next_row(reader: _csv.Reader, where: str) -> list[str] | None:
    try:
        return next(reader)
    except StopIteration:
        return None
    except csv.Error as exc:
        error = SourceError(where, f"not a readable CSV file: {exc}", line=reader.line_num)
        raise _UnreadableCsv(error) from exc


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

