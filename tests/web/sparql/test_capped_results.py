"""Solutions are cut by counting TSV lines: exact at the boundaries, lossless for terms."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from ogpgraph.store.query_check import check_query
from ogpgraph.store.query_jobs import QueryJob, capped_tsv, execute_job

G = ox.NamedNode("http://example.org/g")


@pytest.fixture(scope="module")
def store() -> ox.Store:
    store = ox.Store()
    for n in range(5):
        text = f"row {n}\nsecond line\t\"quoted\""
        store.add(ox.Quad(ox.NamedNode(f"http://example.org/s{n}"),
                          ox.NamedNode("http://example.org/p"), ox.Literal(text, language="en"),
                          G))
    return store


QUERY = "SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?s"


@pytest.mark.parametrize(("limit", "rows", "truncated"),
                         [(10, 5, False), (5, 5, False), (4, 4, True), (1, 1, True)])
def test_cut_is_exact(store: ox.Store, limit: int, rows: int, truncated: bool) -> None:
    result = store.query(QUERY, use_default_graph_as_union=True)
    body, count, cut = capped_tsv(result, limit)
    assert (count, cut) == (rows, truncated)
    assert body.count(b"\n") == rows + 1  # header and rows


def test_terms_survive_the_round_trip(store: ox.Store) -> None:
    outcome = execute_job(store, QueryJob(query=QUERY, solutions_format="json", max_results=2),
                          check_query(QUERY))
    parsed = ox.parse_query_results(outcome.body, format=ox.QueryResultsFormat.JSON)
    first = next(iter(parsed))
    assert first["o"] == ox.Literal("row 0\nsecond line\t\"quoted\"", language="en")
    assert outcome.truncated and outcome.count == 2


def test_a_huge_result_is_cut_without_being_written(store: ox.Store) -> None:
    cartesian = ("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n ?o }")
    outcome = execute_job(store, QueryJob(query=cartesian, solutions_format="csv",
                                          max_results=3), check_query(cartesian))
    assert outcome.kind == "ok" and outcome.truncated and outcome.count == 3
    assert outcome.body.count(b"\r\n") == 4  # CSV: header and three rows
