"""The client-side deadline: a request the engine does not answer in time is closed and
answered ``timeout``; the engine's own limit is sent where it has one."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from engines import Engine, serving

from ogpgraph.store.engines import Endpoint, parse_store_url
from ogpgraph.store.query_jobs import QueryJob
from ogpgraph.store.remote_executor import RemoteQueryExecutor
from ogpgraph.store.remote_protocol import Release
from ogpgraph.store.remote_store import open_store

WAIT_S = 10.0  # a bound on waiting, never a measured duration


class SilentServer:
    """Accepts a connection, reads the request and never answers; notes when the client
    closes its end."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.received = threading.Event()
        self.closed_by_client = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        self.sock.settimeout(WAIT_S)
        try:
            connection, _ = self.sock.accept()
        except OSError:
            return
        with connection:
            connection.settimeout(WAIT_S)
            try:
                while connection.recv(65536):
                    self.received.set()
                self.closed_by_client.set()
            except OSError:
                pass

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def silent() -> Iterator[SilentServer]:
    server = SilentServer()
    yield server
    server.close()


def test_the_deadline_closes_the_request_and_answers_timeout(silent: SilentServer) -> None:
    endpoint = Endpoint("generic", f"http://127.0.0.1:{silent.port}/sparql")
    executor = RemoteQueryExecutor(endpoint, timeout=0.5, release=lambda: Release("r", ()))

    async def ask() -> object:
        try:
            return await executor.run(QueryJob("SELECT * WHERE { ?s ?p ?o }"))
        finally:
            await executor.aclose()

    outcome = asyncio.run(ask())
    assert outcome.kind == "timeout"
    assert "0.5 s" in outcome.message
    assert silent.received.is_set()
    assert silent.closed_by_client.wait(WAIT_S), "the request's connection was left open"


def test_a_request_that_goes_away_closes_its_engine_request(silent: SilentServer) -> None:
    """The web request is cancelled (its client left) long before the deadline: the
    transfer to the engine is cut too, not left running until the deadline."""
    endpoint = Endpoint("generic", f"http://127.0.0.1:{silent.port}/sparql")
    executor = RemoteQueryExecutor(endpoint, timeout=60, release=lambda: Release("r", ()))

    async def ask_then_leave() -> None:
        task = asyncio.create_task(executor.run(QueryJob("SELECT * WHERE { ?s ?p ?o }")))
        await asyncio.get_running_loop().run_in_executor(None, silent.received.wait, WAIT_S)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    try:
        asyncio.run(ask_then_leave())
        assert silent.closed_by_client.wait(WAIT_S), "the engine request outlived its client"
    finally:
        executor.close()


def test_an_unreachable_engine_is_an_error_not_a_hang() -> None:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]  # closed again: nothing listens there
    executor = RemoteQueryExecutor(Endpoint("generic", f"http://127.0.0.1:{port}/sparql"),
                                   timeout=5, release=lambda: Release("r", ()))
    outcome = asyncio.run(executor.run(QueryJob("ASK {}")))
    assert outcome.kind == "error" and "did not answer" in outcome.message


def test_a_long_query_on_an_engine_answers_timeout(engine: Engine,
                                                   compared_build: Path) -> None:
    """A query with no end (the union joined with itself three times) is stopped by the
    engine's limit or the deadline, whichever comes first; the engine answers on."""
    serving(engine, compared_build).close()
    store, executor = open_store(engine.url, query_timeout=1.0)
    endless = QueryJob("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")

    async def ask() -> tuple[object, object]:
        try:
            return await executor.run(endless), await executor.run(QueryJob("ASK { ?s ?p ?o }"))
        finally:
            await executor.aclose()

    stopped, after = asyncio.run(ask())
    store.close()
    assert stopped.kind == "timeout", stopped.message
    assert after.kind == "ok" and b"true" in after.body


def test_the_engine_limit_is_sent_where_the_engine_has_one() -> None:
    from ogpgraph.store.remote_protocol import timeout_form

    virtuoso = parse_store_url("virtuoso+http://127.0.0.1:8890/sparql").profile
    oxigraph = parse_store_url("oxigraph+http://127.0.0.1:7878").profile
    fuseki = parse_store_url("fuseki+http://127.0.0.1:3030/ds").profile
    assert timeout_form(virtuoso, 2.5) == [("timeout", "2500")]
    assert timeout_form(fuseki, 2.5) == [("timeout", "2.5")]
    assert timeout_form(oxigraph, 2.5) == []  # its limit is the server's --timeout-s


def test_an_engine_without_a_release_is_an_error(engine: Engine, tmp_path: Path) -> None:
    """A fresh engine of the same kind, nothing loaded: /sparql says so, pages raise."""
    from engines import start_engine

    from ogpgraph.store.remote_store import RemoteStoreError

    empty = start_engine(engine.kind, tmp_path / "empty")
    try:
        store, executor = open_store(empty.url)
        outcome = asyncio.run(executor.run(QueryJob("ASK { ?s ?p ?o }")))
        assert outcome.kind == "error" and "no ogpgraph release" in outcome.message
        with pytest.raises(RemoteStoreError):
            store.ask("ASK { ?s ?p ?o }")
        store.close()
    finally:
        empty.stop()
