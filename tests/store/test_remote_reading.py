"""How ``/sparql`` reads an engine's answer: a small one whole, a large one as it streams
in, cut at the result cap without reading the rest, a broken one named."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator

import pytest
from local_engine import LocalEngine, QuietHandler

from ogpgraph.store.engines import Endpoint
from ogpgraph.store.query_jobs import QueryJob, QueryOutcome
from ogpgraph.store.remote_executor import INLINE_ANSWER_BYTES, RemoteQueryExecutor
from ogpgraph.store.remote_protocol import Release

WAIT_S = 10.0  # a bound on waiting, never a measured duration
HEAD = b'{"head": {"vars": ["a"]}, "results": {"bindings": ['
TAIL = b"]}}"


def row(n: int) -> bytes:
    return json.dumps({"a": {"type": "uri", "value": f"http://example.org/r{n}"}}).encode()


ROW_BYTES = len(row(0)) - 1  # and the row number's digits


class Answers(LocalEngine):
    """Answers every query with ``rows`` rows of SPARQL JSON (chunked); ``broken``: the
    answer stops halfway. Notes how many bytes it managed to send."""

    def __init__(self, rows: int, broken: bool = False) -> None:
        super().__init__(AnswerHandler)
        self.rows, self.broken = rows, broken
        self.sent = 0
        self.total = (len(HEAD) + len(TAIL) - 1  # rows are comma-separated
                      + sum(ROW_BYTES + len(str(n)) + 1 for n in range(rows)))
        self.finished = threading.Event()


class AnswerHandler(QuietHandler):
    server: Answers

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        try:
            self._chunk(HEAD)
            rows = self.server.rows // 2 if self.server.broken else self.server.rows
            batch: list[bytes] = []
            for n in range(rows):
                batch.append(row(n) + (b"," if n < self.server.rows - 1 else b""))
                if len(batch) == 500:
                    self._chunk(b"".join(batch))
                    batch = []
            self._chunk(b"".join(batch))
            if not self.server.broken:
                self._chunk(TAIL)
            self.wfile.write(b"0\r\n\r\n")
        except OSError:
            pass  # the client closed the connection: it has what it needs
        finally:
            self.close_connection = True
            self.server.finished.set()

    def _chunk(self, data: bytes) -> None:
        if data:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            self.wfile.flush()
            self.server.sent += len(data)


@pytest.fixture
def serve() -> Iterator[list[Answers]]:
    servers: list[Answers] = []
    yield servers
    for server in servers:
        server.stop()


def ask(server: Answers, max_results: int) -> QueryOutcome:
    server.start()
    executor = RemoteQueryExecutor(Endpoint("generic", server.url), timeout=WAIT_S,
                                   release=lambda: Release("r", ()))
    try:
        return asyncio.run(executor.run(QueryJob("SELECT ?a WHERE { ?a ?p ?o }",
                                                 solutions_format="tsv",
                                                 max_results=max_results)))
    finally:
        executor.close()


def test_a_small_answer_is_read_whole(serve: list[Answers]) -> None:
    serve.append(server := Answers(rows=3))
    assert server.total < INLINE_ANSWER_BYTES
    outcome = ask(server, max_results=10)
    assert (outcome.kind, outcome.count, outcome.truncated) == ("ok", 3, False)
    assert outcome.body.decode().splitlines()[1:] == [
        f"<http://example.org/r{n}>" for n in range(3)]


def test_a_large_answer_within_the_cap_streams_whole(serve: list[Answers]) -> None:
    serve.append(server := Answers(rows=8000))
    assert server.total > INLINE_ANSWER_BYTES  # past what is read whole
    outcome = ask(server, max_results=10_000)
    assert (outcome.kind, outcome.count, outcome.truncated) == ("ok", 8000, False)
    assert outcome.body.decode().splitlines()[-1] == "<http://example.org/r7999>"


def test_a_large_answer_is_cut_at_the_cap_and_never_read_to_its_end(
        serve: list[Answers]) -> None:
    serve.append(server := Answers(rows=1_000_000))  # ~50 MB: more than any socket buffers
    outcome = ask(server, max_results=20)
    assert (outcome.kind, outcome.count, outcome.truncated) == ("ok", 20, True)
    assert server.finished.wait(WAIT_S), "the engine was left sending"
    assert server.sent < server.total // 2


@pytest.mark.parametrize("rows", [4, 8000], ids=["small", "large"])
def test_an_answer_broken_off_is_an_error_that_says_so(serve: list[Answers], rows: int) -> None:
    serve.append(server := Answers(rows=rows, broken=True))
    outcome = ask(server, max_results=10_000)
    assert outcome.kind == "error"
    assert outcome.message.startswith("unreadable answer from the SPARQL engine")
