"""``/sparql`` on a SPARQL engine: the ``QueryExecutor`` of the web layer.

A job is checked here first, on the same real parse as in the embedded store's workers
(``query_check``: updates, LOAD and SERVICE are refused before anything is sent, and the
engine is given exactly the text that was checked), then sent with its dataset
(``remote_protocol.plan``) and the engine's own time limit, and read as it streams in: a
transfer thread (libcurl, ``engine_http``) hands the answer's chunks to a parser thread,
which parses them with pyoxigraph and cuts them with ``capped_tsv`` exactly as a query
worker does, so the engine's answer is never read past ``max_results + 1`` rows or
triples. At the deadline, or when the request goes away, the transfer is cut (its
connection dropped) and the outcome is ``timeout``.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from io import BytesIO
from itertools import islice
from typing import BinaryIO
from urllib.parse import urlencode

import pyoxigraph as ox

from ogpgraph.store.engine_http import (
    EngineAnswer,
    EngineBusy,
    EngineClient,
    EngineTimeout,
    EngineUnreachable,
)
from ogpgraph.store.engines import SPARQL_JSON, Endpoint
from ogpgraph.store.executor import timeout_message
from ogpgraph.store.query_check import CheckedQuery, QueryRefused, check_dataset, check_query
from ogpgraph.store.query_jobs import (
    GRAPH_SERIALISERS,
    PREFIXED_FORMATS,
    SOLUTION_SERIALISERS,
    QueryJob,
    QueryOutcome,
    boolean_json,
    capped_tsv,
    convert_results,
    refusal_outcome,
)
from ogpgraph.store.remote_protocol import (
    FORM_RESULT_KIND,
    BooleanDigits,
    Release,
    ResultKind,
    accept_for,
    engine_message,
    is_partial,
    names_internal_graph,
    outcome_kind,
    plan,
    results_format,
    timeout_form,
)
from ogpgraph.store.unsendable import dropped_here

FORM = "application/x-www-form-urlencoded"
INTERNAL_REFUSED = ("the query names a graph of ogpgraph's own bookkeeping (urn:ogpgraph:…), "
                    "which is not part of the published dataset")
_QUEUED_CHUNKS = 64
# an answer up to this size is read whole and parsed in the transfer thread: one thread
# hand-over less (most answers are far smaller); past it, it streams to a parser thread
INLINE_ANSWER_BYTES = 1 << 18
CHECKED_KEPT = 2048  # accepted query texts remembered (a repeat skips the check's thread)
_PUT_WAIT_S = 0.05  # a full queue is looked at again this often for done / stop


class _StreamReader:
    """A blocking file-like object that a parser thread reads while the event loop feeds
    it the response's chunks."""

    def __init__(self) -> None:
        self._chunks: queue.Queue[bytes | None] = queue.Queue(maxsize=_QUEUED_CHUNKS)
        self._pending = b""
        self._ended = False

    def feed(self, chunk: bytes) -> bool:
        """False when full (the caller waits and tries again)."""
        try:
            self._chunks.put_nowait(chunk)
        except queue.Full:
            return False
        return True

    def put(self, chunk: bytes, done: threading.Event, stop: threading.Event) -> bool:
        """``chunk`` handed over, waiting while the reader is behind; False once the reader
        is ``done`` (it needs no more) or the transfer is to ``stop``."""
        while chunk:
            if done.is_set() or stop.is_set():
                return False
            try:
                self._chunks.put(chunk, timeout=_PUT_WAIT_S)
                break
            except queue.Full:
                continue
        return not (done.is_set() or stop.is_set())

    def end(self, done: threading.Event) -> None:
        """No more data: EOF for the reader (an unfinished document is a parse error).
        While the reader still reads, the mark waits for room behind what it has yet to
        read; once it is ``done`` (it needs no more), room is made by dropping chunks it
        will never read. (Dropping them while it still read cut rows out of the middle of
        large answers: a parse error, or fewer rows.)"""
        while True:
            try:
                self._chunks.put(None, timeout=_PUT_WAIT_S)
                return
            except queue.Full:
                if done.is_set():
                    with contextlib.suppress(queue.Empty):
                        self._chunks.get_nowait()

    def read(self, size: int = -1) -> bytes:
        while not self._pending and not self._ended:
            chunk = self._chunks.get()
            if chunk is None:
                self._ended = True
            else:
                self._pending = chunk
        if size is None or size < 0:
            size = len(self._pending)
        data, self._pending = self._pending[:size], self._pending[size:]
        return data


@dropped_here  # it runs in a parser thread: its results must not leave it
def cut_answer(reader: _StreamReader | BinaryIO, kind: ResultKind, media_type: str,
               job: QueryJob) -> QueryOutcome:
    """The engine's answer parsed and cut as ``sparql_results.execute_job`` cuts it."""
    if kind == "boolean":
        value = bool(ox.parse_query_results(reader, format=ox.QueryResultsFormat.JSON))
        return QueryOutcome("ok", "boolean", job.solutions_format,
                            convert_results(boolean_json(value), job.solutions_format), count=1)
    if kind == "solutions":
        solutions = ox.parse_query_results(reader, format=results_format(media_type))
        tsv, count, truncated = capped_tsv(solutions, job.max_results)
        body = tsv if job.solutions_format == "tsv" else ox.parse_query_results(
            tsv, format=ox.QueryResultsFormat.TSV).serialize(
            format=SOLUTION_SERIALISERS[job.solutions_format])
        return QueryOutcome("ok", "solutions", job.solutions_format, body, count=count,
                            truncated=truncated)
    triples = list(islice(ox.parse(reader, format=ox.RdfFormat.N_TRIPLES), job.max_results + 1))
    truncated = len(triples) > job.max_results
    triples = triples[: job.max_results]
    prefixes = job.prefixes if job.graph_format in PREFIXED_FORMATS else None
    body = ox.serialize(triples, format=GRAPH_SERIALISERS[job.graph_format],
                        prefixes=prefixes) or b""
    return QueryOutcome("ok", "graph", job.graph_format, body, count=len(triples),
                        truncated=truncated)


class RemoteQueryExecutor:
    """Implements ``ogpgraph.store.executor.QueryExecutor`` on a SPARQL engine."""

    def __init__(self, endpoint: Endpoint, timeout: float, release: Callable[[], Release],
                 max_connections: int = 8) -> None:
        self.endpoint = endpoint
        self.timeout = timeout
        self.release = release
        self.max_connections = max_connections
        self.client = EngineClient(timeout + 1.0, max_connections,
                                   connect_timeout=min(timeout, 5.0))
        # checks and parsers; transfers apart, as one waiting for a connection must not
        # hold up the parser of one that has a connection
        self._threads = ThreadPoolExecutor(max_workers=max_connections,
                                           thread_name_prefix="sparql-remote")
        self._transfers = ThreadPoolExecutor(max_workers=2 * max_connections,
                                             thread_name_prefix="sparql-transfer")
        self._checked: dict[str, CheckedQuery] = {}  # texts checked and accepted

    async def run(self, job: QueryJob) -> QueryOutcome:
        try:
            checked = self._checked.get(job.query)
            if checked is None:  # a new text: checked in a thread (~10 ms, more if huge)
                async with asyncio.timeout(self.timeout):  # counted against the deadline
                    checked = await asyncio.get_running_loop().run_in_executor(
                        self._threads, check_query, job.query)
                if len(self._checked) >= CHECKED_KEPT:
                    self._checked.clear()
                self._checked[job.query] = checked
        except QueryRefused as refusal:  # never runs Oxigraph here: this process has a network
            return refusal_outcome(refusal, engine_messages=False)
        except TimeoutError:
            return QueryOutcome("timeout", message=timeout_message(self.timeout))
        if names_internal_graph(checked.text, job.default_graph_uris + job.named_graph_uris):
            return QueryOutcome("refused", message=INTERNAL_REFUSED)
        job = replace(job, query=checked.text)
        try:
            async with asyncio.timeout(self.timeout):
                return await self._ask(job, checked)
        except (TimeoutError, EngineTimeout):
            return QueryOutcome("timeout", message=timeout_message(self.timeout))
        except EngineBusy:
            return QueryOutcome("busy", message="all connections to the SPARQL engine are "
                                                "busy: try again shortly")
        except EngineUnreachable as exc:
            return QueryOutcome("error", message=f"the SPARQL engine did not answer: {exc}")

    async def _ask(self, job: QueryJob, checked: CheckedQuery) -> QueryOutcome:
        profile, kind = self.endpoint.profile, FORM_RESULT_KIND[checked.form]
        try:
            release = self.release()
        except RuntimeError as exc:  # no release loaded, or the engine unreachable
            return QueryOutcome("error", message=str(exc))
        try:  # the same rule as the embedded store's: only the release's graphs
            check_dataset(checked, job.default_graph_uris, job.named_graph_uris,
                          release.named_graphs.__contains__)
        except QueryRefused as refusal:
            return refusal_outcome(refusal, engine_messages=False)
        request = plan(profile, job.query, release, job.default_graph_uris,
                       job.named_graph_uris)
        accept = accept_for(profile, kind)
        form = urlencode(request.form() + timeout_form(profile, self.timeout))
        reader, stop = _StreamReader(), threading.Event()
        transfer = asyncio.get_running_loop().run_in_executor(
            self._transfers, self._transfer, form, accept, kind, job, reader, stop)
        try:  # the transfer ends the reader's stream itself, whichever way it ends
            answer, parsed = await transfer
        except BaseException:  # the deadline, or the request went away: cut the transfer
            stop.set()
            raise
        if answer.status != 200:
            return QueryOutcome(outcome_kind(answer.status),
                                message=engine_message(answer.status, answer.body))
        if parsed is None:  # a partial answer (the engine's own limit): never read
            return QueryOutcome("timeout", message=timeout_message(self.timeout))
        if isinstance(parsed, QueryOutcome):
            return parsed
        try:
            return await asyncio.wrap_future(parsed)
        except (SyntaxError, ValueError, OSError) as exc:
            return _unreadable(exc)

    def _transfer(self, form: str, accept: str, kind: ResultKind, job: QueryJob,
                  reader: _StreamReader, stop: threading.Event
                  ) -> tuple[EngineAnswer, QueryOutcome | Future[QueryOutcome] | None]:
        """In a thread: the engine's answer, and what was read from it: parsed here once
        whole if it is small (no second thread), else fed to a parser thread as it comes
        until that needs no more; None if the answer was not to be read."""
        profile = self.endpoint.profile
        fix = (BooleanDigits() if profile.boolean_digits and accept == SPARQL_JSON else None)
        parsed, held = threading.Event(), bytearray()
        parser: list[Future[QueryOutcome]] = []

        def wanted(status: int, headers: Mapping[str, str]) -> bool:
            return status == 200 and not is_partial(profile, headers)

        def receive(chunk: bytes) -> bool:
            chunk = fix.push(chunk) if fix else chunk
            if not parser:
                held.extend(chunk)
                if len(held) <= INLINE_ANSWER_BYTES:
                    return True
                parser.append(self._threads.submit(_parse, reader, kind, accept, job, parsed))
                chunk = bytes(held)
            return reader.put(chunk, parsed, stop)

        try:
            answer = self.client.post_form_streamed(
                self.endpoint.query_url, form, accept, wanted=wanted, receive=receive,
                stop=stop, timeout=self.timeout + 1.0)  # just past the deadline
            if not wanted(answer.status, answer.headers):
                return answer, None
            if parser:
                if fix and not answer.cut:
                    reader.put(fix.flush(), parsed, stop)
                return answer, parser[0]
            whole = BytesIO(bytes(held) + (fix.flush() if fix else b""))
            try:
                return answer, cut_answer(whole, kind, accept, job)
            except (SyntaxError, ValueError, OSError) as exc:
                return answer, _unreadable(exc)
        finally:
            reader.end(parsed)

    def close(self) -> None:
        """Stop the transfer and parser threads and close the connections."""
        self._threads.shutdown(wait=False, cancel_futures=True)
        self._transfers.shutdown(wait=False, cancel_futures=True)
        self.client.close()

    async def aclose(self) -> None:
        self.close()


def _unreadable(exc: BaseException) -> QueryOutcome:
    return QueryOutcome("error", message=f"unreadable answer from the SPARQL engine: {exc}")


@dropped_here  # it runs in a parser thread: its results must not leave it
def _parse(reader: _StreamReader, kind: ResultKind, media_type: str, job: QueryJob,
           done: threading.Event) -> QueryOutcome:
    try:
        return cut_answer(reader, kind, media_type, job)
    finally:
        done.set()
