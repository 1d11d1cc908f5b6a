"""Search input: the words of a query as the index tokenises them, and the MATCH expression."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

_WORD = re.compile(r"[^\W_]+")  # what FTS5's unicode61 tokenizer keeps: letters and digits


def search_words(text: str) -> list[str]:
    """The words of a query, as the index tokenises them (punctuation is a separator)."""
    return _WORD.findall(text)


def fts_query(words: Sequence[str]) -> str:
    """An FTS5 MATCH expression requiring every word, each as a quoted phrase:
    ``say "x*"`` -> ``"say" "x*"``. Quoting makes operators (NEAR, AND, -, *, column
    filters) plain text; inner quotes are doubled. No prefix matching: at 100,000
    commitments a prefix query on a common word costs several times a word query."""
    return " ".join('"' + word.replace('"', '""') + '"' for word in words)


def fold(text: str) -> str:
    """Lower case without accents (the LIKE fallback's comparison form)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
