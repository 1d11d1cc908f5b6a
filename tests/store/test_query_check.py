"""The query check's reading of a query's dataset: FROM / FROM NAMED as the engine reads
them (prefixed names expanded, relative IRIs resolved against BASE), and the one rule that
refuses a graph the store does not hold."""

from __future__ import annotations

import pytest

from ogpgraph.store.query_check import QueryRefused, check_dataset, check_query

WHERE = "WHERE { ?s ?p ?o }"


@pytest.mark.parametrize("query, from_graphs, from_named", [
    (f"SELECT * FROM <http://a/g> FROM NAMED <http://a/h> {WHERE}", ["http://a/g"],
     ["http://a/h"]),
    (f"PREFIX ex: <http://x/> SELECT * FROM ex:g FROM NAMED ex:h {WHERE}", ["http://x/g"],
     ["http://x/h"]),
    (f"BASE <http://b/a/> SELECT * FROM <g> FROM <../q> {WHERE}", ["http://b/a/g", "http://b/q"],
     []),
    (f"BASE <http://b/a/> PREFIX r: <x/> SELECT * FROM r:z {WHERE}", ["http://b/a/x/z"], []),
    (f"SELECT * \\u0046ROM <http://a/\\u0067> {WHERE}", ["http://a/g"], []),
    ("ASK FROM <http://a/g> {}", ["http://a/g"], []),
    (f"CONSTRUCT {{ ?s ?p ?o }} FROM NAMED <file:///etc/passwd> {WHERE}", [],
     ["file:///etc/passwd"]),
    ("DESCRIBE <http://a/x> FROM <http://a/g>", ["http://a/g"], []),
    (f"SELECT * {WHERE}", [], []),
])
def test_the_dataset_clauses_as_the_engine_reads_them(query, from_graphs, from_named):
    checked = check_query(query)
    assert list(checked.from_graphs) == from_graphs
    assert list(checked.from_named_graphs) == from_named


def test_a_prefix_the_query_does_not_declare_is_a_syntax_error():
    """rdflib knows rdf:, owl:, … without a declaration; the engine does not."""
    with pytest.raises(QueryRefused) as refused:
        check_query(f"SELECT * FROM rdf:type {WHERE}")
    assert refused.value.reason == "syntax"
    assert "rdf" in refused.value.message


HELD = {"http://a/g", "http://a/h"}


@pytest.mark.parametrize("query, default, named, refused", [
    (f"SELECT * FROM <http://a/g> FROM NAMED <http://a/h> {WHERE}", (), (), []),
    (f"SELECT * {WHERE}", ("http://a/g",), ("http://a/h",), []),
    (f"SELECT * {WHERE}", (), (), []),
    (f"SELECT * FROM <http://remote/g> {WHERE}", (), (), ["FROM <http://remote/g>"]),
    (f"SELECT * FROM NAMED <file:///etc/passwd> {WHERE}", (), (),
     ["FROM NAMED <file:///etc/passwd>"]),
    (f"SELECT * {WHERE}", ("http://a/g", "file:///x"), (), ["default-graph-uri <file:///x>"]),
    (f"SELECT * FROM <http://a/g> {WHERE}", (), ("http://remote/h",),
     ["named-graph-uri <http://remote/h>"]),
    (f"SELECT * FROM <http://x/1> FROM <http://x/1> FROM NAMED <http://x/2> {WHERE}", (), (),
     ["FROM <http://x/1>", "FROM NAMED <http://x/2>"]),
])
def test_graphs_the_store_does_not_hold_are_refused_by_name(query, default, named, refused):
    checked = check_query(query)
    if not refused:
        check_dataset(checked, default, named, HELD.__contains__)
        return
    with pytest.raises(QueryRefused) as refusal:
        check_dataset(checked, default, named, HELD.__contains__)
    assert refusal.value.reason == "graph"
    message = refusal.value.message
    verb = "names a graph" if len(refused) == 1 else "name graphs"
    assert message.startswith(f"{', '.join(refused)} {verb} not in this dataset"), message
    assert "never fetches" in message
    for held in HELD:
        assert held not in message
