"""Lexical facts about queries: which ones read named graphs (and so go to the on-disk
store when ``ogpgraph serve`` holds only the union in memory)."""

from __future__ import annotations

import pytest

from ogpgraph.store.sparql_text import has_dataset_clause, query_form, reads_named_graphs


@pytest.mark.parametrize("query, named, dataset", [
    ("SELECT * WHERE { ?s ?p ?o }", False, False),
    ("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", True, False),
    ("select * where { graph <http://ex.org/g> { ?s ?p ?o } }", True, False),
    ("SELECT * FROM <http://ex.org/g> WHERE { ?s ?p ?o }", True, True),
    ("SELECT * FROM NAMED <http://ex.org/g> WHERE { GRAPH ?g { ?s ?p ?o } }", True, True),
    ("SELECT * WHERE {GRAPH?g{?s ?p ?o}}", True, False),
    # names, variables, labels, strings, IRIs and comments that only look like keywords
    ("SELECT ?graph ?from WHERE { ?graph ex:from _:graph }", False, False),
    ("SELECT * WHERE { ?s graph:p from:o }", False, False),
    ('SELECT * WHERE { ?s ?p "GRAPH ?g FROM" }', False, False),
    ("SELECT * WHERE { ?s ?p '''\nGRAPH\n''' }", False, False),
    ("SELECT * WHERE { ?s <http://ex.org/GRAPH> ?o } # FROM <x>", False, False),
    ("SELECT * WHERE { ?s ?p ?o FILTER(?o != \"#\") GRAPH ?g { } }", True, False),
])
def test_reads_named_graphs(query: str, named: bool, dataset: bool) -> None:
    assert reads_named_graphs(query) is named
    assert has_dataset_clause(query) is dataset


@pytest.mark.parametrize("query, form", [
    ("SELECT * WHERE { ?s ?p ?o }", "SELECT"),
    ("PREFIX ex: <http://ex.org/select#>\nBASE <http://x/>\n# ASK\nconstruct { ?s ?p ?o } "
     "WHERE { ?s ?p ?o }", "CONSTRUCT"),
    ("PREFIX : <http://ex.org/> ASK { :a ?p ?o }", "ASK"),
    ("DESCRIBE <http://ex.org/a>", "DESCRIBE"),
    ("PREFIX ask: <http://ex.org/> SELECT * { ?s ask:p ?o }", "SELECT"),
    ("INSERT DATA { <a> <b> <c> }", None),
    ("SELECTED", None),
])
def test_query_form_is_the_keyword_after_the_prologue(query: str, form: str | None) -> None:
    assert query_form(query) == form
