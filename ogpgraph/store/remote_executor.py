"""``/sparql`` on a SPARQL engine: the ``QueryExecutor`` of the web layer, over async httpx.

A job is checked here first, on the same real parse as in the embedded store's workers
(``query_check``: updates, LOAD and SERVICE are refused before anything is sent, and the
engine is given exactly the text that was checked), then sent with its dataset
(``remote_protocol.plan``) and the engine's own time limit, and read as it streams in: a
thread parses the engine's answer with pyoxigraph and cuts it with ``capped_tsv`` exactly
as a query worker does, so the engine's answer is never read past ``max_results + 1`` rows
or triples. At the deadline the request is closed (its connection dropped) and the
outcome is ``timeout``.
"""

from __future__ import annotations

import asyncio
import queue
import weakref
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from itertools import islice
from urllib.parse import urlencode

import httpx
import pyoxigraph as ox

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
_ERROR_BODY_BYTES = 1 << 16
_QUEUED_CHUNKS = 64


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

    def end(self) -> None:
        """No more data: EOF for the reader (an unfinished document is a parse error)."""
        while True:
            try:
                self._chunks.put_nowait(None)
                return
            except queue.Full:  # the reader stopped reading: make room for the mark
                try:
                    self._chunks.get_nowait()
                except queue.Empty:
                    pass

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
def cut_answer(reader: _StreamReader, kind: ResultKind, media_type: str,
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
        # one client per event loop: pooled connections belong to the loop that opened them
        self._clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, httpx.AsyncClient]
        self._clients = weakref.WeakKeyDictionary()
        self._threads = ThreadPoolExecutor(max_workers=max_connections,
                                           thread_name_prefix="sparql-remote")

    def client(self) -> httpx.AsyncClient:
        """This event loop's client (httpx's own limits sit just past the deadline)."""
        loop = asyncio.get_running_loop()
        client = self._clients.get(loop)
        if client is None or client.is_closed:
            client = httpx.AsyncClient(
                timeout=httpx.Timeout(self.timeout + 1.0, connect=min(self.timeout, 5.0)),
                limits=httpx.Limits(max_connections=self.max_connections,
                                    max_keepalive_connections=self.max_connections))
            self._clients[loop] = client
        return client

    async def run(self, job: QueryJob) -> QueryOutcome:
        try:
            async with asyncio.timeout(self.timeout):  # the check counts against the deadline
                checked = await asyncio.get_running_loop().run_in_executor(
                    self._threads, check_query, job.query)
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
        except TimeoutError:
            return QueryOutcome("timeout", message=timeout_message(self.timeout))
        except httpx.PoolTimeout:
            return QueryOutcome("busy", message="all connections to the SPARQL engine are "
                                                "busy: try again shortly")
        except httpx.TimeoutException:
            return QueryOutcome("timeout", message=timeout_message(self.timeout))
        except httpx.HTTPError as exc:
            return QueryOutcome("error", message=f"the SPARQL engine did not answer: "
                                                 f"{type(exc).__name__}: {exc}")

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
        form = request.form() + timeout_form(profile, self.timeout)
        async with self.client().stream(
                "POST", self.endpoint.query_url, content=urlencode(form),
                headers={"Accept": accept, "Content-Type": FORM}) as response:
            if response.status_code != 200:
                body = await _read_some(response)
                return QueryOutcome(outcome_kind(response.status_code),
                                    message=engine_message(response.status_code, body))
            if is_partial(profile, response.headers):
                return QueryOutcome("timeout", message=timeout_message(self.timeout))
            return await self._cut(response, kind, accept, job)

    async def _cut(self, response: httpx.Response, kind: ResultKind, media_type: str,
                   job: QueryJob) -> QueryOutcome:
        """Feed the response to a parser thread until it has what it needs."""
        reader = _StreamReader()
        loop = asyncio.get_running_loop()
        parsed = loop.run_in_executor(self._threads, cut_answer, reader, kind, media_type, job)
        fix = (BooleanDigits() if self.endpoint.profile.boolean_digits
               and media_type == SPARQL_JSON else None)
        try:
            async for chunk in response.aiter_bytes():
                if not await self._feed(reader, fix.push(chunk) if fix else chunk, parsed):
                    break  # enough read: the rest of the answer is never fetched
            else:
                if fix:
                    await self._feed(reader, fix.flush(), parsed)
            reader.end()
            try:
                return await parsed
            except (SyntaxError, ValueError, OSError) as exc:
                return QueryOutcome("error", message=f"unreadable answer from the SPARQL "
                                                     f"engine: {exc}")
        finally:
            reader.end()  # a cancelled request: let the parser thread finish

    @staticmethod
    async def _feed(reader: _StreamReader, chunk: bytes, parsed: asyncio.Future) -> bool:
        """Hand ``chunk`` to the parser; False once the parser needs no more."""
        while chunk and not reader.feed(chunk):
            if parsed.done():
                return False
            await asyncio.sleep(0.002)
        return not parsed.done()

    def close(self) -> None:
        """Stop the parser threads; each loop's connections close with their loop (or with
        ``aclose`` on it)."""
        self._threads.shutdown(wait=False, cancel_futures=True)
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        client = self._clients.pop(loop, None)
        if client is not None:
            self._closing = loop.create_task(client.aclose())

    async def aclose(self) -> None:
        """Close this loop's connections and stop the parser threads."""
        client = self._clients.pop(asyncio.get_running_loop(), None)
        if client is not None:
            await client.aclose()
        self._threads.shutdown(wait=False, cancel_futures=True)


async def _read_some(response: httpx.Response) -> bytes:
    body = b""
    async for chunk in response.aiter_bytes():
        body += chunk
        if len(body) >= _ERROR_BODY_BYTES:
            break
    return body
