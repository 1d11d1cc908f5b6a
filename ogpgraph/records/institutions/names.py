"""One piece of text -> one institution mention (or the reason it is none).

The piece's furniture is taken off and kept apart: contact data (dropped), qualifiers such
as ``(by agreement)`` (the note), an acronym the text pairs with the name (``Commission on
Administrative Justice (CAJ)``, ``CRTA – Centre for …``, ``Fundación … FCD``), the unit a
body acts through (``… a través de la Secretaría …``). Persons, sentences, collective
references (``Line Ministries``), filler (``etc.``) and "none" markers are not institutions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ogpgraph.records.institutions import lexicon, shape
from ogpgraph.records.institutions import text as tx
from ogpgraph.records.institutions.types import Issue

_PAREN = re.compile(r"\(([^()]*)\)")
# a page number glued to a name ("… of DPR RI 82"), not "Courts 10 and 13"
_TRAILING_NUMBER = re.compile(r"(?<! and)(?<! y)(?<! et)(?<! e)(?<! &)(?<=[A-Za-zÀ-ÿ)]) \d{2,3}$")
_DASH_PAIR = re.compile(r"^(?P<a>.+?)\s*(?:\s[-–]\s?|[-–]\s)\s*(?P<b>[^\s]+|.+)$")


@dataclass(frozen=True)
class Parsed:
    name: str
    raw: str
    acronym: str | None = None
    note: str | None = None
    via: str | None = None
    parent: str | None = None  # "Directorate of Budget (Ministry of Economy and Finance)"


def mend_parentheses(piece: str) -> str:
    """``ADC Association for Civil Rights)``: a closing parenthesis whose opening one was lost
    after a leading acronym gets it back."""
    words = piece.split()
    if piece.count(")") > piece.count("(") and len(words) > 2 and tx.is_acronym(words[0]) \
            and piece.rstrip(" .").endswith(")"):
        return f"{words[0]} ({' '.join(words[1:])}"
    return piece


def parse_piece(piece: str) -> Parsed | Issue | None:
    """The name in ``piece``; an :class:`Issue` when it is not an institution; None for
    nothing at all (filler, "none" markers, empty)."""
    raw = tx.squash(piece)
    text, had_contact = shape.contact_stripped(raw)
    text = _strip_lead(text)
    if not text or _is_filler(text) or _is_none(text):
        return None
    if shape.is_person(text):
        return Issue("person", raw)
    if had_contact and not shape.is_institution_like(text):
        return Issue("contact", raw)
    text, notes = _qualifiers(text)
    text, via = _via(text)
    text, acronym, more = _parentheses(text)
    parent = _parent_note(text, more)
    notes += [n for n in more if n != parent]
    text, acronym = _acronym_pair(text, acronym)
    text = tx.squash(_balance_quotes(text))
    if len(text.split()) >= 4:  # not "ARTICLE 19"
        text = _TRAILING_NUMBER.sub("", text)
    text = _strip_lead(text)
    if not text or _is_filler(text) or _is_none(text):
        return None
    if shape.is_prose(text):
        return Issue("prose", raw)
    if shape.is_generic(text) or (shape.looks_lower(text) and (
            len(text.split()) == 1 or not shape.starts_institution(text))):
        return Issue("generic", raw)
    if shape.is_person(text):
        return Issue("person", raw)
    return Parsed(text, raw, acronym, "; ".join(notes) or None, via, parent)


def _parent_note(name: str, notes: list[str]) -> str | None:
    """The parenthesis after a unit's name that names the body it belongs to: a unit word
    first (``Directorate``, ``Unidad``), then an institution's name of two words or more."""
    words = tx.folded_words(name)
    if not words or words[0] not in lexicon.UNIT_WORDS:
        return None
    for note in notes:
        folded = shape.strip_article(tx.folded_words(note))
        if len(folded) >= 2 and shape.head_at(folded, 0) and note[:1].isupper() \
                and not shape.is_prose(note):
            return note
    return None


def _strip_lead(text: str) -> str:
    """Lower-case articles and conjunctions before a name (``the Ministry``, ``and IPLEX``)."""
    text = tx.squash(text)
    match = re.match(r"^(?:(?:the|el|la|los|las|le|les|l'|o|os|as|and|y|et|e|&)\s+)+(?=\S)",
                     text)
    if match and text[match.end():match.end() + 1].isupper():
        text = text[match.end():]
    text = re.sub(r"(?:,?\s+(?:etc\.?|\.\.\.)|…)\s*$", "", text)
    # "… and other interested NGOs": a tail naming nobody in particular
    text = re.sub(r",?\s+(?:and|y|et|e)\s+(?:other|otras|otros|autres|outras|outros|all|todas|"
                  r"todos|tous|toutes)(?:\s[^()]*)?$", "", text)
    return tx.squash(text)


def _is_filler(text: str) -> bool:
    folded = " ".join(tx.folded_words(text))
    return any(folded == f or folded.startswith(f + " ") for f in lexicon.FILLER)


def _is_none(text: str) -> bool:
    folded = " ".join(tx.fold(text).replace("/", " ").split()).strip(" .")
    return folded in lexicon.NONE_MARKERS


def _qualifier(text: str) -> bool:
    folded = " ".join(tx.fold(text).split()).strip(" .")
    return any(folded == q or folded.startswith(q + " ") for q in lexicon.QUALIFIERS)


def _qualifiers(text: str) -> tuple[str, list[str]]:
    """Qualifiers outside parentheses at the end: ``… by agreement``."""
    notes = []
    folded = tx.fold_same_length(text)
    for qualifier in lexicon.QUALIFIERS:
        if " " in qualifier and folded.rstrip(" .").endswith(" " + qualifier):
            cut = folded.rstrip(" .").rfind(" " + qualifier)
            notes.append(text[cut:].strip(" ."))
            text, folded = text[:cut], folded[:cut]
    return text, notes


def _via(text: str) -> tuple[str, str | None]:
    folded = tx.fold_same_length(text)
    for marker in lexicon.VIA:
        at = folded.find(" " + marker)
        if at > 0:
            via = _strip_lead(text[at + 1 + len(marker):])
            return text[:at].rstrip(" ,"), via or None
    return text, None


def _parentheses(text: str) -> tuple[str, str | None, list[str]]:
    """Acronym and notes out of the parentheses; a capitalised word that is neither
    (``(Kenya)``, ``(Avistar)``) stays in the name."""
    acronym, notes = None, []

    def take(match: re.Match[str]) -> str:
        nonlocal acronym
        inner = match.group(1).strip()
        if not inner:
            return " "
        if _qualifier(inner):
            notes.append(inner)
            return " "
        if tx.is_acronym(inner) and acronym is None:
            acronym = inner
            return " "
        if len(inner.split()) == 1 and inner[:1].isupper():
            return match.group(0)
        if acronym is None and tx.is_acronym(text[:match.start()].strip()) \
                and tx.initials_match(text[:match.start()].strip(), inner):
            acronym = text[:match.start()].strip()
            return f"\x00{inner}\x00"
        notes.append(inner)
        return " "

    out, before = _PAREN.sub(take, text), None
    while out != before and "(" in out and "\x00" not in out:  # nested: inner ones first
        before, out = out, _PAREN.sub(take, out)
    if "\x00" in out:
        out = out.split("\x00")[1]
    out = out.replace("(", " ").replace(")", " ") if out.count("(") != out.count(")") else out
    return tx.squash(out), acronym, notes


def _acronym_pair(text: str, acronym: str | None) -> tuple[str, str | None]:
    """``Name - ACR``, ``ACR – Name``, ``Name ACR`` (initials must agree for the last)."""
    match = _DASH_PAIR.match(text)
    if match and acronym is None:
        a, b = match.group("a").strip(), match.group("b").strip()
        if tx.is_acronym(b) and len(a.split()) > 1:
            return a, b
        if tx.is_acronym(a) and len(b.split()) > 1:
            return b, a
    words = text.split()
    if acronym is None and len(words) > 2 and tx.is_acronym(words[-1]) \
            and tx.initials_match(words[-1], " ".join(words[:-1])):
        return " ".join(words[:-1]), words[-1]
    return text, acronym


def _balance_quotes(text: str) -> str:
    if text.count('"') % 2:
        text = text.strip('"') if text.count('"') == 1 else text
        if text.count('"') % 2:
            text = text.replace('"', "")
    return text
