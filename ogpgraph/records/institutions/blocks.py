"""A field's layout: wrapped lines joined back, bullets and line breaks as separators,
headings taken out. The result is a sequence of :class:`Block` — text under the heading
context that applies to it."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ogpgraph.records.institutions import headings, lexicon, shape
from ogpgraph.records.institutions import text as tx
from ogpgraph.records.institutions.headings import NEUTRAL, HeadingClass
from ogpgraph.records.institutions.shape import Known
from ogpgraph.records.institutions.split import split_safe_depths

_LABEL_MAX_WORDS = 12
_PEOPLE_LABEL = re.compile(r"\b(?:citizens?|persons?|officers?|individuals?|experts?|"
                           r"ciudadan[oa]s|personas|contacts?|focal|representatives of csos?)\b")


@dataclass(frozen=True)
class Context:
    """What the headings above a block say: their class, the institution the names are
    units of (``Del Senado:``), a role note (``Initiator:``), whether the names under it are
    people (``Citizens:``), and whether any heading was seen."""

    cls: HeadingClass = NEUTRAL
    parent: str | None = None
    note: str | None = None
    people: bool = False
    headed: bool = False


@dataclass(frozen=True)
class Block:
    text: str
    context: Context
    paragraph: int  # index of the blank-line separated paragraph the text is in


_MARKER = re.compile(r"^\s*(?:[-–•]|\(?(?:\d{1,2}|[a-z])[.)]\s)")


def join_lines(text: str) -> list[tuple[int, str]]:
    """(paragraph, line) pairs: a line continues the previous one when the break falls
    inside a name (previous line ends with a linking word, ``,``, ``&``, ``(`` or an open
    quote; or the next starts in lower case, with ``(`` or a linking word; or the previous
    line ends with a lone word that is no name, ``Line`` / ``Ministries``). In a list whose
    items carry markers (``- A``, ``1. B``), a line without a marker continues the item."""
    out: list[tuple[int, str]] = []
    paragraph, blank = 0, False
    lines = text.split("\n")
    marked = sum(1 for line in lines if _MARKER.match(line)) >= 2
    for line in lines:
        stripped = " ".join(line.split())
        if not stripped:
            blank = bool(out)
            continue
        if blank:
            paragraph, blank = paragraph + 1, False
            out.append((paragraph, stripped))
            continue
        if out and (_continues(out[-1][1], stripped) or (
                marked and not _MARKER.match(stripped) and _MARKER.match(out[-1][1])
                and headings.word_heading(stripped) is None)):
            out[-1] = (out[-1][0], f"{out[-1][1]} {stripped}")
        else:
            out.append((paragraph, stripped))
    return out


def _continues(previous: str, line: str) -> bool:
    if re.match(r"^[-–•]|^\(?(?:\d{1,2}|[a-z])[.)]\s", line):
        return False
    last = tx.fold(previous.split()[-1]).strip(".\"'")
    first = line.split()[0]
    if first[0].isdigit() and not re.match(r"^\d{1,2}[.)]\s", line):
        return True
    if last in lexicon.LINKING or previous.rstrip()[-1] in ",&(/-" or first[0] in "(" \
            or (first[0].islower() and not first[1:2].isupper()):
        return True
    if previous.count("(") > previous.count(")") or previous.count('"') % 2:
        return True
    tail = re.split(r"[,;•]", previous)[-1].strip()
    if last in lexicon.MODIFIERS and len(tail.split()) > 1 \
            and tx.fold(first).strip(".\"'") not in lexicon.STRONG_HEADS:
        return True  # "Ministry of Public" / "Administration …", not "… Municipal" / "Secretaría …"
    head = re.split(r"[,;•]", line)[0].strip()
    lone_tail = len(tail.split()) == 1 and not tx.is_acronym(tail) \
        and tx.fold(tail) not in lexicon.HEADS and "," in previous
    lone_head = len(head.split()) == 1 and tx.fold(head) in lexicon.END_HEADS \
        and not shape.is_institution_like(tail) and "," in line
    return lone_tail or lone_head


def blocks(text: str, known: Known | None = None) -> list[Block]:
    """The field's text blocks with their heading contexts."""
    out: list[Block] = []
    context = Context()
    for paragraph, line in join_lines(text):
        for segment in line.split("•"):
            segment = segment.strip()
            if not segment:
                continue
            whole = headings.word_heading(segment)
            if whole is not None:
                context = Context(cls=whole, headed=True)
                continue
            for piece, heading in _cut_headings(segment, known):
                if heading is not None:
                    context = _apply(context, heading)
                if piece:
                    out.append(Block(piece, context, paragraph))
    return out


def _apply(context: Context, heading: Context) -> Context:
    if heading.parent is not None:  # a unit heading keeps the class above it
        cls = heading.cls if heading.cls is not NEUTRAL else context.cls
        return replace(heading, cls=cls, headed=True)
    return heading


def _cut_headings(segment: str, known: Known | None) -> list[tuple[str, Context | None]]:
    """The segment as (text, heading before it) pairs."""
    out: list[tuple[str, Context | None]] = []
    last, pending = 0, None
    for hit in headings.find_phrases(segment):
        before = segment[last:hit.start]
        out += _cut_labels(before, known, pending)
        pending = Context(cls=hit.cls, headed=True)
        last = hit.end
    out += _cut_labels(segment[last:], known, pending)
    return out


_OF_HEADING = re.compile(r"(?:^|(?<=\s))(?:De la|De las|De los|Del|De l'|De|Du|Des|Of the|"
                         r"From the|Da|Do|Dos|Das)\s+(?=\S)")


def _unit_heading(label: str, known: Known | None) -> tuple[int, Context] | None:
    """``… Del Senado:`` / ``De la BCN:``: a capitalised "of" opens a heading naming the
    institution whose units follow (it may be glued after the previous unit's name)."""
    for match in reversed(list(_OF_HEADING.finditer(label))):
        rest = label[match.end():].strip()
        if rest and (shape.starts_institution(rest, known) or tx.is_acronym(rest)):
            return match.start(), Context(parent=tx.squash(rest), headed=True)
    return None


_LABEL = re.compile(r"(?P<label>[^:;,.•]{1,120}?)\s*"
                    r"(?::(?!//)|(?<=\w)-(?=\s)|(?<=\s)[-–](?=\s))\s*")


def _cut_labels(text: str, known: Known | None,
                pending: Context | None) -> list[tuple[str, Context | None]]:
    """``Government: A, B Civil Society: C`` -> [("", gov), ("A, B", None)…]: a label is a
    heading word before ``:`` or ``-`` (also glued after a name), or a short text before
    ``:`` (``Initiator:``, ``Del Senado:``, ``Ministry of Finance:``)."""
    out: list[tuple[str, Context | None]] = []
    last = 0
    depths = split_safe_depths(text)
    for match in _LABEL.finditer(text):
        end = match.end("label")
        if match.start() < last or (end < len(depths) and depths[end]):
            continue
        found = _label_context(match.group("label"), match.group(0).rstrip().endswith(":"),
                               known, text[match.end():])
        if found is None:
            continue
        cut, context = found
        start = match.start("label") + cut
        if text[last:start].strip():
            out.append((text[last:start].strip(), pending))
            pending = None
        if pending is not None and context.parent is not None and context.cls is NEUTRAL:
            context = replace(context, cls=pending.cls)
        pending = context
        last = match.end()
    rest = text[last:].strip()
    if rest or pending is not None:
        out.append((rest, pending))
    return out


def _label_context(label: str, colon: bool, known: Known | None,
                   after: str = "") -> tuple[int, Context] | None:
    """(offset where the label starts inside ``label``, its context), or None."""
    words = label.split()
    for size in range(min(len(words), 6), 0, -1):  # a heading word glued after a name
        if size < len(words) and tx.fold(words[-size - 1]) in lexicon.LINKING:
            continue  # "… the different areas of Government - …" ends a name
        suffix = " ".join(words[-size:])
        cls = headings.label_heading(suffix)
        if cls is not None:
            return label.rfind(words[-size]), Context(cls=cls, headed=True)
    if not colon or not words:
        return None
    unit = _unit_heading(label, known)
    if unit is not None:
        return unit
    if len(words) > _LABEL_MAX_WORDS:
        return None
    if shape.starts_institution(label, known) and not shape.is_prose(label):
        first = (tx.folded_words(after) or [""])[0]
        if first in lexicon.UNIT_WORDS:  # "Ministry of Finance: Fiscal Policy and Planning Dept, …"
            return 0, Context(parent=tx.squash(label), headed=True)
        return 0, Context()  # "Universidad públicas: …": a label, no scope to give
    cls = headings.classify_label(label)
    people = bool(_PEOPLE_LABEL.search(tx.fold(label)))
    note = None if cls is not NEUTRAL or people or len(words) > 4 else tx.squash(label)
    return 0, Context(cls=cls, note=note, people=people, headed=cls is not NEUTRAL)
