"""OGP commitment pages, flattened to text, read into Commitment records.

A page has: an optional ``# source: URL`` line; "Skip Navigation" and the member's name; the
``Title (ID)`` line; the At-a-Glance block of ``Label: value`` lines and headings (action
plan, status, institutions, policy areas, IRM review values); the description; optionally
an IRM status summary (commitment text, milestones, dates); optionally the member's
commitment list. Labels and headings come in the site's interface languages
(``page_labels``) and are matched on folded text by one generic scanner, so layouts that
glue headings to values, drop headings, or put a space before the colon all read alike.

The commitment-list entries become extra, thinner Commitment records sharing the page's
Source (kind "page"): the lead puts them in the page's named graph.

Modules: ``page_scan`` (labels, headings, the shared :class:`Page`), ``page_member`` (member,
action plan), ``page_irm`` (IRM values), ``page_summary`` (description, milestones, dates);
institution fields are read by ``ogpgraph.records.institutions`` (see ``_institutions``).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from ogpgraph.records import vocabulary
from ogpgraph.records.institution_refs import read_institution_field
from ogpgraph.records.model import (
    Commitment,
    InstitutionField,
    InstitutionRef,
    Source,
    SourceRecords,
    Text,
)
from ogpgraph.sources import page_labels
from ogpgraph.sources.commitment_list import (
    find_commitment_list,
    list_heading_member,
    parse_commitment_list,
    resolve_policy_areas,
    title_language,
)
from ogpgraph.sources.errors import SourceError, raise_all
from ogpgraph.sources.files import read_utf8
from ogpgraph.sources.page_irm import ogp_values_in, page_assessments, page_concept
from ogpgraph.sources.page_member import page_action_plan, page_member
from ogpgraph.sources.page_scan import (
    BULLET,
    SOURCE_LINE,
    TITLE,
    Label,
    Page,
    heading_of,
    is_summary_heading,
    no_value,
    scan_labels,
    split_glued_heading,
)
from ogpgraph.sources.page_summary import date_range_line, glance_dates, prose, read_summary

TITLE_SEARCH_LINES = 30  # the title is near the top of a page
MIN_GLANCE_LABELS = 2

# ---------------------------------------------------------------------------------------------
# Sniffing


def _title_index(lines: list[str]) -> int | None:
    seen = 0
    for index, line in enumerate(lines):
        if not line.strip() or line.startswith("#"):
            continue
        if TITLE.match(line):
            return index
        seen += 1
        if seen >= TITLE_SEARCH_LINES:
            return None
    return None


def _glance_label_count(lines: list[str], title: int, enough: int | None = None) -> int:
    """At-a-Glance labels after the title (stops counting at ``enough``)."""
    count = 0
    for number, line in enumerate(lines[title + 1:title + 120], start=title + 2):
        labels = scan_labels(line.strip(), number, page_labels.GLANCE_FIELDS)
        count += len(labels or [])
        if enough is not None and count >= enough:
            break
    return count


def is_page_text(text: str) -> bool:
    """An OGP commitment page: a ``Title (ID)`` line followed by At-a-Glance labels."""
    lines = text.splitlines()
    title = _title_index(lines)
    return (title is not None
            and _glance_label_count(lines, title, MIN_GLANCE_LABELS) >= MIN_GLANCE_LABELS)


def read_page_text(
    path: Path, text: str | None = None, *, source: Source | None = None
) -> SourceRecords:
    """The page's commitment, then the entries of its member commitment list (if any)."""
    # long: one pass down the page's parts in order; each part is one helper call
    raw: bytes | None = None
    if text is None:
        raw, text = read_utf8(path)
    lines = text.lstrip("\ufeff").splitlines()
    url = _source_url(lines)
    if source is None:
        digest = hashlib.sha256(raw if raw is not None else text.encode("utf-8")).hexdigest()
        source = Source(kind="page", path=str(path), sha256=digest, url=url)
    elif source.url is None:
        source.url = url
    page = Page(path=source.path, lines=lines)

    title_index = _title_index(lines)
    if title_index is None:
        raise SourceError(source.path, "not an OGP commitment page: no 'Title (ID)' line")
    if _glance_label_count(lines, title_index) < MIN_GLANCE_LABELS:
        raise SourceError(source.path, "not an OGP commitment page: no At-a-Glance labels "
                          "after the title", line=title_index + 1)
    title_match = TITLE.match(lines[title_index])
    assert title_match is not None  # _title_index matched it
    identifier = title_match.group("id")
    if not source.label:
        source.label = f"OGP commitment page {identifier}"

    country_line = _country_line(lines, title_index, page)
    description_start = _read_glance(page, title_index + 1)
    list_index = find_commitment_list(lines, title_index + 1)
    section_end = min(i for i in (list_index, _footer(lines, title_index), len(lines))
                      if i is not None)
    ui_lang = _ui_lang(page, url)

    member = page_member(page, country_line, url, identifier, ui_lang)
    commitment = Commitment(identifier=identifier, source=source, member=member,
                            line=title_index + 1, page_url=url)
    title = title_match.group("title")
    commitment.titles = [Text(title, title_language(title, ui_lang))]
    commitment.action_plan = page_action_plan(page, member.slug if member else None)
    commitment.status = page_concept(page, "status", "status")
    fields = commitment.institution_fields
    commitment.lead_institutions = _institutions(page, "lead", fields)
    commitment.supporting_institutions = _institutions(page, "support", fields)
    commitment.supporting_institutions += _institutions(page, "institutions_involved", fields)
    commitment.policy_areas = _policy_areas(page, ui_lang)
    commitment.ogp_values = _declaredogp_values_in(page)
    cycle = commitment.action_plan.cycle_year if commitment.action_plan else None
    commitment.assessments = page_assessments(page, member.slug if member else None, cycle)

    if description_start is not None:
        summary = next((i for i in range(description_start, section_end)
                        if is_summary_heading(lines[i])), section_end)
        commitment.description = prose(lines[description_start:summary])
        read_summary(page, commitment, description_start, summary, section_end)
        if commitment.start_date is None and commitment.end_date is None:
            commitment.start_date, commitment.end_date = date_range_line(
                lines[description_start:summary])
    glance_dates(page, commitment)

    records = SourceRecords(source=source, commitments=[commitment], warnings=page.warnings,
                            new_concepts=page.new_concepts)
    if list_index is not None:
        list_end = _footer(lines, list_index) or len(lines)
        records.commitments += parse_commitment_list(
            lines[list_index:list_end], list_index + 1, member, source, ui_lang,
            warnings=page.warnings, new_concepts=page.new_concepts, errors=page.errors)
    raise_all(page.errors)  # every bad field of the page, not only the first
    return records


def _source_url(lines: list[str]) -> str | None:
    for line in lines[:3]:
        match = SOURCE_LINE.match(line.strip())
        if match:
            return match.group("url")
    return None


def _footer(lines: list[str], start: int) -> int | None:
    for index in range(start + 1, len(lines)):
        heading = heading_of(lines[index])
        if heading and heading[0] == "footer":
            return index
    return None


def _country_line(lines: list[str], title_index: int, page: Page) -> str | None:
    """The member's name on the line after "Skip Navigation" (absent in some layouts)."""
    for index in range(title_index):
        heading = heading_of(lines[index])
        if heading and heading[0] == "skip_navigation":
            page.langs[heading[1]] += 1
            following = [ln.strip() for ln in lines[index + 1:title_index] if ln.strip()]
            return following[0] if following else None
    return None


def _read_glance(page: Page, start: int) -> int | None:
    """Fill ``page.glance``; return the index where the description starts, if any."""
    expect: str | None = None  # field whose value continues on the following bullet lines
    for index in range(start, len(page.lines)):
        number = index + 1
        line = page.lines[index].strip()
        if not line:
            continue
        if list_heading_member(line) and find_commitment_list(page.lines, index) == index:
            return None
        line, glued = split_glued_heading(line)
        heading = heading_of(line)
        if heading:
            glued, line = heading, ""
        if line:
            labels = scan_labels(line, number, page_labels.GLANCE_FIELDS)
            bullet = BULLET.match(line)
            if labels:
                for label in labels:
                    page.glance.setdefault(label.field, label)
                    if label.lang:
                        page.langs[label.lang] += 1
                expect = labels[-1].field if not labels[-1].value else None
            elif bullet and expect:
                page.bullets.setdefault(expect, []).append(bullet.group("item"))
            elif expect == "policy_areas" or (
                    "policy_areas" not in page.glance and _looks_like_policy_areas(line)):
                page.glance["policy_areas"] = Label("policy_areas", None, line, number)
                expect = None
            elif expect and _structure_follows(page.lines, index):
                # "Status:" then "Active" on its own line (label and value in two blocks)
                label = page.glance[expect]
                page.glance[expect] = Label(label.field, label.lang, line, number)
                expect = None
            else:
                return index  # prose: the description, its heading missing
        if glued:
            section = glued[0]
            if section == "description":
                return index + 1
            if section == "footer":
                return None
            expect = "policy_areas" if section == "policy_areas" else None
    return None


def _structure_follows(lines: list[str], index: int) -> bool:
    """Whether the next non-empty line is an At-a-Glance label or heading (so the line at
    ``index`` sits between labels: a value, not the start of the description)."""
    following = next((ln.strip() for ln in lines[index + 1:] if ln.strip()), "")
    heading = heading_of(following)
    return bool(scan_labels(following, index + 2, page_labels.GLANCE_FIELDS)) or (
        heading is not None and heading[0] != "footer")


def _looks_like_policy_areas(line: str) -> bool:
    items = [item.strip() for item in line.split(",")]
    known = sum(1 for item in items if vocabulary.lookup("policy-area", item))
    return len(items) > 1 and known * 2 >= len(items)


def _ui_lang(page: Page, url: str | None) -> str | None:
    if page.langs:
        return page.langs.most_common(1)[0][0]
    match = re.search(r"://[^/]+/(?P<lang>[a-z]{2})/", url or "")
    return match.group("lang") if match else None


# --- institutions ---------------------------------------------------------------------------
# field -> (role for the institutions library, label in reports)
INSTITUTION_FIELDS = {"lead": ("lead", "Lead Institution"),
                      "support": ("support", "Support Institution(s)"),
                      "institutions_involved": ("involved", "Institutions involved")}


def _institution_text(page: Page, name: str) -> str:
    """The field's text: its inline value, or its bullet lines ("Institutions involved:"
    then "- item" lines), which may carry group headings."""
    items = page.bullets.get(name)
    if items:
        return "\n".join(f"- {item}" for item in items)
    return page.value(name)


def _institutions(page: Page, name: str,
                  fields: list[InstitutionField]) -> list[InstitutionRef]:
    role, label = INSTITUTION_FIELDS[name]
    return read_institution_field(role, label, _institution_text(page, name), fields)


# --- policy areas, values --------------------------------------------------------------------


def _policy_areas(page: Page, ui_lang: str | None) -> list[str]:
    labels: list[str] = []
    for name in ("policy_areas", "primary_policy_area"):
        if page.bullets.get(name):
            labels += page.bullets[name]
        elif page.value(name):
            labels += page.value(name).split(",")
    line = page.line_of("policy_areas") or page.line_of("primary_policy_area")
    return resolve_policy_areas(labels, ui_lang, page.where(line), page.warnings,
                                page.new_concepts)



def _declaredogp_values_in(page: Page) -> list[str]:
    """OGP Local pages state the commitment's own OGP values ("OGP Value: - Access to
    information"), apart from any IRM assessment."""
    text = ", ".join(page.bullets.get("ogp_value", [])) or page.value("ogp_value")
    if no_value(text):
        return []
    keys, unmatched = ogp_values_in(text)
    if unmatched:
        page.warnings.append(f"{page.where(page.line_of('ogp_value'))}: unknown OGP value "
                             f"words {' '.join(unmatched)!r}; left out")
    return keys

