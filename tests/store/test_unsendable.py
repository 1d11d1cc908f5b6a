"""pyoxigraph's lazy results are dropped on the thread that made them, also when reading
them fails there and the exception is handed to another thread."""

from __future__ import annotations

import gc
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from ogpgraph.store.engine_http import EngineAnswer
from ogpgraph.store.engines import SPARQL_JSON, parse_store_url
from ogpgraph.store.query_jobs import QueryJob
from ogpgraph.store.remote_executor import _StreamReader, cut_answer
from ogpgraph.store.remote_protocol import Release
from ogpgraph.store.remote_store import RemoteStore

CUT_SHORT = (b'{"head": {"vars": ["a"]}, "results": {"bindings": ['
             b'{"a": {"type": "uri", "value": "http://x/a"}}, {"a": ')


def test_an_answer_cut_short_is_dropped_in_the_parser_thread(
        monkeypatch: pytest.MonkeyPatch) -> None:
    unraisable: list[BaseException | None] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda hook: unraisable.append(hook.exc_value))
    reader = _StreamReader()
    reader.feed(CUT_SHORT)
    reader.end(threading.Event())
    with ThreadPoolExecutor(max_workers=1) as parser_thread:
        future = parser_thread.submit(cut_answer, reader, "solutions", SPARQL_JSON,
                                      QueryJob("SELECT ?a WHERE { ?a ?p ?o }"))
        with pytest.raises(SyntaxError):
            future.result()
        del future  # the exception and its traceback are let go here, on this thread
    gc.collect()
    assert unraisable == []


class AnsweringClient:
    """An engine client that answers every form with one answer."""

    def __init__(self, answer: EngineAnswer) -> None:
        self.answer = answer

    def post_form(self, url: str, form: str, accept: str) -> EngineAnswer:
        return self.answer

    def close(self) -> None:
        pass


def test_a_page_query_from_a_thread_leaves_no_results_to_the_collector(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """``RemoteStore.select`` parses the query with rdflib, whose pyparsing leaves cycles
    through the calling frames: the results must not be in any of them."""
    unraisable: list[BaseException | None] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda hook: unraisable.append(hook.exc_value))
    answer = (b'{"head": {"vars": ["a"]}, "results": {"bindings": '
              b'[{"a": {"type": "uri", "value": "http://x/a"}}]}}')
    store = RemoteStore(parse_store_url("virtuoso+http://127.0.0.1:9/sparql"),
                        release=Release("r1", ()))
    store.client = AnsweringClient(EngineAnswer(200, {}, answer))  # type: ignore[assignment]
    with ThreadPoolExecutor(max_workers=1) as page_thread:
        rows = page_thread.submit(store.select, "SELECT ?a WHERE { ?a ?p ?o } LIMIT 7").result()
        assert [str(row["a"]) for row in rows] == ["http://x/a"]
        gc.collect()  # here, on this thread, as a page thread's collection would
    store.close()
    assert unraisable == []
