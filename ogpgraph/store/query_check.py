"""What a public query may do, decided on a real SPARQL parse (rdflib's grammar).

A hand-written lexer always disagrees with the engine somewhere (``FILTER(1<2)SERVICE#>``
is an IRI to a lexer and a comparison, a SERVICE and a comment to Oxigraph), so the
decision to refuse updates and SERVICE is taken on rdflib's parse tree, and anything rdflib
cannot parse is refused. Both parsers must read the same characters: SPARQL's codepoint
escapes (``\\u0053ERVICE``) are expanded by rdflib before parsing and by Oxigraph only
inside strings and IRIs, so the engine is given the text with the escapes already expanded
(exactly the text that was checked), and text whose escapes expand to further escapes is
refused. The query workers also run without network access (``sandbox.py``): a query that
slipped past this check still reaches nobody.

The query's dataset is checked here too (``check_dataset``): a FROM / FROM NAMED, or the
protocol's ``default-graph-uri`` / ``named-graph-uri``, naming a graph the dataset does not
hold is refused with its name, rather than answered with nothing from an empty graph.

The check runs inside the query workers (it takes ~10 ms per new query, longer for huge
ones, and must stay under the worker's deadline and memory bound); results are cached. A
worker skips it for a query whose characters already prove it free of SERVICE, GRAPH and
FROM (``plain_query.py``); the remote engines' executor always parses.
"""

from __future__ import annotations

import re
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from pyparsing import ParseBaseException
from rdflib import Graph
from rdflib.namespace import NamespaceManager
from rdflib.plugins.sparql.algebra import translatePrologue
from rdflib.plugins.sparql.parser import expandUnicodeEscapes, parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.plugins.sparql.sparql import Prologue

from ogpgraph.store.sparql_text import blank_opaque

QueryForm = Literal["SELECT", "ASK", "CONSTRUCT", "DESCRIBE"]
RefusalReason = Literal["update", "service", "syntax", "unreadable", "nesting", "graph"]

MAX_NESTING = 64  # brackets deep; rdflib's recursive parser gives up long before 1,000
# Operators in all: Oxigraph builds chains of them (UNION, MINUS, BIND, +, ||, /) into
# left-deep trees and recurses on them; with a worker's 8 MB stack it crashed at 4,000
# MINUS or BIND, 8,000 + or UNION, 16,000 || or | (bench-free measurement, pyoxigraph 0.4).
MAX_OPERATORS = 1000

UPDATES_REFUSED = "updates are not allowed on the query endpoint (it is read-only)"
SERVICE_REFUSED = ("SERVICE is not allowed: this endpoint does not query other endpoints "
                   "(federated queries would let it fetch arbitrary URLs)")
NESTING_REFUSED = (f"the query is too deeply nested: more than {MAX_NESTING} levels of "
                   f"brackets or braces, or more than {MAX_OPERATORS} operators (UNION, "
                   "OPTIONAL, MINUS, BIND, FILTER, ||, &&, +, /, |, …) in all; write long "
                   "lists of values with VALUES or IN (…)")
NOT_IN_DATASET = ("not in this dataset: the endpoint answers from its own graphs only, and "
                  "never fetches a graph from elsewhere")
NESTED_ESCAPES_REFUSED = ("the query's \\u/\\U escapes expand to further escapes: write the "
                          "characters themselves")

_FORMS: dict[str, QueryForm] = {"SelectQuery": "SELECT", "AskQuery": "ASK",
                                "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}
_OPENERS, _CLOSERS = "{([", "})]"
# in a query whose strings, IRIs (-> "<>") and comments are blanked: an IRI's "<>" is not
# an operator; a "-" inside a prefixed name is not either
_OPERATOR = re.compile(
    r"(<>)|(\|\||&&|!=|<=|>=|[|/^*+=<>!]|(?<![\w:.])-"
    r"|(?<![\w:?$])(?:UNION|OPTIONAL|MINUS|FILTER|BIND|VALUES|GRAPH|SERVICE|EXISTS)(?![\w:]))",
    re.IGNORECASE)
_parse_lock = threading.Lock()  # pyparsing's packrat cache is shared: one parse at a time


def renew_locks() -> None:
    """A fresh parse lock, for a process forked while another thread may have held it."""
    global _parse_lock
    _parse_lock = threading.Lock()


class QueryRefused(Exception):
    """A query the endpoint will not run: 400 and one human line."""

    def __init__(self, reason: RefusalReason, message: str, text: str = "") -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.text = text  # the query as parsed (for a second opinion on syntax errors)


@dataclass(frozen=True)
class CheckedQuery:
    text: str  # what the engine runs: exactly the characters that were parsed
    form: QueryForm
    graph_pattern: bool  # GRAPH
    from_graphs: tuple[str, ...] = ()  # FROM <g>
    from_named_graphs: tuple[str, ...] = ()  # FROM NAMED <g>

    @property
    def dataset_clause(self) -> bool:
        """FROM / FROM NAMED: the query names its own dataset."""
        return bool(self.from_graphs or self.from_named_graphs)

    @property
    def reads_named_graphs(self) -> bool:
        return self.dataset_clause or self.graph_pattern


def nesting_depth(text: str) -> int:
    """The deepest bracket nesting outside strings, IRIs and comments (a lexical bound taken
    before any parser recurses; not a security decision)."""
    depth = deepest = 0
    for char in blank_opaque(text):
        if char in _OPENERS:
            depth += 1
            deepest = max(deepest, depth)
        elif char in _CLOSERS:
            depth -= 1
    return deepest


def operator_count(text: str) -> int:
    """Operators outside strings, IRIs and comments (lexical, an over-estimate at worst)."""
    return sum(1 for found in _OPERATOR.finditer(blank_opaque(text)) if found.group(2))


def too_deeply_nested(text: str) -> bool:
    """More brackets deep or more operators than the engine can take without running out
    of stack: refused before any parser or the engine recurses on it."""
    return nesting_depth(text) > MAX_NESTING or operator_count(text) > MAX_OPERATORS


def _nodes(value: object) -> Iterator[CompValue]:
    """Every CompValue of a parse tree, iteratively (trees may be deep)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            yield item
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
        elif hasattr(item, "asList") and not isinstance(item, str):  # pyparsing ParseResults
            stack.extend(list(item))


def _syntax_message(error: ParseBaseException) -> str:
    return f"error at {error.lineno}:{error.col}: {error.msg}"


def _parse(text: str) -> object:
    limit = sys.getrecursionlimit()
    with _parse_lock:
        try:
            sys.setrecursionlimit(max(limit, 20_000))  # pyparsing recurses ~100 frames a level
            return parseQuery(text)
        except RecursionError:
            raise QueryRefused("nesting", NESTING_REFUSED) from None
        except ParseBaseException as error:
            if _is_update(text):
                raise QueryRefused("update", UPDATES_REFUSED) from None
            raise QueryRefused("syntax", _syntax_message(error), text) from None
        finally:
            sys.setrecursionlimit(limit)


def _is_update(text: str) -> bool:
    try:
        parseUpdate(text)
    except (ParseBaseException, RecursionError):
        return False
    return True


@lru_cache(maxsize=2048)
def check_query(text: str) -> CheckedQuery:
    """The query as the engine must run it, or QueryRefused (update, SERVICE, unparsable,
    too deep). Never evaluates anything."""
    if too_deeply_nested(text):
        raise QueryRefused("nesting", NESTING_REFUSED)
    try:
        expanded = expandUnicodeEscapes(text)
    except ValueError as error:  # \U0011FFFF and the like
        raise QueryRefused("unreadable", f"a \\u/\\U escape is not a character: {error}") from None
    if expandUnicodeEscapes(expanded) != expanded:
        raise QueryRefused("unreadable", NESTED_ESCAPES_REFUSED)
    parsed = _parse(expanded)
    query = parsed[1]  # type: ignore[index]  # [prologue, query]
    if not isinstance(query, CompValue) or query.name not in _FORMS:
        raise QueryRefused("update", UPDATES_REFUSED)
    names = {node.name for node in _nodes(parsed)}
    if "ServiceGraphPattern" in names:
        raise QueryRefused("service", SERVICE_REFUSED)
    clauses = query["datasetClause"] if "datasetClause" in query else []
    prologue = _prologue(parsed[0], expanded)  # type: ignore[index]
    return CheckedQuery(
        text=expanded, form=_FORMS[query.name], graph_pattern="GraphGraphPattern" in names,
        from_graphs=tuple(_iri(prologue, c["default"], expanded)
                          for c in clauses if "default" in c),
        from_named_graphs=tuple(_iri(prologue, c["named"], expanded)
                                for c in clauses if "named" in c))


def _prologue(declarations: object, text: str) -> Prologue:
    """The query's own BASE and PREFIXes (none of rdflib's: the engine knows none either)."""
    prologue = Prologue()
    prologue.base = ""
    prologue.namespace_manager = NamespaceManager(Graph(bind_namespaces="none"),
                                                  bind_namespaces="none")
    try:
        return translatePrologue(declarations, None, prologue=prologue)
    except Exception as error:  # rdflib raises a bare Exception for an undeclared prefix
        raise QueryRefused("syntax", str(error), text) from None


def _iri(prologue: Prologue, name: object, text: str) -> str:
    """A FROM clause's graph as the engine reads it: prefixed names expanded, relative IRIs
    resolved against BASE."""
    try:
        return str(prologue.absolutize(name))  # type: ignore[arg-type]
    except Exception as error:
        raise QueryRefused("syntax", str(error), text) from None


def graphs_named(checked: CheckedQuery, default_graph_uris: Sequence[str] = (),
                 named_graph_uris: Sequence[str] = ()) -> list[tuple[str, str]]:
    """Every graph the request names for its dataset, with how: (``FROM``, iri), ...; the
    protocol's parameters too, though they override the query's clauses (a graph named by
    mistake is refused either way)."""
    return ([("FROM", iri) for iri in checked.from_graphs]
            + [("FROM NAMED", iri) for iri in checked.from_named_graphs]
            + [("default-graph-uri", iri) for iri in default_graph_uris]
            + [("named-graph-uri", iri) for iri in named_graph_uris])


def check_dataset(checked: CheckedQuery, default_graph_uris: Sequence[str],
                  named_graph_uris: Sequence[str], in_dataset: Callable[[str], bool]) -> None:
    """QueryRefused ("graph") naming every graph of the request's dataset that
    ``in_dataset`` (the store's own list of its named graphs) does not hold; the graphs it
    holds are used exactly as before. One rule for every store (``run_job`` embedded, the
    remote executor)."""
    missing = [(how, iri) for how, iri in graphs_named(checked, default_graph_uris,
                                                       named_graph_uris)
               if not in_dataset(iri)]
    if missing:
        named = ", ".join(f"{how} <{iri}>" for how, iri in dict.fromkeys(missing))
        verb = "names a graph" if len(missing) == 1 else "name graphs"
        raise QueryRefused("graph", f"{named} {verb} {NOT_IN_DATASET}")
