"""The member commitment list at the foot of an OGP commitment page ("Peru's Commitments").

Each entry is two lines, ``N. title`` then ``ID, year, policy area`` (the policy area may be
empty); a title prefixed "Starred commitment" marks a starred commitment. Entries become thin
Commitment records (identifier, title, member, action plan cycle, policy area, starred).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from ogpgraph.records import vocabulary
from ogpgraph.records.model import ActionPlanRef, Commitment, MemberRef, Source, Text
from ogpgraph.records.slugs import slug
from ogpgraph.sources import page_labels
from ogpgraph.sources.errors import SourceError, raise_all
from ogpgraph.sources.language import detect_language

IDENTIFIER = re.compile(r"^[A-Z]{2,6}[0-9]{2,6}$")
_NUMBERED = re.compile(r"^\s*(?P<n>\d+)\.\s+(?P<title>\S.*?)\s*$")
# "ID, year, area" — loose on purpose, so that a malformed entry is reported, not skipped
_DATA = re.compile(r"^\s*(?P<id>[^\s,]+)\s*,\s*(?P<year>[^,]*?)\s*(?:,(?P<area>.*))?$")
_LIST_HEADINGS = tuple(re.compile(rf"^{p}$", re.IGNORECASE)
                       for p in page_labels.COMMITMENT_LIST_PATTERNS)
_STARRED = tuple(re.compile(rf"^{re.escape(page_labels.fold(p))}\s+(?=\S)", re.IGNORECASE)
                 for p in page_labels.STARRED_PREFIXES)


def list_heading_member(line: str) -> str | None:
    """The member named by a commitment-list heading ("Peru's Commitments" -> "Peru")."""
    text = line.strip()
    folded = page_labels.fold(text)
    for pattern in _LIST_HEADINGS:
        match = pattern.match(folded)
        if match:
            return text[match.start("member"):match.end("member")].strip() or None
    return None


def find_commitment_list(lines: Sequence[str], start: int = 0) -> int | None:
    """Index of the commitment-list heading at or after ``start``: a heading line followed by
    a numbered entry (so that prose like "Peru's Commitments were…" is not taken for one)."""
    for index in range(start, len(lines)):
        if list_heading_member(lines[index]) is None:
            continue
        following = next((ln for ln in lines[index + 1:] if ln.strip()), "")
        if _NUMBERED.match(following):
            return index
    return None


def resolve_policy_areas(
    labels: Sequence[str], lang: str | None, where: str, warnings: list[str],
    new_concepts: dict[tuple[str, str], Text] | None = None,
) -> list[str]:
    """Policy-area keys for labels, in order, without duplicates.

    Adjacent labels are also tried joined with ", " (a label containing a comma was split).
    An unknown label keeps the key ``slug(label)``, with a warning and a new concept entry.
    """
    items = [label.strip().rstrip(".").strip() for label in labels]
    items = [item for item in items if item and not vocabulary.is_not_assessed(item)]
    keys: list[str] = []
    i = 0
    while i < len(items):
        found: tuple[int, str] | None = None
        for j in range(len(items), i, -1):
            key = vocabulary.lookup("policy-area", ", ".join(items[i:j]))
            if key:
                found = (j, key)
                break
        if found:
            j, key = found
        else:
            j, key = i + 1, slug(items[i])
            warnings.append(f"{where}: unknown policy area {items[i]!r} (kept as '{key}')")
            if new_concepts is not None:
                new_concepts.setdefault(("policy-area", key), Text(items[i], lang))
        if key not in keys:
            keys.append(key)
        i = j
    return keys


def title_language(title: str, ui_lang: str | None) -> str | None:
    """A title's language. Two or three words are too few to tell a language from
    ("Collaboration Technologies" is English and French alike); for those the site's
    interface language, in which OGP shows titles, is the better guess."""
    if ui_lang and len(title.split()) <= 3:
        return ui_lang
    return detect_language(title, hint=ui_lang)


def _strip_starred(title: str) -> tuple[str, bool]:
    folded = page_labels.fold(title)
    for pattern in _STARRED:
        match = pattern.match(folded)
        if match:
            return title[match.end():].strip(), True
    return title, False


def parse_commitment_list(
    lines: Sequence[str], start_line: int, member: MemberRef | None, source: Source,
    ui_lang: str | None, *, warnings: list[str] | None = None,
    new_concepts: dict[tuple[str, str], Text] | None = None,
    errors: list[SourceError] | None = None,
) -> list[Commitment]:
    """Commitments of the list whose heading is ``lines[0]`` (file line ``start_line``).

    ``member`` is the page's member; when None the heading's member name is used. The list
    ends at the first line that is neither an entry nor blank. List titles are in the site's
    interface language, so ``ui_lang`` is the hint for titles too short to detect.
    A malformed entry is left out and reading goes on: its error is added to ``errors``, or,
    without that list, every error of the list is raised at the end.
    """
    found_errors: list[SourceError] = [] if errors is None else errors
    found = _list_entries(lines, start_line, member, source, ui_lang,
                          warnings if warnings is not None else [], new_concepts, found_errors)
    if errors is None:
        raise_all(found_errors)
    return found


def _list_entries(
    lines: Sequence[str], start_line: int, member: MemberRef | None, source: Source,
    ui_lang: str | None, warnings: list[str],
    new_concepts: dict[tuple[str, str], Text] | None, errors: list[SourceError],
) -> list[Commitment]:
    if member is None:
        name = list_heading_member(lines[0]) if lines else None
        if name is None:
            errors.append(SourceError(source.path, "commitment list without a member",
                                      line=start_line))
            return []
        member = MemberRef(name=name, slug=slug(name))
    body_start = 1 if lines and list_heading_member(lines[0]) else 0
    found: list[Commitment] = []
    pending: tuple[int, str] | None = None  # (line number, title) awaiting its data line
    for offset in range(body_start, len(lines)):
        number = start_line + offset
        text = lines[offset].strip()
        if not text:
            continue
        if pending is None:
            numbered = _NUMBERED.match(text)
            if not numbered:
                break  # the list is over
            pending = (number, numbered.group("title"))
            continue
        data = _DATA.match(text)
        if not data:
            numbered = _NUMBERED.match(text)
            if numbered:  # the next entry: this one has no data line
                errors.append(SourceError(source.path, f"list entry {pending[1]!r} has no "
                                          "'ID, year' line", line=pending[0]))
                pending = (number, numbered.group("title"))
            else:
                pending = (pending[0], f"{pending[1]} {text}")  # a title wrapped onto two lines
            continue
        try:
            found.append(_entry(data, number, pending, member, source, ui_lang, warnings,
                                new_concepts))
        except SourceError as error:
            errors.append(error)
        pending = None
    if pending is not None:
        errors.append(SourceError(source.path, f"list entry {pending[1]!r} has no 'ID, year' "
                                  "line", line=pending[0]))
    return found


def _entry(
    data: re.Match[str], number: int, pending: tuple[int, str], member: MemberRef,
    source: Source, ui_lang: str | None, warnings: list[str],
    new_concepts: dict[tuple[str, str], Text] | None,
) -> Commitment:
    identifier, year = data.group("id").strip(), data.group("year").strip()
    errors = []
    if not IDENTIFIER.match(identifier):
        errors.append(SourceError(source.path, f"malformed commitment identifier "
                                  f"{identifier!r} in the commitment list", line=number,
                                  field="identifier"))
    if not re.fullmatch(r"(19|20)\d\d", year):
        errors.append(SourceError(source.path, f"malformed action plan year {year!r} for "
                                  f"{identifier} in the commitment list", line=number,
                                  field="year"))
    raise_all(errors)
    title, starred = _strip_starred(pending[1])
    area = (data.group("area") or "").strip()
    areas = resolve_policy_areas([area] if area else [], ui_lang,
                                 f"{source.path}:{number}", warnings, new_concepts)
    return Commitment(
        identifier=identifier,
        source=source,
        member=replace(member),
        action_plan=ActionPlanRef(member_slug=member.slug, cycle_year=int(year)),
        titles=[Text(title, title_language(title, ui_lang))],
        policy_areas=areas,
        starred=True if starred else None,  # no marker is not evidence of "not starred"
        line=pending[0],
    )
