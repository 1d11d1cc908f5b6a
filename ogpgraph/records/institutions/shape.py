"""What a piece of text looks like: the start of an institution's name, a whole name, a
person, contact data, a sentence, a collective reference. Pure functions of the text (and of
an optional set of known names, see ``gazetteer``)."""

from __future__ import annotations

import re
from collections.abc import Callable

from ogpgraph.records.institutions import lexicon
from ogpgraph.records.institutions import text as tx

Known = Callable[[list[str]], int]  # folded words -> how many of them start a known name

_EMAIL = re.compile(r"\S+@\S+|\S+©\S+\.\w+")
_PHONE = re.compile(r"\+?\d[\d\s\-'()/]{6,}\d")
_URL = re.compile(r"https?://\S+|www\.\S+")
_LINK_PREPOSITIONS = frozenset("of for on de del des du da do d para pour".split())
_ENDING_TITLES = frozenset("coordinator coordinadora coordinador director directora assistant "
                           "officer adviser advisor consultant consultor chairman chairperson "
                           "coordinatrice".split())
_HONORIFIC = re.compile(r"^(?:" + "|".join(re.escape(h) for h in lexicon.HONORIFICS)
                        + r")\.?(?:\s|(?<=\.)(?=[A-Z]))", re.IGNORECASE)


def strip_article(folded_words: list[str]) -> list[str]:
    return folded_words[1:] if len(folded_words) > 1 and folded_words[0] in lexicon.ARTICLES \
        else folded_words


def head_at(words: list[str], index: int) -> int:
    """Length of the head phrase starting at ``words[index]`` (folded words): a head noun,
    or up to three modifiers and then a head noun; 0 when there is none."""
    for length in range(0, 4):
        if index + length >= len(words):
            return 0
        word = words[index + length]
        if word in lexicon.HEADS:
            return length + 1
        if word not in lexicon.MODIFIERS:
            return 0
    return 0


def starts_institution(text: str, known: Known | None = None) -> bool:
    """The text begins like an institution's name: a head (``Ministry``, ``Fundación``), a
    modifier and a head (``National Assembly``), a known name, an acronym, ``NGO``."""
    raw = tx.words(text)
    folded = strip_article(tx.folded_words(text))
    if not folded or not raw:
        return False
    if head_at(folded, 0) or (known is not None and known(folded)):
        return True
    first = raw[1] if raw[0].lower() in lexicon.ARTICLES and len(raw) > 1 else raw[0]
    return tx.is_acronym(first)


def is_institution_like(text: str, known: Known | None = None) -> bool:
    """Starts like a name, or ends with an English head noun (``Ghana Audit Service``), or is
    wholly a known name or an acronym."""
    if starts_institution(text, known):
        return True
    folded = tx.folded_words(re.sub(r"\([^)]*\)", " ", text))
    if not folded or not text[:1].isupper():
        return False
    if folded[-1] in lexicon.END_HEADS:
        return True
    # "Parliamentary working group on OGP": a head and "of"/"for"/"on" among the first words
    return any(w in lexicon.HEADS and i + 1 < len(folded) and folded[i + 1] in
               _LINK_PREPOSITIONS for i, w in enumerate(folded[:4]))


def contact_stripped(text: str) -> tuple[str, bool]:
    """The text without e-mail addresses, phone numbers and web addresses; and whether any
    was there."""
    cleaned = _URL.sub(" ", _EMAIL.sub(" ", text))
    cleaned = _PHONE.sub(" ", cleaned)
    return tx.squash(cleaned), cleaned != text


def is_person(text: str) -> bool:
    """A person, by an honorific (``Mr.``, ``Ms.``, ``Dr.``, ``Hon.``, ``Lcdo.``, ``Diputado``),
    by being only a job title (``Commissioner``, ``Executive Director``), or as ``Name –
    Title …`` (``Susan Espera Lopez – Sangguniang Bayan Secretary``)."""
    stripped = text.strip(' "')
    if _HONORIFIC.match(stripped):
        return True
    dashed = re.split(r"\s[-–]\s?|[-–]\s", stripped, maxsplit=1)
    if len(dashed) == 2 and 2 <= len(dashed[0].split()) <= 4 \
            and not is_institution_like(dashed[0]) and any(
                w in lexicon.PERSON_TITLES for w in tx.folded_words(dashed[1])):
        return True
    folded = tx.folded_words(stripped)
    if not folded:
        return False
    if folded[0] in {"diputado", "diputada", "senador", "senadora"} and len(folded) > 1 \
            and stripped.split()[1][:1].isupper():
        return True
    content = [w for w in folded if w not in lexicon.LINKING]
    if content and content[-1] in _ENDING_TITLES and not tx.is_acronym(stripped.split()[0]):
        return True  # "Program Coordinator", "Independent Consultant"
    return bool(content) and all(w in lexicon.PERSON_TITLES or w in {"executive", "deputy",
                                                                     "staff", "focal"}
                                 for w in content)


def is_generic(text: str) -> bool:
    """A collective reference naming nobody in particular: ``Line Ministries``, ``other
    NGOs``, ``civil society organisations``, ``Municipalities``."""
    folded = [w for w in tx.folded_words(re.sub(r"\([^)]*\)", " ", text)) if w.isalpha()
              or "-" in w]
    return bool(folded) and all(w in lexicon.GENERIC_WORDS for w in folded)


def is_prose(text: str) -> bool:
    """A sentence or description rather than a name: a verb in lower case (``will``,
    ``have been``, ``son``), or mostly lower-case words over six words."""
    raw = [w for w in tx.words(re.sub(r"\([^)]*\)", " ", text)) if w[0].isalpha()]
    if len(raw) < 4:
        return False
    if any(w in lexicon.PROSE_MARKERS for w in raw if w.islower()):
        return True
    lower = [w for w in raw if w[0].islower() and w.lower() not in lexicon.LINKING]
    return len(raw) >= 6 and len(lower) * 2 > len(raw)


def looks_lower(text: str) -> bool:
    """Starts with a lower-case word that is not a brand (``mySociety``, ``iLab``)."""
    first = text.split()[0] if text.split() else ""
    return bool(first) and first[0].islower() and not any(ch.isupper() for ch in first[1:])


def internal_start(text: str) -> bool:
    """A second name seems to start inside the text: after an earlier head noun, a
    capitalised word that is no linking word or modifier is followed by a head and "of"
    (``Ministry of Devolution and Planning Kenya School of Government``), or a strong head
    (``Ministry``, ``Secretaría``) follows a capitalised word (``… Groups Ministry of …``)."""
    raw = tx.words(re.sub(r"\([^)]*\)|\"[^\"]*\"", " ", text))
    folded = [tx.fold(w).strip(".'-") for w in raw]
    seen_head = False
    for i, word in enumerate(folded):
        if word in lexicon.STRONG_HEADS and raw[i][:1].isupper() and i > 1:
            # "… Auditor General Ministry of …": modifiers, then a capitalised free word
            j = i - 1
            while j > 0 and folded[j] in lexicon.MODIFIERS:
                j -= 1
            if j < i - 1 and raw[j][:1].isupper() and folded[j] not in lexicon.LINKING \
                    and folded[j] not in lexicon.MODIFIERS:
                return True
        if i and seen_head and raw[i][:1].isupper():
            previous = folded[i - 1]
            free = previous not in lexicon.LINKING and previous not in lexicon.MODIFIERS \
                and raw[i - 1][:1].isupper() and (i < 2 or folded[i - 2] not in lexicon.LINKING)
            length = head_at(folded, i)
            if free and word in lexicon.STRONG_HEADS and previous not in lexicon.HEADS:
                return True  # ("Ministerio Secretaría General …" is one name)
            if free and length and i + length < len(folded) \
                    and folded[i + length] in _LINK_PREPOSITIONS and folded[i - 1] not in \
                    lexicon.HEADS:
                return True
        seen_head = seen_head or word in lexicon.HEADS
    return False
