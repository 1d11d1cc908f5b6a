"""Lists glued with no separator (``Ministry of X Ministry of Y ABC State Service of Z``):
cut at the names the member is known by and at the name-start words of each language.

A :class:`Gazetteer` holds the names and acronyms the whole build has read with confidence
for one member (every source, every commitment: see ``reconcile.reconcile_member``). A cut is
made only where every part is then a name on its own (starts like one, ends with an English
head noun, or is known); otherwise the piece is kept whole and reported as ``unsplit``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import ClassVar

from ogpgraph.records.institutions import lexicon, shape
from ogpgraph.records.institutions import text as tx
from ogpgraph.records.institutions.names import parse_piece
from ogpgraph.records.institutions.split import shouting, split_safe_depths
from ogpgraph.records.institutions.types import Issue, Mention

_TOKEN = re.compile(r"\S+")
_SPLIT_MODIFIERS = frozenset("state national federal central supreme nacional etat".split())
# a piece with more words than this (linking words aside) and no cut may be glued
_GLUED_WORDS = 12
# Acronyms that describe the name next to them rather than name anything ("NGO Centre for …")
_DESCRIPTORS = frozenset("ngo ong cso osc npo llc ltd jsc cjsc lepl ncle inc gmbh plc sa".split())


def _covered_by_acronym(piece: str) -> bool:
    """``Kenya Civil Society Platform on Oil and Gas (KCSPOG)``: one name, its acronym says."""
    match = re.search(r"\(([^()\s]+)\)\s*$", piece)
    return bool(match) and tx.is_acronym(match.group(1)) and \
        len(re.sub(r"[^A-Za-z]", "", match.group(1))) >= 4 and \
        tx.initials_match(match.group(1), piece[:match.start()])


def _own_acronym(acronym: str, before: list[str]) -> bool:
    """The acronym spells the words just before it (``Fundación Ciudadanía y Desarrollo
    FCD``): it is that name's own, not the start of another."""
    return any(tx.initials_match(acronym, " ".join(before[-size:]))
               for size in range(2, min(len(before), 9) + 1))


class Gazetteer:
    """Known names (folded words, leading article dropped) and acronyms of one member."""

    EMPTY: ClassVar[Gazetteer]

    def __init__(self, names: Iterable[str] = (), acronyms: Iterable[str] = ()):
        self._names: set[tuple[str, ...]] = set()
        for name in [*names, *acronyms]:
            key = tuple(shape.strip_article(tx.folded_words(name)))
            if key and (len(key) > 1 or tx.is_acronym(name) or len(key[0]) >= 5) \
                    and len(key) <= 10 and not shape.is_generic(name):
                self._names.add(key)
        # a list read as one name in some field ("Ministry of Justice Kenya Law Reform
        # Commission") is no name when other fields give its parts: dropped, so that it
        # cannot keep the glued list whole elsewhere
        self._names -= {key for key in self._names if self._composed(key)}
        self._longest = max((len(k) for k in self._names), default=0)
        self._shouting = False

    def _composed(self, key: tuple[str, ...]) -> bool:
        """The words are two or more other known names of two words or more, end to end."""
        reach = {0: 0}  # words covered -> names used
        for start in range(len(key)):
            if start not in reach:
                continue
            for end in range(start + 2, len(key) + 1):
                if key[start:end] in self._names and key[start:end] != key:
                    reach[end] = max(reach.get(end, 0), reach[start] + 1)
        return reach.get(len(key), 0) >= 2

    @classmethod
    def from_mentions(cls, mentions: Iterable[Mention]) -> Gazetteer:
        names: list[str] = []
        acronyms: list[str] = []
        for mention in mentions:
            if mention.confident:
                names += [mention.name] + [n for n in (mention.parent, mention.via) if n]
                if mention.acronym:
                    acronyms.append(mention.acronym)
        return cls(names, acronyms)

    def __len__(self) -> int:
        return len(self._names)

    def known(self, folded_words: list[str]) -> int:
        """How many of the words (folded) make the longest known name they start with."""
        words = [w.strip(".,;:()\"'") for w in folded_words]
        for length in range(min(self._longest, len(words)), 0, -1):
            if tuple(words[:length]) in self._names:
                return length
        return 0

    def split_glued(self, piece: str) -> list[str] | None:
        """The piece cut into names; ``[piece]`` when there is nothing to cut; None when it
        seems to hold several names but cannot be cut with confidence."""
        tokens = list(_TOKEN.finditer(piece))
        if len(tokens) < 4 or _covered_by_acronym(piece):
            return [piece]
        folded = [tx.fold(t.group()).strip(".,;:\"'") for t in tokens]
        self._shouting = shouting(piece)
        depths = split_safe_depths(piece)
        cuts = [c for c in self._cuts(tokens, folded) if not depths[tokens[c].start()]]
        kept = self._valid_cuts(piece, tokens, cuts)
        if not kept:
            return None if self._looks_glued(tokens, folded) else [piece]
        bounds = [0, *kept, len(tokens)]
        return [piece[tokens[a].start():tokens[b - 1].end()]
                for a, b in zip(bounds, bounds[1:], strict=False)]

    def _valid_cuts(self, piece: str, tokens: list[re.Match[str]], cuts: list[int]) -> list[int]:
        """The cuts, left to right, that leave a whole name on their left; the last part
        must be a whole name too (else the last kept cut goes)."""
        kept: list[int] = []
        for cut in cuts:
            start = tokens[kept[-1]].start() if kept else 0
            if cut == 1 and self._prefix(tokens[0].group()):
                continue  # "U.S. Department of the Interior", "UK Department for …"
            if self._whole_name(piece[start:tokens[cut - 1].end()]):
                kept.append(cut)
        while kept and not self._whole_name(piece[tokens[kept[-1]].start():]):
            kept.pop()
        return kept

    def _prefix(self, token: str) -> bool:
        """A two-letter acronym (or a dotted one) the member does not know as an
        institution, opening the piece: a country or union abbreviation that is part of the
        name after it (``US``, ``UK``, ``EU``, ``U.S.A.``); ``CAJ Ministry …`` is still cut."""
        letters = token.replace(".", "")
        short = len(letters) <= 2 or (len(letters) <= 3 and token.count(".") >= 2)
        return tx.is_acronym(token) and short and letters.isalpha() \
            and not self.known(tx.folded_words(token))

    def _whole_name(self, part: str) -> bool:
        dropped = parse_piece(part)
        if (dropped is None or isinstance(dropped, Issue) and dropped.kind in (
                "generic", "prose", "person")) and (len(part.split()) > 1 or part[:1].islower()):
            return True  # a piece the reader leaves out anyway ("other NGOs")
        if shape.looks_lower(part) or shape.internal_start(part):
            return False
        words = part.split()
        if len(words) == 1:
            return tx.is_acronym(part) or bool(self.known(tx.folded_words(part))) \
                or tx.fold(part) in lexicon.HEADS - lexicon.STRONG_HEADS
        return shape.is_institution_like(part, self.known)

    def _cuts(self, tokens: list[re.Match[str]], folded: list[str]) -> list[int]:
        cuts: set[int] = set()
        covered_until = 0
        for i in range(len(folded)):
            previous = folded[i - 1] if i else ""
            linked = previous in lexicon.LINKING or tokens[i - 1].group().endswith(("-", "/"))
            if tokens[i].group().startswith("("):
                continue  # a parenthesis belongs to the name before it
            length = self.known(folded[i:])
            if length and i >= covered_until:
                if i and not linked:
                    cuts.add(i)
                if i + length < len(folded) and self._starts_after(tokens, folded, i + length):
                    cuts.add(i + length)
                covered_until = i + length
                continue
            if i == 0 or linked or i < covered_until:
                continue
            if self._anchor(tokens, folded, i):
                cuts.add(i)
        return sorted(c for c in cuts if 0 < c < len(folded))

    def _starts_after(self, tokens: list[re.Match[str]], folded: list[str], i: int) -> bool:
        word = tokens[i].group()
        return word[:1].isupper() and folded[i] not in lexicon.LINKING

    def _anchor(self, tokens: list[re.Match[str]], folded: list[str], i: int) -> bool:
        """A name starts at word ``i``: a strong head (``Ministry``, ``Secretaría``), a state
        modifier and a head (``State Treasury``), a head of an English ``X of …`` name after
        the end of another name, or any capitalised word after a closing parenthesis."""
        word, previous = tokens[i].group(), tokens[i - 1].group()
        if previous.endswith(")") and folded[i] not in lexicon.LINKING:
            return True
        if not word[:1].isupper():
            return False  # nor before a quote: 'Foundation "Open Society …"' is one name
        if tx.is_acronym(word) and len(word) > 2 and folded[i] not in _DESCRIPTORS \
                and not self._shouting \
                and folded[i - 1] not in _DESCRIPTORS and not previous.endswith("(") \
                and folded[i - 1] not in lexicon.HEADS \
                and not _own_acronym(word, [t.group() for t in tokens[:i]]):
            return True  # "… Chamber of Commerce NALED Foreign Investors Council"
        if folded[i] in lexicon.STRONG_HEADS and folded[i - 1] not in lexicon.MODIFIERS:
            return True
        if re.split(r"['’]", previous)[-1][:1].islower() and folded[i - 1] not in lexicon.LINKING \
                and shape.head_at(folded, i):
            return True  # "… Ministère de l'économie Trésor public …", "ministries State …"
        length = shape.head_at(folded, i)
        if length > 1 and folded[i] in _SPLIT_MODIFIERS:
            return True
        ends_name = folded[i - 1] in lexicon.END_HEADS or (
            tx.is_acronym(previous) and folded[i - 1] not in _DESCRIPTORS)
        follows = folded[i + length] if length and i + length < len(folded) else ""
        if length == 1 and ends_name and follows in ("of", "for", "on"):
            return True
        # "… Department of Economics University of Ghana": a head and "of" after a free
        # capitalised word (the cut is kept only if both sides are then names)
        free = previous[:1].isupper() and folded[i - 1] not in lexicon.MODIFIERS and (
            i < 2 or folded[i - 2] not in lexicon.LINKING)
        return bool(length == 1 and free and follows in ("of", "for", "on", "de", "del"))

    def _looks_glued(self, tokens: list[re.Match[str]], folded: list[str]) -> bool:
        starts = sum(1 for i in range(2, len(folded))
                     if folded[i] in lexicon.STRONG_HEADS and tokens[i].group()[:1].isupper()
                     and folded[i - 1] not in lexicon.LINKING | lexicon.MODIFIERS)
        content = [w for w in folded if w not in lexicon.LINKING]
        text = " ".join(t.group() for t in tokens)
        return starts >= 1 or shape.internal_start(text) or (
            len(content) > _GLUED_WORDS and not shape.is_prose(text))


Gazetteer.EMPTY = Gazetteer()
