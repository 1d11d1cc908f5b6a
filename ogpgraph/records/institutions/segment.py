"""The per-field pass: one institution field's text -> :class:`FieldReading`.

Layout and headings (``blocks``), separators, commas and conjunctions (``split``), lists
glued with no separator (``gazetteer``, when one is given), each piece's name, acronym and
notes (``names``), then the classification: the field's headings first, then OGP's
convention for Support Institution(s) (one ``;`` — or, in the commitments export, one blank
line — between government bodies and the civil society / private sector side; it is not
applied where a name's own pattern contradicts it), then the name's pattern.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ogpgraph.records.institutions import classify, names, shape, split
from ogpgraph.records.institutions import text as tx
from ogpgraph.records.institutions.blocks import Block, Context, blocks
from ogpgraph.records.institutions.gazetteer import Gazetteer
from ogpgraph.records.institutions.headings import NEUTRAL, HeadingClass, classify_label
from ogpgraph.records.institutions.types import Evidence, FieldReading, Issue, Mention, Role
from ogpgraph.records.institutions.types import Sector as S

_GOVERNMENT_SIDE = classify_label("government")
_OTHER_SIDE = classify_label("civil society / private sector")


def read_field(text: str, role: Role | str = Role.SUPPORT, *,
               gazetteer: Gazetteer | None = None) -> FieldReading:
    """Every institution named in one field (page text, saved HTML's text, a CSV cell).

    Without a gazetteer, a list glued with no separator is split only at the name-start
    words of the four languages and kept whole (issue ``unsplit``) where that is not
    certain; with the member's gazetteer (the build-level pass) known names split it too."""
    role = Role(role)
    reading = FieldReading(text=text, role=role)
    cleaned = tx.clean_field(text)
    known = gazetteer.known if gazetteer is not None else None
    found: list[tuple[Block, names.Parsed, bool]] = []
    seen: set[tuple[str | None, ...]] = set()
    noted: set[int] = set()
    for block in blocks(cleaned, known):
        for piece, confident in _pieces(block.text, gazetteer, reading):
            parsed = names.parse_piece(names.mend_parentheses(piece))
            if parsed is None:
                continue
            if isinstance(parsed, Issue):
                reading.issues.append(parsed)
                _person_before_title(parsed, found, reading, known)
            elif block.context.people and not shape.starts_institution(parsed.name, known):
                reading.issues.append(Issue("person", parsed.raw))
            elif (block.context.parent, *tx.folded_words(parsed.name)) not in seen:
                seen.add((block.context.parent, *tx.folded_words(parsed.name)))
                if block.context.note and id(block.context) in noted:
                    block = replace(block, context=replace(block.context, note=None))
                noted.add(id(block.context))  # a role label ("Initiator:") names one only
                found.append((block, parsed, confident))
    sides = _convention_sides(cleaned, role, found, reading)
    for index, (block, parsed, confident) in enumerate(found):
        side = sides[index] if sides else None
        reading.mentions.append(_mention(block.context, parsed, confident, side, reading))
    return reading


def _pieces(text: str, gazetteer: Gazetteer | None,
            reading: FieldReading) -> list[tuple[str, bool]]:
    known = gazetteer.known if gazetteer is not None else None
    out: list[tuple[str, bool]] = []
    for part in split.split_separators(text):
        for dashed in split.split_dashes(part, known):
            for joined in split.split_joiners(dashed):
                for piece in split.split_commas(joined, known):
                    for slashed in split.split_slashes(piece, known):
                        out += _unglue(slashed, gazetteer, reading)
    return out


def _unglue(piece: str, gazetteer: Gazetteer | None,
            reading: FieldReading) -> list[tuple[str, bool]]:
    piece = names.mend_parentheses(piece)
    glued = (gazetteer or Gazetteer.EMPTY).split_glued(piece)
    if glued is None:
        reading.issues.append(Issue("unsplit", piece, "may name several institutions"))
        return [(piece, False)]
    return [(part, True) for part in glued]


def _person_before_title(issue: Issue, found: list[tuple[Block, names.Parsed, bool]],
                         reading: FieldReading, known: shape.Known | None) -> None:
    """``Rolaine Uy, Executive Director, …``: before a bare job title, a short capitalised
    name that is no institution is a person."""
    if issue.kind != "person" or not found or not shape.is_person(issue.text) \
            or issue.text[:1] in "MDH" and " " not in issue.text:
        return
    name = found[-1][1].name
    words = name.split()
    if 2 <= len(words) <= 4 and all(w[:1].isupper() for w in words) and not found[-1][1].acronym \
            and not shape.is_institution_like(name, known) \
            and not any(tx.is_acronym(w) for w in words):
        found.pop()
        reading.issues.append(Issue("person", name, "named before a job title"))


def _convention_sides(cleaned: str, role: Role, found: list[tuple[Block, names.Parsed, bool]],
                      reading: FieldReading) -> list[HeadingClass] | None:
    """Per mention, the side OGP's convention puts it on (None: the convention does not
    apply to this field)."""
    if role != Role.SUPPORT or not found or any(b.context.headed for b, _, _ in found):
        return None
    depth = split.split_safe_depths(cleaned)
    semicolons = [i for i, ch in enumerate(cleaned) if ch == ";" and not depth[i]]
    paragraphs = {b.paragraph for b, _, _ in found}
    if len(semicolons) == 1:
        before = cleaned[:semicolons[0]]
        sides = [_GOVERNMENT_SIDE if _raw_in(p.raw, before) else _OTHER_SIDE
                 for _, p, _ in found]
    elif not semicolons and paragraphs == {0, 1}:
        sides = [_GOVERNMENT_SIDE if b.paragraph == 0 else _OTHER_SIDE for b, _, _ in found]
    else:
        return None
    if len(set(map(id, sides))) < 2:
        return None
    for side, (_, parsed, _) in zip(sides, found, strict=True):
        pattern = classify.classify_name(parsed.name)
        if classify.is_strong(pattern) and side.resolve(pattern)[1]:
            reading.issues.append(Issue("convention", parsed.raw,
                                        f"named {pattern.value} on the {side.default.value} "
                                        "side: the field does not follow the convention"))
            return None
    return sides


def _raw_in(raw: str, text: str) -> bool:
    squashed = " ".join(text.split())
    return " ".join(raw.split())[:40] in squashed or tx.squash(raw)[:25] in squashed


def _mention(context: Context, parsed: names.Parsed, confident: bool,
             side: HeadingClass | None, reading: FieldReading) -> Mention:
    pattern = classify.classify_name(parsed.name)
    parent = context.parent or parsed.parent
    if parent:
        parent_sector = classify.classify_name(parent)
        if parent_sector.refines(pattern) or pattern == S.GOVERNMENT and \
                parent_sector.broader == S.GOVERNMENT:
            pattern = parent_sector
    sector, evidence = pattern, (Evidence.PATTERN if pattern != S.UNKNOWN else Evidence.NONE)
    if context.cls is not NEUTRAL:
        sector, conflict = context.cls.resolve(pattern)
        evidence = Evidence.HEADING
        if conflict:
            reading.issues.append(Issue("conflict", parsed.name, f"heading says "
                                        f"{context.cls.default.value}, name {pattern.value}"))
    elif side is not None:
        sector, _ = side.resolve(pattern)
        evidence = Evidence.CONVENTION
    note = "; ".join(n for n in (context.note, parsed.note) if n) or None
    return Mention(name=parsed.name, raw=parsed.raw, sector=sector, evidence=evidence,
                   acronym=parsed.acronym, note=note, parent=parent,
                   via=parsed.via,
                   confident=confident, pattern_sector=pattern)


def is_none_field(text: str) -> bool:
    """The whole field says "no institution" (``NA``, ``N/A``, ``Unclear``, ``Ninguna``)."""
    return not re.sub(r"\W", "", tx.clean_field(text)) or names.parse_piece(text) is None
