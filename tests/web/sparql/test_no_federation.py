"""No query reaches the network: the check on a real parse refuses SERVICE (level a), and
the query workers cannot open an Internet socket at all (level b).

Each level is tested on its own: the fuzz test runs what the check lets through on an
unsandboxed Oxigraph, and the worker test bypasses the check. A listener on 127.0.0.1
counts connection attempts; a control test shows it does see one when nothing stops it.
"""

from __future__ import annotations

import asyncio
import os
import socket
import threading
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sparql_fixture import fixture_app

from ogpgraph.store import query_check, worker_process
from ogpgraph.store.executor import WorkerPoolExecutor
from ogpgraph.store.oxigraph_store import OxigraphStore
from ogpgraph.store.query_check import CheckedQuery, QueryRefused, check_query
from ogpgraph.store.query_jobs import QueryJob
from ogpgraph.store.sandbox import forbid_network, network_is_forbidden


class Listener:
    """Accepts and at once closes connections on 127.0.0.1, counting them."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.1)
        self.port = self.server.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.server.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            connection.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self.server.close()


@pytest.fixture()
def listener() -> Iterator[Listener]:
    listening = Listener()
    yield listening
    listening.close()


def exploit(port: int) -> str:
    """The bypass of issue 15: a lexer reads ``<2)SERVICE#>`` as an IRI."""
    return (f"SELECT ?s WHERE {{ FILTER(1<2)SERVICE#>\n<http://127.0.0.1:{port}/sparql> "
            "{ ?s a ?t } } LIMIT 2")


def test_the_reported_bypass_is_refused_over_http(listener: Listener) -> None:
    with TestClient(fixture_app(query_workers=1)) as client:
        response = client.post("/sparql", content=exploit(listener.port).encode(),
                               headers={"Content-Type": "application/sparql-query",
                                        "Accept": "text/csv"})
    assert response.status_code == 400, response.text
    assert "SERVICE is not allowed" in response.text
    assert listener.connections == 0


def evaluate_unsandboxed(text: str) -> Exception | None:
    """Run ``text`` on an empty Oxigraph store in this process (no sandbox): the error it
    raised, if any. The result is dropped here, on this thread (pyoxigraph's
    results must not be freed on another one)."""
    result = None
    try:
        result = ox.Store().query(text)
        if not isinstance(result, ox.QueryBoolean):
            list(result)
    except (SyntaxError, OSError, ValueError) as error:
        return error.with_traceback(None)  # no frame (nor result) kept alive by it
    finally:
        del result
    return None


def test_without_any_wall_oxigraph_does_connect(listener: Listener) -> None:
    """The control: the listener sees Oxigraph's connection when nothing stops it."""
    assert isinstance(evaluate_unsandboxed(exploit(listener.port)), OSError)
    assert listener.connections >= 1


def test_a_worker_cannot_reach_the_network_even_past_the_check(
        listener: Listener, monkeypatch: pytest.MonkeyPatch) -> None:
    """Level b alone: the check is replaced by one that lets everything through before the
    workers are forked, so the SERVICE query reaches Oxigraph inside a worker."""
    def let_through(text: str) -> CheckedQuery:
        return CheckedQuery(text=text, form="SELECT", graph_pattern=False)

    monkeypatch.setattr(worker_process, "check_query", let_through)
    executor = WorkerPoolExecutor(OxigraphStore(ox.Store()), workers=1, timeout=20)
    try:
        outcome = asyncio.run(executor.run(QueryJob(query=exploit(listener.port))))
    finally:
        executor.close()
    assert outcome.kind == "error", outcome
    assert listener.connections == 0


def test_forbid_network_leaves_unix_sockets_and_cannot_be_lifted() -> None:
    """In a forked child: after forbid_network, no IPv4/IPv6 socket, Unix ones still work,
    and loading a second, permissive filter does not lift the first."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child reports three facts as three bytes, then exits
        os.close(read_end)
        forbid_network()
        facts = [network_is_forbidden(), _can_make(socket.AF_INET6), _can_make(socket.AF_UNIX)]
        import pyseccomp as seccomp
        seccomp.SyscallFilter(defaction=seccomp.ALLOW).load()
        facts.append(network_is_forbidden())
        os.write(write_end, bytes(facts))
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as reading:
        facts = list(reading.read())
    os.waitpid(pid, 0)
    assert facts == [1, 0, 1, 1]
    assert not network_is_forbidden()  # the parent keeps its network


def _can_make(family: int) -> bool:
    try:
        socket.socket(family, socket.SOCK_STREAM).close()
    except PermissionError:
        return False
    return True


# -- level a, fuzzed ---------------------------------------------------------------------

SEPARATORS = [" ", "", "\n", "\t", "\r\n", "  \n\t", "#\n", "# x\n"]
SERVICE_WORDS = ["SERVICE", "service", "SeRvIcE", "SERVICE SILENT", "\\u0053ERVICE"]
# Pieces of a group graph pattern, each valid SPARQL on its own: {iri} is the listener's,
# {service} one spelling of the keyword. Real SERVICE calls and decoys that hide one in a
# string, a comment or an IRI, next to the constructs that fooled the lexer.
PATTERNS = [
    "{service} <{iri}> {{ ?s ?p ?o }}",
    "{service}<{iri}>{{?s ?p ?o}}",
    "FILTER(1<2){service}#>\n<{iri}> {{ ?s ?p ?o }}",
    "FILTER(?x<2)",
    "FILTER(1 < 2 && 3 > 2)",
    "BIND(\"{service} <{iri}> {{ }}\" AS ?a)",
    "BIND('{service} <{iri}> {{ }}' AS ?b)",
    'BIND(\"\"\"x\n{service} <{iri}> {{ }}\"\"\" AS ?c)',
    "BIND('a\\u0027 {service} <{iri}> {{ }} #' AS ?d)",
    "# {service} <{iri}> {{ ?s ?p ?o }}\n",
    "?s <http://example.org/{service}> ?o .",
    "?s <{iri}#{service}> ?o .",
    "OPTIONAL {{ ?s ?p ?o }}",
    "{{ ?s ?p ?o }} UNION {{ {service} <{iri}> {{ ?s ?p ?o }} }}",
    "VALUES ?v {{ 1 \"{service}\" <{iri}> }}",
    "GRAPH ?g {{ ?s ?p ?o }}",
]
NOISE = ["<", ">", "#", '"', "'", "{", "}", "(", ")", ".", "\\u003C", "\\u0022", "\\u0023"]


@st.composite
def queries(draw: st.DrawFn, iri: str) -> str:
    """A query built from PATTERNS joined by odd separators; sometimes one piece of NOISE is
    inserted anywhere, which explores where a lexer and a parser part ways."""
    parts: list[str] = []
    for _ in range(draw(st.integers(1, 4))):
        pattern = draw(st.sampled_from(PATTERNS))
        parts.append(pattern.format(iri=iri, service=draw(st.sampled_from(SERVICE_WORDS))))
        parts.append(draw(st.sampled_from(SEPARATORS)))
    head = draw(st.sampled_from(["SELECT * WHERE {", "ASK {", "SELECT ?s {",
                                 "CONSTRUCT WHERE {"]))
    query = head + " " + "".join(parts) + draw(st.sampled_from(["}", "} LIMIT 1", "}#"]))
    if draw(st.booleans()):
        at = draw(st.integers(0, len(query)))
        query = query[:at] + draw(st.sampled_from(NOISE)) + query[at:]
    return query


@pytest.fixture(scope="module")
def fuzz_listener() -> Iterator[Listener]:
    listening = Listener()
    yield listening
    listening.close()


@settings(max_examples=400, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_no_query_the_check_accepts_reaches_the_network(fuzz_listener: Listener,
                                                        data: st.DataObject) -> None:
    iri = f"http://127.0.0.1:{fuzz_listener.port}/sparql"
    query = data.draw(queries(iri))
    query_check.check_query.cache_clear()
    try:
        checked = check_query(query)
    except QueryRefused:
        return
    before = fuzz_listener.connections
    evaluate_unsandboxed(checked.text)  # no sandbox: only the check stands in the way
    assert fuzz_listener.connections == before, f"reached the network: {query!r}"
