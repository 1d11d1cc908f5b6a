"""A query checked on its characters alone (``store/plain_query.py``): only where they
prove it has no SERVICE, GRAPH or FROM, and then the same check as the full parse's."""

from __future__ import annotations

import json
import random

import pyoxigraph as ox
import pytest

from ogpgraph.config import DEFAULT_BASE_URI
from ogpgraph.graph.uris import Uris
from ogpgraph.store import worker_process
from ogpgraph.store.oxigraph_store import OxigraphStore
from ogpgraph.store.plain_query import check_plain_query
from ogpgraph.store.query_check import QueryRefused, check_query
from ogpgraph.store.query_jobs import QueryJob
from ogpgraph.web.resource_document import main_query
from ogpgraph.web.sparql.examples import example_queries

PE = Uris(DEFAULT_BASE_URI).commitment("PE0055")


@pytest.mark.parametrize("query, form", [
    (f"ASK {{ <{PE}> ?p ?o }}", "ASK"),
    (main_query(PE, DEFAULT_BASE_URI), "CONSTRUCT"),
    ("PREFIX ex: <http://x/> SELECT ?s WHERE { ?s ex:p ?o } LIMIT 3", "SELECT"),
    ("DESCRIBE <http://x/a>", "DESCRIBE"),
    # the words inside IRIs, strings and comments, where they are no keyword
    ("SELECT * WHERE { <http://ogpgraph.example/graph/from> ?p ?o }", "SELECT"),
    ('SELECT * WHERE { ?s ?p "graphs from afar" } # from a graph', "SELECT"),
    ("SELECT * WHERE { ?s ?p ?o FILTER(?o < 3 && ?o > 1) }", "SELECT"),
])
def test_a_plain_query_is_checked_on_its_characters(query: str, form: str) -> None:
    checked = check_plain_query(query)
    assert checked is not None
    assert (checked.text, checked.form, checked.reads_named_graphs) == (query, form, False)


@pytest.mark.parametrize("query", [
    # SERVICE anywhere, in any case or spelling, even where it is no keyword
    "SELECT * WHERE { SERVICE <http://evil/> { ?s ?p ?o } }",
    "SELECT * WHERE { sErViCe <http://evil/> { ?s ?p ?o } }",
    'SELECT * WHERE { ?s ?p "customer service" }',
    "SELECT * WHERE { ?s ?p <http://x/service> }",
    "SELECT * WHERE { ?s ?p ?o } # service",
    "SELECT * WHERE { ſervice <http://evil/> { ?s ?p ?o } }",
    # escapes may spell anything
    "SELECT * WHERE { \\u0053ERVICE <http://evil/> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ex:a\\#. GRAPH ?g { ?s ?p ?o } }",
    # GRAPH and FROM as keywords, glued or not
    "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }",
    "SELECT * FROM <http://x/g> WHERE { ?s ?p ?o }",
    "ASK FROM<http://x/g> {}",
    "SELECT * WHERE { ?s ?p 1GRAPH ?g { } }",
    "PREFIX graph: <http://x/> SELECT * WHERE { ?s graph:p ?o }",
    # a comparison the lexer would take for an IRI, hiding what follows
    "SELECT * WHERE { ?s ?p ?o FILTER(1<2)GRAPH#>\n?g { ?s ?p ?o } }",
    # no query form: updates, nonsense
    "INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }",
    "WITH <http://x/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "not a query",
    # nested past the bound
    "SELECT * WHERE " + "{" * 80 + "}" * 80,
])
def test_anything_else_goes_to_the_full_parse(query: str) -> None:
    assert check_plain_query(query) is None


@pytest.mark.parametrize("example", example_queries(DEFAULT_BASE_URI), ids=lambda e: e.slug)
def test_the_example_queries_are_plain_and_read_as_the_parse_reads_them(example) -> None:
    plain = check_plain_query(example.query)
    assert plain is not None  # the endpoint's own examples need no parse
    full = check_query(example.query)
    assert (plain.text, plain.form, plain.reads_named_graphs) == (
        full.text, full.form, full.reads_named_graphs)


PIECES = {
    "prologue": ["", "PREFIX ex: <http://x/graph/> ", "BASE <http://x/from/> ",
                 "PREFIX graph: <http://x/> "],
    "form": ["SELECT *", "SELECT ?s", "ASK", "CONSTRUCT { ?s ?p ?o }", "DESCRIBE ?s"],
    "dataset": ["", "", "FROM <http://x/g>", "FROM NAMED <http://x/g>", "FROM<http://x/g>"],
    "pattern": ["?s ?p ?o .", "?s ex:p ?o .", "?s graph:p ?o .", "FILTER(?o < 3)",
                "FILTER(?o<?p)", "FILTER(?o<2)", "FILTER(1<2)GRAPH#>\n?g{}",
                "OPTIONAL { ?s ?p ?o }", "GRAPH ?g { ?s ?p ?o }", "BIND(1 AS ?x)",
                "# from a graph service\n", '?s ?p "graph from service" .',
                "?s ?p <http://x/graph/from> .", "?s ?p 1GRAPH ?g {}", "{ ?s ?p ?o } UNION {}",
                "SERVICE <http://x/> {}", "?s ?p ?o FILTER(?o > 1 && ?o<3)"],
}


def _random_query(rng: random.Random) -> str:
    def gap() -> str:
        return rng.choice(["", " ", "\n"])

    patterns = gap().join(rng.choice(PIECES["pattern"]) for _ in range(rng.randint(0, 4)))
    return (rng.choice(PIECES["prologue"]) + rng.choice(PIECES["form"]) + gap()
            + rng.choice(PIECES["dataset"]) + gap() + "WHERE" + gap() + "{" + gap()
            + patterns + gap() + "}")


def test_whenever_the_characters_decide_the_parse_agrees() -> None:
    """Random queries from pieces, some of them adversarial: where the plain check answers
    and rdflib can read the text, rdflib finds no SERVICE, GRAPH or FROM and the same
    form."""
    rng = random.Random(20261203)
    decided = 0
    for _ in range(3000):
        text = _random_query(rng)
        plain = check_plain_query(text)
        if plain is None:
            continue
        try:
            full = check_query(text)
        except QueryRefused as refusal:
            assert refusal.reason in ("syntax", "unreadable", "update"), (text, refusal)
            continue
        decided += 1
        assert (full.form, full.reads_named_graphs) == (plain.form, False), text
    assert decided > 100  # the pieces do make queries both read


def _store() -> OxigraphStore:
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode(PE), ox.NamedNode("http://x/p"), ox.Literal("o"),
                      ox.NamedNode("http://x/g")))
    return OxigraphStore(store, quads=1)


def test_a_sandboxed_worker_answers_a_plain_query_without_the_parse(monkeypatch) -> None:
    def no_parse(text: str) -> None:
        raise AssertionError(f"parsed: {text}")

    monkeypatch.setattr(worker_process, "check_query", no_parse)
    outcome = worker_process.run_job(_store(), QueryJob(f"ASK {{ <{PE}> ?p ?o }}"),
                                     sandboxed=True)
    assert outcome.kind == "ok"
    assert json.loads(outcome.body)["boolean"] is True


@pytest.mark.parametrize("query, kind, says", [
    ("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", "ok", b"http://x/g"),
    ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", "refused", "SERVICE"),
    ("SELECT * WHERE { ?s ?p ?o", "syntax_error", ""),
])
def test_other_queries_are_parsed_first(monkeypatch, query: str, kind: str,
                                        says: bytes | str) -> None:
    parsed: list[str] = []

    def recording(text: str):  # noqa: ANN202
        parsed.append(text)
        return check_query(text)

    monkeypatch.setattr(worker_process, "check_query", recording)
    outcome = worker_process.run_job(_store(), QueryJob(query), sandboxed=True)
    assert parsed == [query]
    assert outcome.kind == kind
    assert says in (outcome.body if isinstance(says, bytes) else outcome.message)
