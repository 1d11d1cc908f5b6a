"""Lexical facts about a SPARQL query, found without parsing or evaluating it.

Comments, strings and IRIs are blanked out first, so only keywords and names remain.
The keyword patterns skip prefixed names, variables and blank node labels (``ex:graph``,
``?from``, ``_:graph``). They err on the side of yes: a false "yes" costs speed at most.
"""

from __future__ import annotations

import re
from functools import lru_cache

_OPAQUE = re.compile(
    r"""(?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''
       |\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
       |'(?:[^'\\\n\r]|\\.)*'
       |"(?:[^"\\\n\r]|\\.)*")
      |(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
      |(?P<comment>\#[^\n\r]*)""",
    re.VERBOSE | re.DOTALL,
)


def keyword(word: str) -> re.Pattern[str]:
    """``word`` as a keyword: not part of a prefixed name, variable or blank node label."""
    return re.compile(rf"(?<![\w:?$\-]){word}(?![\w:\-])", re.IGNORECASE)


_FROM = keyword("FROM")
_GRAPH = keyword("GRAPH")


@lru_cache(maxsize=8)  # a request asks several questions of the same query
def blank_opaque(query: str) -> str:
    """The query with strings, IRIs and comments emptied: only keywords and names remain."""

    def blank(match: re.Match[str]) -> str:
        if match.group("string") is not None:
            return '""'
        if match.group("iri") is not None:
            return "<>"
        return " "

    return _OPAQUE.sub(blank, query)


def has_dataset_clause(query: str) -> bool:
    """FROM / FROM NAMED: the query names its own dataset."""
    return bool(_FROM.search(blank_opaque(query)))


def reads_named_graphs(query: str) -> bool:
    """FROM, FROM NAMED or GRAPH: the query needs the named graphs, not only their union."""
    blanked = blank_opaque(query)
    return bool(_FROM.search(blanked) or _GRAPH.search(blanked))


_FORM = re.compile(r"\s*(?:(?:PREFIX\s*[^\s:]*:\s*<>|BASE\s*<>)\s*)*"
                   r"(SELECT|ASK|CONSTRUCT|DESCRIBE)(?![\w:\-])", re.IGNORECASE)


def query_form(query: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the keyword after the prologue (None: not
    found so). For the server's own queries, which need no parse to be trusted."""
    found = _FORM.match(blank_opaque(query))
    return found.group(1).upper() if found else None
