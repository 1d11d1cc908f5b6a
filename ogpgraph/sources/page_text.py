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
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import cast

from ogpgraph.graph.uris import slug
from ogpgraph.records import vocabulary
from ogpgraph.records.model import (
    ActionPlanRef,
    Assessment,
    Commitment,
    InstitutionKind,
    InstitutionRef,
    MemberRef,
    ReportKind,
    ReportRef,
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
from ogpgraph.sources.dates import parse_date
from ogpgraph.sources.errors import SourceError
from ogpgraph.sources.files import read_utf8
from ogpgraph.sources.language import detect_language

TITLE = re.compile(r"^\s*(?P<title>\S.*?)\s*\((?P<id>[A-Z]{2,6}[0-9]{2,6})\)\s*$")
SOURCE_LINE = re.compile(r"^#\s*source:\s*(?P<url>\S+)\s*$", re.IGNORECASE)
URL_MEMBER = re.compile(r"/members/(?P<slug>[^/?#]+)/")
BULLET = re.compile(r"^\s*(?:[•◦▪●*]|-(?=\s))\s*(?P<item>.*?)\s*$")
YEAR_RANGE = re.compile(r"\b(?P<start>(?:19|20)\d\d)\s*[-–/]\s*(?P<end>(?:19|20)?\d\d)\b")
DATE_RANGE_LINE = re.compile(r"^(?P<a>[^–-]{4,40}?\d{4})\s*[-–]\s*(?P<b>[^–-]{4,40}?\d{4})\.?$")
TITLE_SEARCH_LINES = 30  # the title is near the top of a page
MIN_GLANCE_LABELS = 2

# ---------------------------------------------------------------------------------------------
# Label and heading matching (on folded text: same positions as the original)


@dataclass(frozen=True)
class _Label:
    field: str
    lang: str | None
    value: str
    line: int


def _variant_pattern(variant: str) -> str:
    return r"\s+".join(re.escape(part) for part in page_labels.fold(variant).split())


@lru_cache(maxsize=4)
def _label_regex(fields: frozenset[str]) -> tuple[re.Pattern[str], dict[str, tuple[str, str]]]:
    rows = [row for row in page_labels.all_variants(page_labels.LABELS) if row[0] in fields]
    index: dict[str, tuple[str, str]] = {}
    for name, lang, variant in rows:
        key = _key(variant)
        if key in index and index[key][1] != lang:
            index[key] = (name, "")  # the same word in two languages says nothing
        else:
            index.setdefault(key, (name, lang))
    alternation = "|".join(_variant_pattern(v) for _, _, v in rows)
    return re.compile(rf"(?P<label>{alternation})\s*:", re.IGNORECASE), index


def _key(text: str) -> str:
    return " ".join(page_labels.fold(text).casefold().split())


@lru_cache(maxsize=1)
def _headings() -> dict[str, tuple[str, str]]:
    index: dict[str, tuple[str, str]] = {}
    for name, lang, variant in page_labels.all_variants(page_labels.HEADINGS):
        index.setdefault(_key(variant), (name, lang))
    return index


def _glued_boundary(text: str, start: int) -> bool:
    """A label or heading may start a line, follow a space, or be glued to the previous value
    in the compact layout ("Public ProcurementIRM Review": lower case, then upper case)."""
    if start == 0 or not text[start - 1].isalnum():
        return True
    return text[start].isupper() and (text[start - 1].islower() or text[start - 1].isdigit())


def scan_labels(line: str, number: int, fields: frozenset[str]) -> list[_Label] | None:
    """The ``Label: value`` pairs of a line that starts with a known label, else None."""
    pattern, index = _label_regex(fields)
    folded = page_labels.fold(line)
    matches = [m for m in pattern.finditer(folded) if _glued_boundary(folded, m.start())]
    if not matches or folded[:matches[0].start()].strip():
        return None
    found = []
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(line)
        name, lang = index[_key(match.group("label"))]
        found.append(_Label(name, lang or None, line[match.end():end].strip(), number))
    return found


def heading_of(line: str) -> tuple[str, str] | None:
    """(section, language) when the whole line is a heading."""
    return _headings().get(_key(line))


@lru_cache(maxsize=1)
def _headings_longest_first() -> list[tuple[str, tuple[str, str]]]:
    return sorted(_headings().items(), key=lambda item: -len(item[0]))


def split_glued_heading(line: str) -> tuple[str, tuple[str, str] | None]:
    """``Public ProcurementIRM Review`` -> (``Public Procurement``, irm_review heading)."""
    folded = page_labels.fold(line.rstrip())
    for key, heading in _headings_longest_first():
        cut = len(folded) - len(key)
        if cut > 0 and _key(folded[cut:]) == key and _glued_boundary(folded, cut) \
                and folded[cut - 1].isalnum() and folded[cut].isupper():
            return line[:cut].rstrip(), heading
    return line, None


def _is_summary_heading(line: str) -> bool:
    folded = page_labels.fold(line.strip())
    if len(folded) > page_labels.SUMMARY_HEADING_MAX:
        return False
    return any(re.fullmatch(p, folded, re.IGNORECASE)
               for p in page_labels.SUMMARY_HEADING_PATTERNS)


@lru_cache(maxsize=1)
def _summary_sections() -> frozenset[str]:
    return frozenset(_key(h) for h in page_labels.SUMMARY_SECTION_HEADINGS)


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


# ---------------------------------------------------------------------------------------------
# Reading


@dataclass
class _Page:
    path: str
    lines: list[str]
    warnings: list[str] = field(default_factory=list)
    new_concepts: dict[tuple[str, str], Text] = field(default_factory=dict)
    glance: dict[str, _Label] = field(default_factory=dict)
    bullets: dict[str, list[str]] = field(default_factory=dict)
    langs: Counter[str] = field(default_factory=Counter)

    def where(self, line: int | None) -> str:
        return f"{self.path}:{line}" if line is not None else self.path

    def value(self, name: str) -> str:
        label = self.glance.get(name)
        return label.value if label else ""

    def line_of(self, name: str) -> int | None:
        label = self.glance.get(name)
        return label.line if label else None


def read_page_text(
    path: Path, text: str | None = None, *, source: Source | None = None
) -> SourceRecords:
    """The page's commitment, then the entries of its member commitment list (if any)."""
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
    page = _Page(path=source.path, lines=lines)

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

    member = _member(page, country_line, url, identifier, ui_lang)
    commitment = Commitment(identifier=identifier, source=source, member=member,
                            line=title_index + 1, page_url=url)
    title = title_match.group("title")
    commitment.titles = [Text(title, title_language(title, ui_lang))]
    commitment.action_plan = _action_plan(page, member.slug if member else None)
    commitment.status = _concept(page, "status", "status")
    commitment.lead_institutions = _institutions(page, "lead", lead=True)
    commitment.supporting_institutions = _institutions(page, "support", lead=False)
    commitment.supporting_institutions += _institutions(page, "institutions_involved",
                                                        lead=False)
    commitment.policy_areas = _policy_areas(page, ui_lang)
    commitment.ogp_values = _declared_ogp_values(page)
    cycle = commitment.action_plan.cycle_year if commitment.action_plan else None
    commitment.assessments = _assessments(page, member.slug if member else None, cycle)

    if description_start is not None:
        summary = next((i for i in range(description_start, section_end)
                        if _is_summary_heading(lines[i])), section_end)
        commitment.description = _prose(lines[description_start:summary])
        _read_summary(page, commitment, description_start, summary, section_end)
        if commitment.start_date is None and commitment.end_date is None:
            commitment.start_date, commitment.end_date = _date_range_line(
                lines[description_start:summary])
    _glance_dates(page, commitment)

    records = SourceRecords(source=source, commitments=[commitment], warnings=page.warnings,
                            new_concepts=page.new_concepts)
    if list_index is not None:
        list_end = _footer(lines, list_index) or len(lines)
        records.commitments += parse_commitment_list(
            lines[list_index:list_end], list_index + 1, member, source, ui_lang,
            warnings=page.warnings, new_concepts=page.new_concepts)
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


def _country_line(lines: list[str], title_index: int, page: _Page) -> str | None:
    """The member's name on the line after "Skip Navigation" (absent in some layouts)."""
    for index in range(title_index):
        heading = heading_of(lines[index])
        if heading and heading[0] == "skip_navigation":
            page.langs[heading[1]] += 1
            following = [ln.strip() for ln in lines[index + 1:title_index] if ln.strip()]
            return following[0] if following else None
    return None


def _read_glance(page: _Page, start: int) -> int | None:
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
                page.glance["policy_areas"] = _Label("policy_areas", None, line, number)
                expect = None
            elif expect and _structure_follows(page.lines, index):
                # "Status:" then "Active" on its own line (label and value in two blocks)
                label = page.glance[expect]
                page.glance[expect] = _Label(label.field, label.lang, line, number)
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


def _ui_lang(page: _Page, url: str | None) -> str | None:
    if page.langs:
        return page.langs.most_common(1)[0][0]
    match = re.search(r"://[^/]+/(?P<lang>[a-z]{2})/", url or "")
    return match.group("lang") if match else None


# --- member and action plan --------------------------------------------------------------


def _member_from_plan_name(name: str) -> tuple[str | None, bool]:
    """(member name, translated?) from an action plan's name."""
    text = re.sub(r"\(.*?\)", " ", name)
    text = YEAR_RANGE.sub(" ", text)
    text = re.sub(r"\b(?:19|20)\d\d\b", " ", text)
    text = " ".join(text.split()).strip(" ,;:–—-")
    folded = page_labels.fold(text)
    translated = page_labels.TRANSLATED_PLAN_NAME.match(folded)
    if translated:
        return text[translated.start("member"):].strip(" ,;:–—-") or None, True
    english = page_labels.ENGLISH_PLAN_NAME.match(folded)
    if english:
        return text[:english.end("member")].strip(" ,;:–—-") or None, False
    return None, False


def _member(
    page: _Page, country_line: str | None, url: str | None, identifier: str,
    ui_lang: str | None,
) -> MemberRef | None:
    """The page's member: the country line, else the action plan's name, else the URL."""
    url_match = URL_MEMBER.search(url or "")
    url_slug = url_match.group("slug").lower() if url_match else None
    url_name = url_slug.replace("-", " ").title() if url_slug else None
    name = country_line
    if name is None and page.value("action_plan"):
        plan_member, translated = _member_from_plan_name(page.value("action_plan"))
        if plan_member and translated and url_name and ui_lang != "en":
            # a translated name ("Ucrania") is not the English name the URL gives
            name = url_name if slug(plan_member) != url_slug else plan_member
        else:
            name = plan_member
    name = name or url_name
    if name is None:
        page.warnings.append(f"{page.path}: no member named on the page or in its URL")
        return None
    if url_slug and slug(name) != url_slug:
        page.warnings.append(
            f"{page.path}: the source URL names member '{url_slug}' but the page is about "
            f"{name!r}; keeping {name!r}")
    local = True if _is_local(page, identifier) else None  # absence is not evidence
    return MemberRef(name=name, slug=slug(name), local=local)


def _is_local(page: _Page, identifier: str) -> bool:
    prefix = re.match(r"[A-Z]+", identifier)
    local_layout = any(f in page.glance for f in ("institutions_involved", "inception_report",
                                                  "primary_policy_area"))
    return bool(prefix and len(prefix.group()) >= 3) or local_layout


def _action_plan(page: _Page, member_slug: str | None) -> ActionPlanRef | None:
    if member_slug is None:
        return None
    name = page.value("action_plan")
    if vocabulary.normalise(name) in page_labels.NO_VALUE or vocabulary.is_not_assessed(name):
        name = ""
    cycle_text = page.value("cycle")
    cycle: int | None = None
    if cycle_text and not vocabulary.is_not_assessed(cycle_text):
        if not re.fullmatch(r"(19|20)\d\d", cycle_text):
            raise SourceError(page.path, f"action plan cycle {cycle_text!r} is not a year",
                              line=page.line_of("cycle"), field="cycle")
        cycle = int(cycle_text)
    end_year = None
    ranges = list(YEAR_RANGE.finditer(name))
    if ranges:
        start, end = ranges[-1].group("start"), ranges[-1].group("end")
        end_year = int(start[:2] + end if len(end) == 2 else end)
    return ActionPlanRef(member_slug=member_slug, cycle_year=cycle, name=name or None,
                         end_year=end_year)


# --- institutions ---------------------------------------------------------------------------


def _dehyphenate(text: str) -> str:
    """Rejoin words broken at a line end: ``Go- vernment`` -> ``Government``."""
    return re.sub(r"(?<=\w)- (?=[a-zà-ÿ])", "", text)


def _is_none(text: str) -> bool:
    norm = vocabulary.normalise(text)
    return vocabulary.is_not_assessed(text) or norm in page_labels.NO_INSTITUTION


def _clean_name(text: str) -> str:
    return " ".join(text.split()).strip().rstrip(".").strip()


def _continues_name(pieces: list[str], head: int) -> int | None:
    """"Ministry of the Economy, Industry and the Digital Sector": after a piece naming a
    body ("Ministry of …", "Department for …"), short capitalised pieces up to one with a
    conjunction are the rest of its name. Returns the index of that last piece, or None."""
    if not page_labels.BODY_NAME.match(pieces[head]):
        return None
    for index in range(head + 1, len(pieces)):
        words = pieces[index].split()
        if not words or len(words) > 6 or not words[0][0].isupper() or "(" in pieces[index] \
                or page_labels.BODY_WORD.search(pieces[index]):
            return None
        if any(word in page_labels.CONJUNCTIONS for word in words[1:-1]):
            return index
    return None


def _split_commas(part: str) -> list[str]:
    pieces = [_clean_name(p) for p in part.split(",")]
    pieces = [p for p in pieces if p and not page_labels.FILLER_INSTITUTION.match(p)]
    names: list[str] = []
    index = 0
    while index < len(pieces):
        piece = pieces[index]
        first = piece.split()[0]
        if names and first.islower() and first.isalpha():  # "…, a través de la Secretaría"
            names[-1] = f"{names[-1]}, {piece}"
            index += 1
            continue
        last = _continues_name(pieces, index)
        if last is not None:
            piece = ", ".join(pieces[index:last + 1])
            index = last
        names.append(piece)
        index += 1
    return [n for n in names if not _is_none(n)]


def _group_kind(text: str) -> InstitutionKind | None:
    kind = page_labels.INSTITUTION_GROUPS.get(vocabulary.normalise(text))
    return cast(InstitutionKind, kind) if kind else None


def _institutions(page: _Page, name: str, *, lead: bool) -> list[InstitutionRef]:
    default: InstitutionKind = "government" if lead else "unknown"
    found: list[InstitutionRef] = []
    items = page.bullets.get(name)
    value = _dehyphenate(page.value(name))
    if items:  # "Institutions involved:" then "- item" lines; group headings set the kind
        kind = default
        for item in items:
            item = _clean_name(_dehyphenate(item))
            group = _group_kind(item)
            if group:
                kind = group if not lead else default
            elif item and not _is_none(item):
                found.append(InstitutionRef(item, kind))
        return found
    if "•" in value:  # "• Government - A - B • Civil Society / Private Sector - C"
        for group in value.split("•"):
            pieces = [_clean_name(p) for p in re.split(r"\s+-\s+", group)]
            pieces = [p for p in pieces if p]
            kind = _group_kind(pieces[0]) if pieces else None
            if kind is not None:
                pieces = pieces[1:]
            chosen = default if lead or kind is None else kind
            found += [InstitutionRef(p, chosen) for p in pieces if not _is_none(p)]
        return found
    if _is_none(value):
        return []
    parts = value.split(";")
    for index, part in enumerate(parts):
        kind: InstitutionKind
        if lead:
            kind = "government"
        elif len(parts) == 1:
            kind = "unknown"  # no ";": no telling government from civil society
        else:
            kind = "government" if index == 0 else "civil-society"
        found += [InstitutionRef(n, kind) for n in _split_commas(part)]
    return found


# --- policy areas, values --------------------------------------------------------------------


def _policy_areas(page: _Page, ui_lang: str | None) -> list[str]:
    labels: list[str] = []
    for name in ("policy_areas", "primary_policy_area"):
        if page.bullets.get(name):
            labels += page.bullets[name]
        elif page.value(name):
            labels += page.value(name).split(",")
    line = page.line_of("policy_areas") or page.line_of("primary_policy_area")
    return resolve_policy_areas(labels, ui_lang, page.where(line), page.warnings,
                                page.new_concepts)


def _dedouble(value: str) -> str:
    """``Did Not Change Did Not Change`` (a flattening artefact) -> ``Did Not Change``."""
    words = value.split()
    half = len(words) // 2
    if words and len(words) % 2 == 0 and words[:half] == words[half:]:
        return " ".join(words[:half])
    return " ".join(words)


def _no_value(value: str) -> bool:
    return vocabulary.is_not_assessed(value) or vocabulary.normalise(value) in page_labels.NO_VALUE


def _lookup(scheme: str, value: str) -> str | None:
    english = page_labels.VALUE_TRANSLATIONS.get(vocabulary.normalise(value))
    return vocabulary.lookup(scheme, value) or (vocabulary.lookup(scheme, english)
                                                if english else None)


def _concept(page: _Page, name: str, scheme: str) -> str | None:
    value = _dedouble(page.value(name))
    if _no_value(value):
        return None
    key = _lookup(scheme, value)
    if key is None:
        page.warnings.append(f"{page.where(page.line_of(name))}: unknown {scheme} value "
                             f"{value!r}; left out")
    return key


def _yes_no(page: _Page, name: str) -> bool | None:
    value = _dedouble(page.value(name))
    if _no_value(value):
        return None
    norm = vocabulary.normalise(value)
    first = norm.split()[0]
    if norm in page_labels.YES or first in page_labels.YES:
        return True
    if norm in page_labels.NO or first in page_labels.NO:
        return False
    page.warnings.append(f"{page.where(page.line_of(name))}: unreadable yes/no value "
                         f"{value!r} for {name}; left out")
    return None


def _ogp_values(text: str) -> tuple[list[str], list[str]]:
    """OGP value keys named in a text, matching known labels greedily (they may run together:
    ``Access to Information Civic Participation``); also the words left unmatched."""
    keys: list[str] = []
    unmatched: list[str] = []
    for part in text.split(","):
        words = part.split()
        i = 0
        while i < len(words):
            for j in range(len(words), i, -1):
                key = _lookup("ogp-value", " ".join(words[i:j]))
                if key:
                    if key not in keys:
                        keys.append(key)
                    i = j
                    break
            else:
                unmatched.append(words[i])
                i += 1
    return keys, unmatched


def _relevance(page: _Page, assessment: Assessment) -> None:
    value = _dedouble(page.value("relevant"))
    if _no_value(value):
        return
    norm = vocabulary.normalise(value)
    if norm in page_labels.NOT_RELEVANT or norm in page_labels.NO:
        assessment.relevant = False
        return
    if norm in page_labels.YES:
        assessment.relevant = True
        return
    keys, unmatched = _ogp_values(value)
    if keys:
        assessment.relevant, assessment.ogp_values = True, keys
    if unmatched:
        page.warnings.append(f"{page.where(page.line_of('relevant'))}: unknown OGP value "
                             f"words {' '.join(unmatched)!r}; left out")


def _early_results(page: _Page, assessment: Assessment) -> None:
    """Older pages put did-it-open-government values under "Early Results"."""
    value = _dedouble(page.value("early_results"))
    if _no_value(value):
        return
    diog = _lookup("did-it-open-government", value)
    if diog:
        assessment.did_it_open_government = diog
        return
    early = _lookup("early-results", value)
    if early:
        assessment.early_results = early
        return
    page.warnings.append(f"{page.where(page.line_of('early_results'))}: unknown early results "
                         f"value {value!r}; left out")


def _reports(page: _Page, member_slug: str, cycle: int | None) -> list[ReportRef]:
    reports: list[ReportRef] = []
    for name in ("irm_report", "inception_report"):
        value = page.value(name)
        if _no_value(value):
            continue
        for report_name in (_clean_name(n) for n in value.split(",")):
            if not report_name or _no_value(report_name):
                continue
            kind = "inception" if name == "inception_report" else _report_kind(report_name)
            if kind is None:
                page.warnings.append(f"{page.where(page.line_of(name))}: cannot tell the kind "
                                     f"of IRM report {report_name!r}; left out")
                continue
            years = re.findall(r"\b(?:19|20)\d\d\b", report_name)
            year = int(years[0]) if len(years) == 1 and not YEAR_RANGE.search(report_name) \
                else None
            reports.append(ReportRef(cast(ReportKind, kind), member_slug, cycle,
                                     name=report_name, year=year))
    return reports


def _report_kind(name: str) -> str | None:
    key = vocabulary.find_in("report-kind", name)
    if key:
        return key
    norm = vocabulary.normalise(name)
    return next((kind for pattern, kind in page_labels.REPORT_KIND_PATTERNS
                 if re.search(pattern, norm)), None)


def _assessments(page: _Page, member_slug: str | None, cycle: int | None) -> list[Assessment]:
    """The page's IRM values, on the latest listed report; the other listed reports get an
    assessment without values (so that the commitment still links to them)."""
    if member_slug is None:
        return []
    reports = _reports(page, member_slug, cycle)
    reports.sort(key=lambda r: page_labels.REPORT_PRECEDENCE.index(r.kind))
    # without a report the values are still read, to say in a warning what is left out
    values = Assessment(report=reports[0] if reports else ReportRef("design", member_slug, cycle))
    values.starred = _yes_no(page, "starred")
    values.verifiable = _yes_no(page, "verifiable")
    _early_results(page, values)
    did = _concept(page, "did_it_open_government", "did-it-open-government")
    values.did_it_open_government = did or values.did_it_open_government
    _relevance(page, values)
    values.potential_impact = _concept(page, "potential_impact", "potential-impact")
    values.ambition = _concept(page, "ambition", "ambition")
    values.completion = _concept(page, "completion", "completion")
    values.specificity = _concept(page, "specificity", "specificity")
    values.potential_for_results = _concept(page, "potential_for_results",
                                            "potential-for-results")
    if not reports:
        found = _set_values(values)
        if found:
            page.warnings.append(f"{page.path}: IRM values without an IRM report are left out: "
                                 + ", ".join(found))
        return []
    return [values] + [Assessment(report=r) for r in reports[1:]]


def _set_values(assessment: Assessment) -> list[str]:
    names = ("starred", "verifiable", "relevant", "did_it_open_government", "early_results",
             "potential_impact", "ambition", "completion", "specificity",
             "potential_for_results")
    found = [f"{n}={getattr(assessment, n)!r}" for n in names
             if getattr(assessment, n) is not None]
    if assessment.ogp_values:
        found.append(f"ogp_values={assessment.ogp_values!r}")
    return found


def _declared_ogp_values(page: _Page) -> list[str]:
    """OGP Local pages state the commitment's own OGP values ("OGP Value: - Access to
    information"), apart from any IRM assessment."""
    text = ", ".join(page.bullets.get("ogp_value", [])) or page.value("ogp_value")
    if _no_value(text):
        return []
    keys, unmatched = _ogp_values(text)
    if unmatched:
        page.warnings.append(f"{page.where(page.line_of('ogp_value'))}: unknown OGP value "
                             f"words {' '.join(unmatched)!r}; left out")
    return keys


# --- description, IRM summary, dates ---------------------------------------------------------


def _prose(lines: list[str]) -> Text | None:
    text = "\n".join(" ".join(line.split()) for line in lines if line.strip())
    return Text(text, detect_language(text)) if text else None


def _date(page: _Page, label: _Label) -> str | None:
    value = label.value.strip().rstrip(".").strip()
    if _no_value(value):
        return None
    parsed = parse_date(value)
    if parsed is None:
        raise SourceError(page.path, f"impossible or unreadable date {value!r}",
                          line=label.line, field=label.field)
    return parsed


def _glance_dates(page: _Page, commitment: Commitment) -> None:
    """OGP Local's "Commitment Start/End" in the At-a-Glance block win over the summary."""
    for name in ("start_date", "end_date"):
        label = page.glance.get(name)
        when = _date(page, label) if label else None
        if when:
            setattr(commitment, name, when)


def _read_summary(
    page: _Page, commitment: Commitment, description: int, summary: int, end: int
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
        or _key(line) in _summary_sections()
        or list_heading_member(line)
        or re.match(r"^(?:Compromiso|Commitment|Engagement|Compromisso)\s+\d+", line))


def _date_range_line(lines: list[str]) -> tuple[str | None, str | None]:
    """A ``date - date`` line near the top of the description (``Septiembre 01, 2018 -
    Septiembre 30, 2020``) gives the dates when no labelled dates do."""
    for line in [ln.strip() for ln in lines if ln.strip()][:5]:
        match = DATE_RANGE_LINE.match(line)
        if match:
            start, end = parse_date(match.group("a")), parse_date(match.group("b"))
            if start and end:
                return start, end
    return None, None
