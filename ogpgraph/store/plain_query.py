"""A query's check decided on its characters alone, for the common case: nothing in it
could be SERVICE, GRAPH or FROM. Only for a sandboxed query worker's Oxigraph.

rdflib's parse (``query_check``) takes 1.4 ms for a one-resource ASK and 25 ms for a
page's CONSTRUCT the first time a text is seen; Oxigraph parses either in microseconds,
and a client that asks about one resource after another sends a new text each time. The
parse decides three things, and for most queries the characters already decide them:

* **SERVICE** (federation): the letters ``service``, in any case, appear nowhere in the
  text, not even in a string, an IRI or a comment, and the text has no backslash, so no
  escape spells them. Oxigraph reads a keyword letter by letter, so it cannot find a
  SERVICE there, whatever its grammar makes of the rest. (The worker has no network
  either: ``sandbox.py``.)
* **GRAPH and FROM** (which store answers, and which graphs must exist): neither word is
  outside the strings, IRIs and comments that ``sparql_text`` blanks. Without backslashes
  that lexer and Oxigraph agree on where those are, except that a ``<`` may be a
  comparison where the lexer sees an IRI; a GRAPH or FROM can follow a comparison only
  after its bracket is closed, so an IRI-looking span with a bracket in it is not trusted.
* **Updates**: Oxigraph's query parser does not read them. Its syntax errors go back to
  the full check (``worker_process.run_job``), which refuses the text as before.

Anything else (no form found, a nesting bound crossed) goes to the full check too.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ogpgraph.store.query_check import CheckedQuery, too_deeply_nested
from ogpgraph.store.sparql_text import blank_opaque, query_form

_IRI_LIKE = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")  # sparql_text's IRIs
_BRACKETS = frozenset("()")


def _spells(text: str, word: str) -> bool:
    """``word`` in ``text`` in any case; also where Unicode case mapping makes it so
    (``ſervice``, ``servıce``), although Oxigraph folds ASCII letters only."""
    return word in text.casefold() or word.upper() in text.upper()


@lru_cache(maxsize=2048)
def check_plain_query(text: str) -> CheckedQuery | None:
    """The check of a query without SERVICE, GRAPH or FROM, or None: not provably so
    from its characters (then the full parse decides, ``query_check.check_query``)."""
    if "\\" in text or _spells(text, "service") or too_deeply_nested(text):
        return None
    if any(_BRACKETS.intersection(span) for span in _IRI_LIKE.findall(text)):
        return None
    blanked = blank_opaque(text)
    if _spells(blanked, "graph") or _spells(blanked, "from"):
        return None
    form = query_form(text)
    if form not in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"):
        return None
    return CheckedQuery(text=text, form=form, graph_pattern=False)  # type: ignore[arg-type]
