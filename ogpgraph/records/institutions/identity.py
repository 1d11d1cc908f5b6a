"""When two spellings are one institution, and which spelling names it.

``name_key`` is what identity compares: case, accents, punctuation, hyphens, a leading
article, ``&``/``and`` and British/American spellings (centre/center, organisation/
organization, programme/program, labour/labor, defence/defense) do not count.
``canonical`` chooses the name among the spellings by a fixed rule, so that the same spellings
give the same name (and IRI) in every build, whatever their order.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from ogpgraph.records.institutions import lexicon
from ogpgraph.records.institutions import text as tx

_SPELLING = {"centre": "center", "centres": "centers", "organisation": "organization",
             "organisations": "organizations", "programme": "program", "programmes": "programs",
             "labour": "labor", "defence": "defense", "modernisation": "modernization",
             "decentralisation": "decentralization", "&": "and", "st": "saint"}


def name_key(name: str) -> tuple[str, ...]:
    """``The Ministry of Justice.`` and ``ministry of justice`` -> ('ministry', 'of',
    'justice'); ``Co-operation`` = ``Cooperation``; ``Public Expenditure & Reform`` =
    ``Public Expenditure and Reform``."""
    folded = tx.fold(name).replace("'", " ").replace("&", " & ")
    folded = re.sub(r"(?<=\w)[-‐](?=\w)", "", folded)
    words = [w for w in re.split(r"[^\w&]+", folded) if w]
    words = [_SPELLING.get(w, w) for w in words]
    if len(words) > 1 and words[0] in lexicon.ARTICLES:
        words = words[1:]
    return tuple(words)


def acronym_key(acronym: str) -> str:
    return re.sub(r"[^\w]", "", tx.fold(acronym))


def similar(a: Iterable[str], b: Iterable[str]) -> bool:
    """Content words overlap by two thirds or more (for two names claiming one acronym)."""
    sa = {w for w in a if w not in lexicon.LINKING}
    sb = {w for w in b if w not in lexicon.LINKING}
    if not sa or not sb:
        return False
    return len(sa & sb) * 3 >= 2 * max(len(sa), len(sb))


def canonical(spellings: Iterable[str]) -> str:
    """The most frequent spelling; ties: not all capitals, then with its accents (more
    non-ASCII letters), then without a leading article, then the first in sort order."""
    counts = Counter(spellings)
    if not counts:
        raise ValueError("no spelling")

    def rank(item: tuple[str, int]) -> tuple[int, int, int, int, str]:
        name, count = item
        letters = [ch for ch in name if ch.isalpha()]
        shouting = int(len(letters) > 5 and all(ch.isupper() for ch in letters))
        accents = sum(1 for ch in letters if not ch.isascii())
        article = int(bool(name.split()) and tx.fold(name.split()[0]) in lexicon.ARTICLES)
        return (-count, shouting, -accents, article, name)

    return min(counts.items(), key=rank)[0]


def of_parent(name: str, keys: set[tuple[str, ...]]) -> tuple[str, ...] | None:
    """``Regional departments of the Ministry of Justice``: the key of the institution after
    the first "of"/"de"/"du" that is itself one of ``keys`` (None when there is none)."""
    words = name_key(name)
    for i, word in enumerate(words[:-1]):
        if word in ("of", "de", "del", "du", "des", "da", "do") and i > 0:
            rest = words[i + 1:]
            if rest and rest[0] in lexicon.ARTICLES:
                rest = rest[1:]
            if len(rest) > 1 and rest in keys and rest != words:
                return rest
    return None
