"""What is sent to each engine for a query, without an engine: store URLs, the dataset
rule, Virtuoso's corrections, the refusal of ogpgraph's own graphs."""

from __future__ import annotations

import pytest

from ogpgraph.store.engines import PROFILES, parse_store_url
from ogpgraph.store.query_check import QueryRefused
from ogpgraph.store.remote_protocol import (
    NO_GRAPH,
    UNION_GRAPH,
    BooleanDigits,
    Release,
    graph_patterns,
    is_partial,
    names_internal_graph,
    plan,
    result_kind,
    without_dataset_clauses,
)

RELEASE = Release("r1", ("http://x/id/source/csv-1", "http://x/graph/ontology"))
VIRTUOSO, OXIGRAPH = PROFILES["virtuoso"], PROFILES["oxigraph"]


def test_store_urls() -> None:
    oxigraph = parse_store_url("oxigraph+http://127.0.0.1:7878")
    assert (oxigraph.query_url, oxigraph.update_url, oxigraph.store_url) == (
        "http://127.0.0.1:7878/query", "http://127.0.0.1:7878/update",
        "http://127.0.0.1:7878/store")
    virtuoso = parse_store_url("virtuoso+http://dba:secret@127.0.0.1:8890/sparql"
                               "?isql=1111&load_dir=/srv/load")
    assert (virtuoso.query_url, virtuoso.isql_port, virtuoso.load_dir, virtuoso.password) == (
        "http://127.0.0.1:8890/sparql", 1111, "/srv/load", "secret")
    fuseki = parse_store_url("fuseki+http://127.0.0.1:3030/ogpgraph/")
    assert fuseki.store_url == "http://127.0.0.1:3030/ogpgraph/data"
    assert parse_store_url("http://example.org/sparql?a=b").kind == "generic"
    with pytest.raises(ValueError):
        parse_store_url("ftp://example.org/sparql")


def test_the_union_graph_is_the_default_graph_and_named_graphs_only_when_read() -> None:
    assert plan(OXIGRAPH, "SELECT * { ?s ?p ?o }", RELEASE).default_graphs == (UNION_GRAPH,)
    assert plan(OXIGRAPH, "SELECT * { ?s ?p ?o }", RELEASE).named_graphs == ()
    reading = plan(OXIGRAPH, "SELECT ?g { GRAPH ?g { ?s ?p ?o } }", RELEASE)
    assert (reading.default_graphs, reading.named_graphs) == ((UNION_GRAPH,),
                                                              RELEASE.named_graphs)
    own = plan(OXIGRAPH, "SELECT * FROM <http://x/graph/ontology> { ?s ?p ?o }", RELEASE)
    assert (own.default_graphs, own.named_graphs) == ((), ())


def test_virtuoso_is_told_that_there_are_no_named_graphs() -> None:
    given = plan(VIRTUOSO, "SELECT ?g { GRAPH ?g { ?s ?p ?o } }", RELEASE, ("http://x/a",))
    assert given.named_graphs == (NO_GRAPH,)
    from_only = plan(VIRTUOSO, "SELECT * FROM <http://x/a> WHERE { GRAPH ?g { ?s ?p ?o } }",
                     RELEASE)
    assert from_only.query.startswith(f"SELECT * FROM NAMED <{NO_GRAPH}> FROM <http://x/a>")
    with_named = "SELECT * FROM <http://x/a> FROM NAMED <http://x/b> { ?s ?p ?o }"
    assert plan(VIRTUOSO, with_named, RELEASE).query == with_named
    assert plan(OXIGRAPH, "SELECT * FROM <http://x/a> { ?s ?p ?o }", RELEASE).query == (
        "SELECT * FROM <http://x/a> { ?s ?p ?o }")


def test_virtuoso_is_sent_no_graph_list_when_graph_names_a_variable() -> None:
    """The release's graphs as a join in the query, not thousands of named-graph-uri."""
    query = "SELECT ?g { GRAPH ?g { <http://x/a> ?p ?o OPTIONAL { GRAPH $h { ?o ?q '}' } } } }"
    sent = plan(VIRTUOSO, query, RELEASE)
    assert (sent.default_graphs, sent.named_graphs) == ((UNION_GRAPH,), ())
    names = [name for _, (_, name), _ in graph_patterns(sent.query)]
    # each GRAPH of the query, and after each, the release's description read for its name
    assert names == ["?g", "$h", "?ogpgraph_description_graph", "?ogpgraph_description_graph"]
    assert sent.query.count("<urn:ogpgraph:namedGraph> ?g }") == 1
    assert sent.query.count("<urn:ogpgraph:namedGraph> $h }") == 1
    assert "GRAPH $h { ?o ?q '}' } { SELECT $h WHERE" in sent.query


def test_virtuoso_is_sent_only_the_graphs_named_by_iri() -> None:
    small = RELEASE.named_graphs[0]
    sent = plan(VIRTUOSO, f"ASK {{ GRAPH <{small}> {{ ?s ?p ?o }} }}", RELEASE)
    assert (sent.named_graphs, "namedGraph" in sent.query) == ((small,), False)
    absent = plan(VIRTUOSO, f"ASK {{ GRAPH <http://x/none> {{ <http://x/none> ?p ?o }} "
                            f"GRAPH <{small}> {{ ?s ?p ?o }} }}", RELEASE)
    assert absent.named_graphs == (small, NO_GRAPH)
    assert absent.query == (f"ASK {{ GRAPH <{NO_GRAPH}> {{ <http://x/none> ?p ?o }} "
                            f"GRAPH <{small}> {{ ?s ?p ?o }} }}")
    mixed = plan(VIRTUOSO, f"ASK {{ GRAPH ?g {{ ?s ?p ?o }} GRAPH <{small}> {{ ?s ?p ?o }} }}",
                 RELEASE)
    prefixed = plan(VIRTUOSO, "PREFIX x: <http://x/> ASK { GRAPH x:a { ?s ?p ?o } }", RELEASE)
    assert mixed.named_graphs == prefixed.named_graphs == RELEASE.named_graphs
    assert plan(OXIGRAPH, "SELECT ?g { GRAPH ?g { ?s ?p ?o } }", RELEASE).named_graphs == (
        RELEASE.named_graphs)


def test_the_description_variable_is_not_one_of_the_query() -> None:
    query = "SELECT * { GRAPH ?ogpgraph_description_graph { ?s ?p ?o } }"
    sent = plan(VIRTUOSO, query, RELEASE).query
    assert "GRAPH ?ogpgraph_description_graph_ {" in sent


def test_virtuoso_gets_the_protocol_dataset_without_the_query_from() -> None:
    query = "PREFIX x: <http://x/> SELECT * FROM x:a FROM NAMED <http://x/b> { ?s ?p 'FROM x' }"
    sent = plan(VIRTUOSO, query, RELEASE, ("http://x/c",))
    assert "FROM" not in sent.query.replace("'FROM x'", "")
    assert sent.default_graphs == ("http://x/c",)
    assert plan(OXIGRAPH, query, RELEASE, ("http://x/c",)).query == query
    assert without_dataset_clauses("SELECT * { ?from ?p ?o }") == "SELECT * { ?from ?p ?o }"


def test_virtuoso_describes_as_oxigraph_does() -> None:
    sent = plan(VIRTUOSO, "PREFIX x: <http://x/>\nDESCRIBE x:a", RELEASE)
    assert sent.query.startswith('DEFINE sql:describe-mode "CBD"')
    assert plan(VIRTUOSO, "SELECT ?describe { ?describe ?p ?o }", RELEASE).query.startswith(
        "SELECT")


def test_virtuoso_booleans_are_rewritten_across_chunks() -> None:
    value = (b'{ "o": { "type": "typed-literal", "datatype": '
             b'"http://www.w3.org/2001/XMLSchema#boolean", "value": "%s" }},')
    body = b"".join(value % digit for digit in (b"1", b"0") * 30)
    for size in (1, 7, 64, 1000):
        fix = BooleanDigits()
        out = b"".join(fix.push(body[i:i + size]) for i in range(0, len(body), size))
        out += fix.flush()
        assert out.count(b'"value": "true"') == out.count(b'"value": "false"') == 30
        assert b'"value": "1"' not in out


def test_partial_answers_and_internal_graphs() -> None:
    assert is_partial(VIRTUOSO, {"x-sql-state": "S1TAT"})
    assert not is_partial(VIRTUOSO, {})
    assert not is_partial(OXIGRAPH, {"x-sql-state": "S1TAT"})
    assert names_internal_graph("SELECT * FROM <urn:ogpgraph:release> { ?s ?p ?o }")
    assert names_internal_graph("SELECT * FROM <\\u0075rn:OGPGRAPH:union> { ?s ?p ?o }")
    assert names_internal_graph("SELECT * { ?s ?p ?o }", ("urn:ogpgraph:union",))
    assert not names_internal_graph("SELECT * { ?s ?p ?o }", ("http://x/a",))


def test_result_kinds_and_syntax_errors() -> None:
    assert result_kind("ASK {}") == "boolean"
    assert result_kind("SELECT * {}") == "solutions"
    assert result_kind("DESCRIBE <http://x/a>") == "graph"
    with pytest.raises(QueryRefused):
        result_kind("SELECT WHERE {")
    with pytest.raises(QueryRefused):  # decided on the parse: nothing is ever evaluated
        result_kind("ASK { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")


def test_the_description_carries_no_list_that_grows_with_the_data() -> None:
    """At 100,000 commitments the build's warnings were 8.9 MB: escaped in SPARQL JSON they
    passed the 16 MB that pyoxigraph reads for one value, and no web tier could read the
    release. The web tier reads the whole manifest from the release folder."""
    import json

    from ogpgraph.store.remote_protocol import MANIFEST, description_triples

    manifest = {"build_id": "b", "triples": 3, "graph_triples": [["urn:g", 3]],
                "warnings": ["a warning"] * 1000, "sources": [{"path": "x"}] * 1000}
    (described,) = [t.object.value for t in description_triples(manifest)
                    if t.predicate.value == MANIFEST]
    assert json.loads(described) == {"build_id": "b", "triples": 3,
                                     "graph_triples": [["urn:g", 3]]}
