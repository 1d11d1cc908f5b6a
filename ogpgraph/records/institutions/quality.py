"""Does a label look like one institution? Heuristics for the build report and the bench:
a label that is a list, a heading, a sentence or broken text gets the reasons why."""

from __future__ import annotations

import re

from ogpgraph.records.institutions import headings, lexicon, shape
from ogpgraph.records.institutions import text as tx

_NUMBERING = re.compile(r"(?:^|\s)(?:\d{1,2}[.)]|\([a-z]\)|[a-z]\))\s")
_BROKEN = re.compile(r"[a-zà-ÿ]- [a-zà-ÿ]|-$|^-")
_MAX_WORDS = 12  # words other than linking words (of, the, de, la, and…)


def doubts(label: str) -> list[str]:
    """Why ``label`` may not be one institution's name (empty: no doubt)."""
    reasons = []
    words = label.split()
    if any(ch in label for ch in tx.BULLETS + "•"):
        reasons.append("bullet")
    if _NUMBERING.search(label):
        reasons.append("numbering")
    if label.startswith(("-", "–")) or len(re.findall(r"\s[-–]\s", label)) >= 2:
        reasons.append("dash run")
    if re.search(r"[,;:/\-–]$", label) or re.match(r"^[,;:.\-–/)]", label):
        reasons.append("stray punctuation")
    if ";" in label:
        reasons.append("semicolon")
    if len([w for w in words if tx.fold(w) not in lexicon.LINKING]) > _MAX_WORDS:
        reasons.append("long")
    if shape.looks_lower(label):
        reasons.append("lower-case start")
    if label.count("(") != label.count(")") or label.count('"') % 2:
        reasons.append("unbalanced")
    if headings.word_heading(label) is not None or headings.find_phrases(label):
        reasons.append("heading")
    if shape.is_prose(label):
        reasons.append("sentence")
    if _BROKEN.search(label):
        reasons.append("broken word")
    if shape.is_person(label) or shape.contact_stripped(label)[1]:
        reasons.append("person or contact")
    if shape.is_generic(label):
        reasons.append("generic")
    if _name_starts(label) >= 2 or shape.internal_start(label):
        reasons.append("several name starts")
    return reasons


def _name_starts(label: str) -> int:
    """Strong head words (``Ministry``, ``Secretaría``) not preceded by a linking word."""
    folded = tx.folded_words(re.sub(r"\([^)]*\)", " ", label))
    raw = tx.words(re.sub(r"\([^)]*\)", " ", label))
    count = 0
    for i, word in enumerate(folded):
        if word in lexicon.STRONG_HEADS and (i == 0 or folded[i - 1] not in lexicon.LINKING
                                             | lexicon.HEADS) \
                and i < len(raw) and raw[i][:1].isupper():
            count += 1
    return count
