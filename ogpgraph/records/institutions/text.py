"""Text helpers: cleaning a field, folding for matching, words and acronyms."""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

from ogpgraph.records.institutions import lexicon

# Bullet characters of Word and PDF exports (private-use glyphs of the Symbol font included).
BULLETS = ("\u2022\u25cf\u25aa\u25e6\u00b7\u2023\u2043\u25a0\u25a1\u27a2"
           "\uf0b7\uf06c\uf0a7\uf076\uf0d8\uf0fc")
_BULLET_RE = re.compile(f"[{BULLETS}]")
_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "–",
                         "\u2014": "–", "\u2015": "–", "\u2212": "-", "\u00a0": " ",
                         "\t": " ", "\u2018": "'", "\u2019": "'", "\u201b": "'", "\u2032": "'",
                         "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"',
                         "\u00bb": '"', "\u2039": '"', "\u203a": '"', "\u201f": '"',
                         "\u2033": '"', "\u2034": '"', "\u2036": '"', "\u02bc": "'"})
# A word broken at a line end: "Go- vernment", "Bue-\n nos" (but not "Franco-German", nor
# the Dutch "Leer- en Expertisepunt" where the part after the hyphen is a word of its own).
_BROKEN = re.compile(r"(?<=[a-zà-ÿ])-[ \t]*\n?[ \t]+(?=[a-zà-ÿ]{2,})|(?<=[a-zà-ÿ])-\n(?=[a-zà-ÿ])")
_WORD = re.compile(r"[\w&][\w&'.\-]*")


def clean_field(text: str) -> str:
    """HTML entities decoded, Unicode composed, dashes/quotes unified, bullets as ``•``,
    words broken at line ends mended; line breaks kept."""
    text = html.unescape(text or "")
    text = unicodedata.normalize("NFC", text).translate(_DASHES)
    text = _BULLET_RE.sub("•", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return mend_hyphens(text)


def mend_hyphens(text: str) -> str:
    def join(match: re.Match[str]) -> str:
        after = text[match.end():match.end() + 12].split(None, 1)
        word = after[0].strip(".,;:)") if after else ""
        if word.lower() in lexicon.CONJUNCTIONS or word.lower() in {"en", "und", "ou", "or",
                                                                   "o", "u"}:
            return match.group(0)
        return ""
    return _BROKEN.sub(join, text)


_ABBREVIATED = re.compile(r"(?:^|\s)(?:(?:\w\.){2,}|[Ii]nc\.|[Ll]td\.|[Cc]o\.|[Cc]orp\.)$")


def squash(text: str) -> str:
    """Whitespace collapsed, list furniture trimmed from both ends (a final abbreviation's
    full stop kept: ``Fundación T.E.A.``, ``Nova TV d.d.``, ``Mahintana Foundation, Inc.``)."""
    squashed = " ".join(text.split()).strip(" ,;:-–•/")
    while squashed.endswith(".") and not _ABBREVIATED.search(squashed):
        squashed = squashed[:-1].rstrip(" ,;:-–•/")
    return squashed.lstrip(".")


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Lower case, accents removed, typographic quotes unified (for matching only). Cached:
    the same names and pieces are folded again and again."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_DASHES))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def folded_words(text: str) -> list[str]:
    return [w.strip(".'-") for w in words(fold(text)) if w.strip(".'-")]


def is_acronym(token: str) -> bool:
    """``CAJ``, ``MoJ``, ``CDD-Ghana``, ``DPR``, ``ICoVAP``: one token, at least two capitals,
    capitals at least half its letters (so ``Avistar`` and ``Kenya`` are not)."""
    token = token.strip(".,;:()")
    if not token or " " in token or len(token) > 14:
        return False
    head = token.split("-")[0]
    letters = [ch for ch in head if ch.isalpha()]
    upper = sum(ch.isupper() for ch in letters)
    return upper >= 2 and upper * 2 >= len(letters) and head[0].isupper() or (
        upper >= 2 and head[0].islower() and head[1:].isupper())  # "iLAB"-like


def initials_match(acronym: str, name: str) -> bool:
    """Whether the acronym's letters can be read, in order, from the name's word initials
    (articles and linking words may be skipped or used): ``CAJ`` ~ ``Commission on
    Administrative Justice``, ``MJAGD`` ~ ``Ministry of Justice and Attorney-General's
    Department``."""
    letters = [ch for ch in fold(acronym) if ch.isalpha()]
    parts = [w for w in re.split(r"[\s\-/]+", fold(name)) if w and w[0].isalpha()]
    if not letters or not parts:
        return False
    return _match(letters, parts)


def _match(letters: list[str], parts: list[str]) -> bool:
    if not letters:
        return all(p in lexicon.LINKING for p in parts)
    if not parts:
        return False
    head, rest = parts[0], parts[1:]
    if head[0] == letters[0]:
        # the initial, or several letters of the same word ("MoJ": Mo-J, "ICoVAP")
        for used in range(len(head), 0, -1):
            if [*head[:used]] == letters[:used] and _match(letters[used:], rest):
                return True
    return head in lexicon.LINKING and _match(letters, rest)


class _SameLength(dict[int, str]):
    """A ``str.translate`` table filled on first sight of each character."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        low = ch.lower()
        if len(low) != 1:
            low = ch
        base = unicodedata.normalize("NFKD", low)[0] if low.isalpha() else low
        self[code] = base if len(base) == 1 else low
        return self[code]


_SAME_LENGTH = _SameLength()


def fold_same_length(text: str) -> str:
    """Like :func:`fold` but one character for one, so that positions found in the folded
    text are positions in the original."""
    return text.translate(_SAME_LENGTH)
