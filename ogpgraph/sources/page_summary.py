"""A page's description and IRM status summary: prose, milestones and dates."""

from __future__ import annotations

import re

from ogpgraph.records.model import Commitment, Text
from ogpgraph.sources import page_labels
from ogpgraph.sources.commitment_list import list_heading_member
from ogpgraph.sources.dates import parse_date
from ogpgraph.sources.errors import SourceError
from ogpgraph.sources.language import detect_language
from ogpgraph.sources.page_scan import (
    BULLET,
    DATE_RANGE_LINE,
    Label,
    Page,
    label_key,
    no_value,
    scan_labels,
    summary_sections,
)


def prose(lines: list[str]) -> Text | None:
    text = "\n".join(" ".join(line.split()) for line in lines if line.strip())
    return Text(text, detect_language(text)) if text else None


def _date(page: Page, label: Label) -> str | None:
    value = label.value.strip().rstrip(".").strip()
    if no_value(value):
        return None
    parsed = parse_date(value)
    if parsed is None:  # noted, and read on: the page reports all its bad fields at once
        page.errors.append(SourceError(page.path, f"impossible or unreadable date {value!r}",
                                       line=label.line, field=label.field))
    return parsed


def glance_dates(page: Page, commitment: Commitment) -> None:
    """OGP Local's "Commitment Start/End" in the At-a-Glance block win over the summary."""
    for name in ("start_date", "end_date"):
        label = page.glance.get(name)
        when = _date(page, label) if label else None
        if when:
            setattr(commitment, name, when)


def read_summary(
    page: Page, commitment: Commitment, description: int, summary: int, end: int
) -> None:
    """Start/end dates labelled anywhere below the At-a-Glance block; milestones: the
    bullets directly after the IRM summary's commitment text."""
    text_line: int | None = None
    for index in range(description, end):
        labels = scan_labels(page.lines[index].strip(), index + 1, page_labels.SUMMARY_FIELDS)
        for label in labels or []:
            if label.field == "commitment_text" and text_line is None and index > summary:
                text_line = index
            elif label.field in ("start_date", "end_date") and getattr(
                    commitment, label.field) is None:
                setattr(commitment, label.field, _date(page, label))
    if text_line is None:
        return
    hint = commitment.description.lang if commitment.description else None
    milestones: list[Text] = []
    for index in range(text_line + 1, end):
        line = page.lines[index].strip()
        if not line:
            continue
        bullet = BULLET.match(line)
        if bullet and bullet.group("item"):
            item = bullet.group("item")
            milestones.append(Text(item, detect_language(item, hint=hint)))
            continue
        if milestones or _ends_milestones(line, index + 1):
            break
    commitment.milestones = milestones


def _ends_milestones(line: str, number: int) -> bool:
    return bool(
        scan_labels(line, number, page_labels.SUMMARY_FIELDS)
        or label_key(line) in summary_sections()
        or list_heading_member(line)
        or re.match(r"^(?:Compromiso|Commitment|Engagement|Compromisso)\s+\d+", line))


def date_range_line(lines: list[str]) -> tuple[str | None, str | None]:
    """A ``date - date`` line near the top of the description (``Septiembre 01, 2018 -
    Septiembre 30, 2020``) gives the dates when no labelled dates do."""
    for line in [ln.strip() for ln in lines if ln.strip()][:5]:
        match = DATE_RANGE_LINE.match(line)
        if match:
            start, end = parse_date(match.group("a")), parse_date(match.group("b"))
            if start and end:
                return start, end
    return None, None
