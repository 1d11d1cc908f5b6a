"""Category headings inside an institution field, and the classification they give.

OGP's templates put headings inside the institution fields: ``State actors involved``,
``CSOs, private sector, multilaterals, working groups``, ``Other actors involved -
Government``, ``• Government … • Civil Society / Private Sector``, ``Actores de gobierno``,
``OSC, sector privado, organizaciones multilaterales, grupos de trabajo``, ``Sociedad civil``,
``Société civile``, labels such as ``Government:``, ``Academia:``, ``Initiator:``. A heading is
never an institution: it classifies the names under it (:class:`HeadingClass`). Headings
naming an institution (``Del Senado:``, ``Ministry of Finance:``) make the names under them
its units (see ``segment``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ogpgraph.records.institutions import text as tx
from ogpgraph.records.institutions.types import Sector

S = Sector
_GOV_SET = frozenset({S.GOVERNMENT, S.EXECUTIVE, S.LEGISLATURE, S.JUDICIARY, S.ACADEMIA})
_NONGOV_SET = frozenset({S.NON_GOVERNMENT, S.CIVIL_SOCIETY, S.PRIVATE_SECTOR, S.ACADEMIA,
                         S.MULTILATERAL})


@dataclass(frozen=True)
class HeadingClass:
    """What a heading says of the names under it: ``default`` when their own name says
    nothing more precise, ``allowed`` the sectors a name's pattern may refine it to."""

    default: Sector
    allowed: frozenset[Sector]

    def resolve(self, pattern: Sector) -> tuple[Sector, bool]:
        """(sector, conflict): the pattern's sector when the heading allows it, else the
        heading's (a conflict when the pattern said something else)."""
        if pattern == S.UNKNOWN:
            return self.default, False
        if pattern in self.allowed or pattern.refines(self.default):
            return pattern, False
        return self.default, self.default != S.UNKNOWN


NEUTRAL = HeadingClass(S.UNKNOWN, frozenset(Sector))

# Words of heading labels (folded) -> the side they name.
_SIDE_WORDS: tuple[tuple[str, Sector], ...] = (
    (r"non[- ]?state|non[- ]?governmental|ngos?|csos?|osc|oscs|ongs?|civil\s+society|"
     r"sociedad\s+civil|societe\s+civile|sociedade\s+civil|civil\s+sector|trade\s+unions?|"
     r"labou?r\s+organi[sz]ations?|sindicatos?|society", S.CIVIL_SOCIETY),
    (r"private\s+(?:sector|enterprises?)|sector\s+privado|secteur\s+prive|iniciativa\s+privada|"
     r"employers?|business", S.PRIVATE_SECTOR),
    (r"multilate\s?rals?|donors?|development\s+partners|technical\s+partners|"
     r"international\s+organi[sz]ations", S.MULTILATERAL),
    (r"academi[ac]|universities|universidades|academic", S.ACADEMIA),
    (r"state|government|gobierno|gouvernement|governo|public|publico|publicas?|estatales|"
     r"ministries|agencies|administration|municipal|entidades", S.GOVERNMENT),
)


def classify_label(label: str) -> HeadingClass:
    """The class of a heading's words: one side -> that side; several non-government
    sides -> non-government; government and non-government words together -> neutral."""
    folded = re.sub(r"\bnon[- ]?(?:state|governmental|government)\b", "ngo", tx.fold(label))
    sides = {side for pattern, side in _SIDE_WORDS if re.search(rf"\b(?:{pattern})\b", folded)}
    if not sides:
        return NEUTRAL
    if sides == {S.GOVERNMENT}:
        return HeadingClass(S.GOVERNMENT, _GOV_SET)
    if S.GOVERNMENT in sides:
        return NEUTRAL
    if len(sides) == 1:
        side = next(iter(sides))
        # OGP's "Civil Society" side holds businesses, donors and universities too
        allowed = _NONGOV_SET if side == S.CIVIL_SOCIETY else {side}
        return HeadingClass(side, frozenset(allowed))
    return HeadingClass(S.NON_GOVERNMENT, _NONGOV_SET)


# Headings recognised anywhere in a field, even glued to the names around them (folded
# text). Each is distinctive enough never to be part of an institution's name.
_NONSTATE_TAIL = (r"(?:,?\s*(?:and\s+)?(?:multilate\s?rals?|organizaciones\s+multilaterales|"
                  r"working\s+groups?|grupos?\s+de\s+trabajos?(?:\s+involucrados)?|"
                  r"etc\.?))+")
_NONSTATE = (r"(?:csos?|oscs?|ongs?|ngos|civil\s+sector\s+organi[sz]ations?)[,.]?\s+"
             r"(?:a\s+wide\s+range\s+[^\n]{0,0})?(?:private|sector\s+privado|secteur\s+prive)"
             r"(?:\s+sector)?" + _NONSTATE_TAIL)
_PHRASES = (
    _NONSTATE,
    r"(?:other\s+|state\s+|non-?state\s+)?actors\s+involved(?:\s+in\s+the\s+implementation"
    r"(?:\s+of\s+the\s+commitment)?)?(?:\s*[-–:]?\s*\((?:public|civil\s+society|government)\)"
    r"|\s*[-–]\s*(?:government|" + _NONSTATE + r"))?",
    r"actores\s+(?:de\s+gobierno|estatales(?:\s+involucrados)?|de\s+entidades\s+publicas|"
    r"de\s+la\s+sociedad\s+civil|no\s+estatales|involucrados)",
    r"acteurs\s+(?:etatiques|non\s+etatiques|impliques)(?:\s+impliques)?",
    r"other\s+stakeholders(?:\s*\([^)]{0,90}\))?",
    r"other\s+government\s+agencies\s+involved",
    r"non-governmental\s+agencies\s+involved",
    r"public\s+sector\s+bodies(?=\s*:)",
    r"civil\s+society\s+representatives(?=\s*:)",
    r"representatives\s+of\s+the\s+society",
    r"state\s+and\s+municipal\s+institutions",
    r"responsible\s+institution(?=\s)",
    r"active\s+partners\s+could\s+include",
    r"ministries\s*/\s*agencies",
)
_PHRASE_RE = re.compile(r"(?<![\w])(?:" + "|".join(_PHRASES) + r")(?:\s*:)?", re.IGNORECASE)

# Headings recognised only as a whole segment, or as a label ending with ":" or "-".
_WORDS = (
    "government", "gobierno", "gouvernement", "governo", "civil society", "sociedad civil",
    "societe civile", "sociedade civil", "private sector", "sector privado", "secteur prive",
    "setor privado", "academia", "academics", "civil society / private sector",
    "civil society/private sector", "sociedad civil / sector privado", "administration",
    "csos", "cso", "ngos", "osc", "state actors", "non-state actors", "multilaterals",
    "development partners", "donors", "ministries/agencies", "ministries / agencies",
    "institutions", "instituciones", "sociedad civil/iniciativa privada", "state institutions",
    "public institutions", "other actors", "entidades publicas", "organizaciones",
)
WORD_HEADINGS = frozenset(_WORDS)


@dataclass(frozen=True)
class HeadingHit:
    start: int
    end: int
    label: str
    cls: HeadingClass


def find_phrases(line: str) -> list[HeadingHit]:
    """The distinctive headings in a line, in order."""
    folded = tx.fold_same_length(line)
    return [HeadingHit(m.start(), m.end(), line[m.start():m.end()], classify_label(m.group()))
            for m in _PHRASE_RE.finditer(folded)]


def word_heading(segment: str) -> HeadingClass | None:
    """The class when the whole segment is a heading word (``Government``, ``Sociedad
    civil``…), else None."""
    key = " ".join(tx.fold(segment).strip(" :-–•.").split())
    if key in WORD_HEADINGS:
        return classify_label(key)
    return None


def label_heading(label: str) -> HeadingClass | None:
    """The class of a ``Label:`` or ``Label-`` prefix that is a heading word."""
    return word_heading(label)
