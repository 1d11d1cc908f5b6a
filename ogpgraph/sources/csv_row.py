"""One row of OGP's commitments export -> one :class:`Commitment` (see ``csv_export``'s
docstring for the column mapping); every error names the file, line and column, and a row
with several bad cells reports each of them."""

from __future__ import annotations

import re
from datetime import date
from typing import Protocol

from ogpgraph.records.institution_refs import read_institution_field
from ogpgraph.records.model import (
    ActionPlanRef,
    Assessment,
    Commitment,
    InstitutionField,
    MemberRef,
    ReportRef,
    Source,
    Text,
)
from ogpgraph.records.slugs import slug
from ogpgraph.records.vocabulary import is_not_assessed, lookup, normalise
from ogpgraph.sources import csv_columns as col
from ogpgraph.sources.csv_cells import (
    EXCEL_EPOCH,
    cached_language,
    cached_parse_date,
    has_value,
    special_date,
    twin_problem,
)
from ogpgraph.sources.errors import SourceError, raise_all

ID_PATTERN = re.compile(r"[A-Z]{2,5}[0-9]{4}")
ISO3_PATTERN = re.compile(r"[A-Z]{3}")
YEAR_PATTERN = re.compile(r"\d{4}")
LANGUAGE_SAMPLE = 600  # characters: enough to tell a language, and lingua's time grows with it

# Action plans from this cycle on are assessed by the refreshed IRM: an Action Plan Review
# (design, potential for results) and a Results Report, instead of the mid-term and
# end-of-term reports; the export keeps the old column names for both.
IRM_REFRESH_CYCLE = 2020


class Header(Protocol):
    """What a row needs of the header (``csv_export._Header``)."""

    policy_areas: dict[str, str | None]
    unresolved_reported: set[str]


class RowReader:
    """Turns one row into a Commitment; every error names the file, line and column.

    A bad cell is noted (:meth:`error`) and read as no value, so the rest of the row is
    still read; :meth:`commitment` raises all of the row's errors at the end."""

    def __init__(self, where: str, line: int, row: dict[str, str], header: Header,
                 warnings: list[str]):
        self.where, self.line, self.row, self.header = where, line, row, header
        self.warnings = warnings
        self.errors: list[SourceError] = []

    # --- cells -------------------------------------------------------------------------------
    def raw(self, column: str) -> str:
        return self.row.get(column, "").strip()

    def value(self, column: str) -> str | None:
        raw = self.raw(column)
        return None if is_not_assessed(raw) else raw

    def error(self, column: str | None, reason: str) -> None:
        """Note a bad cell (the caller goes on as if it were empty)."""
        self.errors.append(SourceError(self.where, reason, line=self.line, field=column))

    def warn(self, message: str) -> None:
        self.warnings.append(f"{self.where}:{self.line}: {message}")

    def year(self, column: str) -> int | None:
        raw = self.value(column)
        if raw is None:
            return None
        if not YEAR_PATTERN.fullmatch(raw):
            self.error(column, f"{raw!r} is not a year")
            return None
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
        self.error(column, f"{raw!r} is not a 0/1 flag")
        return None

    def boolean(self, column: str) -> bool | None:
        raw = self.value(column)
        if raw is None:
            return None
        # "1" occurs once in Verifiable, beside the usual Yes/No
        answer = {"yes": True, "1": True, "no": False, "0": False}.get(normalise(raw))
        if answer is None:
            self.error(column, f"{raw!r} is not Yes/No")
        return answer

    def concept(self, column: str, scheme: str) -> str | None:
        raw = self.value(column)
        if raw is None:
            return None
        key = lookup(scheme, raw)
        if key is None:
            self.error(column, f"{raw!r} is not a value of the {scheme} scheme")
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
            self._language = cached_language(longest[:LANGUAGE_SAMPLE]) if longest else None
        return self._language

    # --- the record --------------------------------------------------------------------------
    def commitment(self, source: Source) -> Commitment:
        """The row's commitment; raises every error of the row (:class:`SourceError`)."""
        raw_id = self.raw(col.ID)
        identifier = raw_id.upper()
        if not ID_PATTERN.fullmatch(identifier):
            self.error(col.ID, f"{raw_id!r} is not an OGP commitment id like AL0002")
        member = self.member()
        title = self.text(col.TITLE)
        if title is None:
            self.error(col.TITLE, "no commitment title")
        start, end = self.date(col.START, "start"), self.date(col.END, "end")
        if start and end and start[:len(end)] > end[:len(start)]:
            self.warn(f"'{col.START}' {start} is after '{col.END}' {end}")
        active = self.flag(col.ACTIVE)
        fields: list[InstitutionField] = []
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
            titles=[title] if title else [],
            short_title=self.text(col.SHORT_TITLE),
            description=self.text(col.FULL_TEXT),
            theme=self.value(col.THEME),
            commitment_number=self.integer(col.NUMBER),
            lead_institutions=read_institution_field("lead", col.LEAD, self.raw(col.LEAD),
                                                     fields),
            supporting_institutions=read_institution_field(
                "support", col.SUPPORT, self.raw(col.SUPPORT), fields),
            institution_fields=fields,
            policy_areas=self.policy_areas(),
            start_date=start,
            end_date=end,
            status=None if active is None else ("active" if active else "inactive"),
            page_url=self.value(col.URL),
            line=self.line,
        )
        commitment.assessments = self.assessments(member.slug, commitment.action_plan)
        raise_all(self.errors)
        return commitment

    def cycle_year(self) -> int | None:
        if self.value(col.AP_YEAR) is None:
            self.error(col.AP_YEAR, "no year of submission")
        return self.year(col.AP_YEAR)

    def member(self) -> MemberRef:
        name = self.value(col.MEMBER)
        if name is None:
            self.error(col.MEMBER, "no member name")
            name = ""  # only read on to find the row's other errors
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
        special = special_date(raw, which == "end")
        if special is not None:
            return special
        parsed = cached_parse_date(raw)
        if parsed is None:
            self.error(column, f"{raw!r} is not a valid date")
            return None
        if int(parsed[:4]) < 1950:
            serial = (date.fromisoformat((parsed + "-01-01")[:10]) - EXCEL_EPOCH).days
            if 1990 <= serial <= 2100:
                self.warn(f"'{column}' {raw!r} is the year {serial} formatted as a date")
                return str(serial)
            self.error(column, f"{raw!r} is not a plausible date")
            return None
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
        return [a for a in (mid, end) if a.report.year is not None or has_value(a)]

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
                problem = twin_problem(self.raw(column), self.raw(twin), twin, scheme)
                if problem:
                    self.warn(f"'{column}' {self.raw(column)!r} and its twin '{twin}' "
                              f"{self.raw(twin)!r} disagree: {problem}")

