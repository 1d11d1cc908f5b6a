"""Cutting one stretch of text (no headings left in it) into pieces, each meant to be one
institution: top-level separators (``;``, sentence ends, numbering, dash and slash lists,
clauses such as ``in cooperation with``), then commas (keeping ``Ministry of Education,
Science, Research and Sport`` whole), then conjunctions (only where both sides are
institutions). Parentheses and quotes are never cut into."""

from __future__ import annotations

import re

from ogpgraph.records.institutions import lexicon, shape
from ogpgraph.records.institutions import text as tx
from ogpgraph.records.institutions.shape import Known

_NUMBERING = re.compile(r"(?:(?<=^)|(?<=[\s,;.:]))(?:\(\s*(?:[a-z]|[ivx]{1,4}|\d{1,2})\s*\)|"
                        r"(?:\d{1,2}|[a-z])[.)])\s+(?=[\"'(A-ZÀ-Ý0-9]|[a-z]{2})")
_PAGE_NUMBER = re.compile(r"(?<=[a-zà-ÿ)]) \d{2,3}(?= [A-ZÀ-Ý])")
_SENTENCE = re.compile(r"(?<=[\w)\"'])\.\s+(?=[\"'A-ZÀ-Ý]|(?:the|la|el|le|les|los|las)\s+[A-ZÀ-Ý])")
_ABBREVIATION = re.compile(r"(?:^|\s)(?:[A-Za-z]|[A-Z]\.[A-Z]|[A-Z][a-z]{0,2}|[Ii]nc|[Ll]td|"
                           r"[Cc]orp|[Pp]rof|[Nn]o|St|[Gg]en|Lic|Lcd[oa]|Ing|Dr|Hon|Mrs?|Ms"
                           r"|(?:\w\.)+\w)$")
_DASH = re.compile(r"\s+[-–]+\s+|(?<=\s)-(?=[\"'(A-ZÀ-Ýa-z])|^\s*[-–]\s*|"
                   r"(?<=[\w)])[-–]\s+(?=[\"'(A-ZÀ-Ý])|(?<=[a-zà-ÿ])–(?=\s)")
_SLASH = re.compile(r"\s*/\s*")
_CONJUNCTION = re.compile(r"\s+(?:and|y|e|et|&|or|ou)\s+|\s*&\s*", re.IGNORECASE)
# Heads that may open a second institution after "and" (portfolio words such as
# "Administration", "Government" or "Services" do not: "Ministry of Justice and Public
# Administration" is one ministry).
_CONJ_HEADS = lexicon.HEADS - frozenset(
    "administration service servicio servico government gobierno gouvernement governo police "
    "cabinet treasury tresor presidency enterprise society trade union group team organisation "
    "organization organizacion development".split())
_LEGAL_FORM = re.compile(r"^(?:Inc|Ltd|LLC|S\.?A|GmbH|d\.o\.o|d\.d|CJSC|JSC|PLC)\.?$",
                         re.IGNORECASE)
_LINK_PREPOSITIONS = frozenset("of for on de del des du da do d para pour".split())


def _pairs(text: str) -> set[int]:
    """Positions of the parentheses that close (an unclosed ``(`` protects nothing)."""
    stack, matched = [], set()
    for i, ch in enumerate(text):
        if ch == "(":
            stack.append(i)
        elif ch == ")" and stack:
            matched |= {stack.pop(), i}
    return matched


def split_safe_depths(text: str) -> list[int]:
    """Per character: how many matched parentheses enclose it (0 for the parentheses of
    the outermost level themselves)."""
    if "(" not in text:
        return [0] * len(text)
    matched, depth, out = _pairs(text), 0, []
    for i, ch in enumerate(text):
        if ch == ")" and i in matched:
            depth -= 1
        out.append(depth)
        if ch == "(" and i in matched:
            depth += 1
    return out


def depth_map(text: str) -> list[int]:
    """Like :func:`split_safe_depths`, and text between double quotes counts as inside
    (when the quotes pair up)."""
    out = split_safe_depths(text)
    if '"' not in text or text.count('"') % 2:
        return out
    quote = False
    for i, ch in enumerate(text):
        if ch == '"':
            quote = not quote
        elif quote:
            out[i] += 1
    return out


def split_top(text: str, pattern: re.Pattern[str],
              keep: callable | None = None) -> list[str]:  # type: ignore[valid-type]
    """``text`` cut at the matches of ``pattern`` outside parentheses and quotes (and, when
    given, where ``keep(text, match)`` is False)."""
    depths = depth_map(text)
    parts, last = [], 0
    for match in pattern.finditer(text):
        if match.start() >= len(depths) or depths[match.start()] or match.end() <= last:
            continue
        if keep is not None and keep(text, match):
            continue
        parts.append(text[last:match.start()])
        last = match.end()
    parts.append(text[last:])
    return [p.strip() for p in parts if p.strip(" ,;.:-–")]


def _not_sentence_end(text: str, match: re.Match[str]) -> bool:
    return bool(_ABBREVIATION.search(text[:match.start()]))


def split_separators(text: str) -> list[str]:
    """``;``, ``|``, sentence ends, numbering (``1.``, ``(a)``, ``2)``) and page numbers."""
    depths = depth_map(text)
    for match in reversed(list(_PAGE_NUMBER.finditer(text))):
        if not depths[match.start()]:
            text = text[:match.start()] + ";" + text[match.end():]
    pieces = []
    for part in split_top(text, re.compile(r"[;|]")):
        for numbered in split_top(part, _NUMBERING):
            pieces += split_top(numbered, _SENTENCE, _not_sentence_end)
    return pieces


def split_dashes(text: str, known: Known | None = None) -> list[str]:
    """A dash list (``- A - B``, ``-A -B``) is cut everywhere; a single dash only between two
    institutions (``Cámara de Diputados - Senado``), not before an acronym, a place
    (``Open Society Foundation – Georgia``) or a lower-case unit."""
    parts = split_top(text, _DASH)
    if len(parts) <= 1:
        return [text.strip(" -–")] if text.strip(" -–") else []
    starts_with_dash = bool(re.match(r"^\s*[-–]", text))
    if starts_with_dash or len(parts) > 2:
        return parts
    left, right = parts
    words = right.split()
    if tx.is_acronym(right) or tx.is_acronym(left) or right[:1].islower() or left[:1].islower():
        return [text.strip()]
    if len(words) == 1 and tx.fold(words[0]) not in lexicon.HEADS:
        return [text.strip()]
    if shape.is_institution_like(left, known) and shape.is_institution_like(right, known):
        return parts
    return [text.strip()]


def split_slashes(text: str, known: Known | None = None) -> list[str]:
    """``Ministry of Justice/Nigeria Union of Journalists``: cut where both sides are names
    of two words or more (``IDS/UoN``, ``Commission/NHRC`` and ``Civil Society / Private
    Sector`` are not cut)."""
    parts = split_top(text, _SLASH)
    if len(parts) == 2 and (all(len(p.split()) >= 2 and shape.is_institution_like(p, known)
                                for p in parts) or all(tx.is_acronym(p) for p in parts)):
        return parts
    return [text]


def split_joiners(text: str) -> list[str]:
    """``X in cooperation with Y``, ``X with support from Y``, ``X including Y``."""
    folded = tx.fold_same_length(text)
    for joiner in lexicon.JOINERS:
        at = folded.find(" " + joiner)
        if at > 0 and split_safe_depths(text)[at] == 0:
            left, right = text[:at], text[at + len(joiner) + 1:]
            return split_joiners(left) + split_joiners(right)
    return [text]


def split_commas(text: str, known: Known | None = None) -> list[str]:
    """Commas outside parentheses, then conjunctions; a piece naming a body (``Ministry of
    Education``) takes the short capitalised pieces after it up to one with a conjunction
    (``Science``, ``Research and Sport``) as the rest of its name."""
    pieces: list[str] = []
    for part in split_top(text, re.compile(r",")):
        pieces += split_conjunctions(part, known)
    merged: list[str] = []
    index = 0
    while index < len(pieces):
        last = _portfolio_run(pieces, index, known)
        if last is None:
            last = _adjective_run(pieces, index, known)
        if last is not None:
            merged.append(_join_run(pieces[index:last + 1]))
            index = last + 1
            continue
        via = _via_start(pieces[index]) or _LEGAL_FORM.match(pieces[index])
        if via and merged:
            merged[-1] = f"{merged[-1]} {pieces[index]}"
        else:
            merged.append(pieces[index])
        index += 1
    return merged


def _join_run(run: list[str]) -> str:
    out = run[0]
    for piece in run[1:]:
        out += (" " if re.match(r"(?:and|y|e|et|&)\s", piece) else ", ") + piece
    return out


def _via_start(piece: str) -> bool:
    folded = tx.fold(piece)
    return any(folded.startswith(v) for v in lexicon.VIA)


def _names_a_body(piece: str) -> bool:
    words = tx.folded_words(piece)
    return any(shape.head_at(words, i) and i + shape.head_at(words, i) < len(words)
               and words[i + shape.head_at(words, i)] in _LINK_PREPOSITIONS
               for i in range(len(words)))


def _portfolio_run(pieces: list[str], head: int, known: Known | None) -> int | None:
    if not _names_a_body(pieces[head]) or "(" in pieces[head]:
        return None
    for index in range(head + 1, min(len(pieces), head + 6)):
        piece = pieces[index]
        words = piece.split()
        bare = re.sub(r"\s*\([^)]*\)\s*$", "", piece)
        if not words or len(bare.split()) > 5 or "(" in bare or shape.is_person(piece):
            return None
        starts_conj = tx.fold(words[0]) in lexicon.CONJUNCTIONS
        if not starts_conj and (not words[0][:1].isupper() or tx.is_acronym(words[0])
                                or _opens_institution(bare, known)):
            return None
        if starts_conj or any(tx.fold(w) in lexicon.CONJUNCTIONS for w in words[1:-1]):
            return index
        if "(" in piece:
            return None
    return None


def _adjective_run(pieces: list[str], head: int, known: Known | None) -> int | None:
    """``Criminal, Misdemeanour and Petty Offense Courts``: lone capitalised words that are
    no name, then a piece joined by a conjunction, are one name."""
    index = head
    while index < len(pieces) and len(pieces[index].split()) == 1:
        word = pieces[index]
        if not word[:1].isupper() or tx.is_acronym(word) or tx.fold(word) in lexicon.HEADS \
                or (known is not None and known(tx.folded_words(word))):
            return None
        index += 1
    if index == head or index >= len(pieces):
        return None
    words = pieces[index].split()
    if tx.fold(words[0]) in lexicon.CONJUNCTIONS or any(
            tx.fold(w) in lexicon.CONJUNCTIONS for w in words[1:3]):
        return index
    return None


def split_conjunctions(text: str, known: Known | None = None) -> list[str]:
    """Cut at ``and``/``y``/``et``/``e``/``&`` only where the right side starts an
    institution (a head such as ``Ministry``, a known name, an acronym) and the left side is
    one, and no acronym of the whole covers both (``Ministry of Justice and Attorney-General's
    Department (MJAGD)`` stays whole)."""
    acronym = re.search(r"\(([^()\s]+)\)\s*$", text)
    for match in _CONJUNCTION.finditer(text):
        if split_safe_depths(text)[match.start()]:
            continue
        left, right = text[:match.start()].strip(), text[match.end():].strip()
        if not left or not right or not _opens_institution(right, known):
            continue
        lone_acronym = tx.is_acronym(right) and left[:1].isupper() and not shouting(text)
        if not shape.is_institution_like(left, known) and not lone_acronym:
            continue
        if acronym and tx.initials_match(acronym.group(1), text[:acronym.start()]) \
                and not tx.initials_match(acronym.group(1), right[:right.find("(")]):
            continue
        return [left] + split_conjunctions(right, known)
    return [text]


def shouting(text: str) -> bool:
    """Written in capitals (``MINISTRY OF EMPLOYMENT AND SOCIAL PROTECTION``): its words are
    not acronyms."""
    words = [w for w in re.findall(r"[^\W\d_]{2,}", text)]
    caps = [w for w in words if w.isupper()]
    return len(caps) >= 3 and len(caps) * 5 >= len(words) * 3


def _opens_institution(text: str, known: Known | None) -> bool:
    raw = text.split()
    folded = shape.strip_article(tx.folded_words(text))
    if not folded:
        return False
    if known is not None and known(folded):
        return True
    length = shape.head_at(folded, 0)
    if length and folded[length - 1] in _CONJ_HEADS:
        return True
    first = raw[1] if raw[0].lower() in lexicon.ARTICLES and len(raw) > 1 else raw[0]
    if shouting(text):
        return False
    if raw[0].lower() in ("the", "la", "el", "le", "les", "los", "las") and len(raw) > 2:
        # "and the Slovak National Center …": an article, capitalised words, then a head
        for i in range(1, min(4, len(folded))):
            if folded[i] in _CONJ_HEADS and all(w[:1].isupper() for w in raw[1:i + 2]) \
                    and not any(w in lexicon.HEADS for w in folded[1:i]):
                return True
    return tx.is_acronym(first) and (len(raw) == 1 or raw[1][:1].isupper()
                                     or raw[1].startswith("("))
