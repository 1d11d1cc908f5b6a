"""The release served from a SPARQL 1.1 engine: ``RemoteStore`` (the ``GraphStore`` the
pages and documents use) and, for ``/sparql``, ``RemoteQueryExecutor``; ``open_store``
gives both for a store URL (``ogpgraph/store/engines.py``), and ``load_release``
(``ogpgraph/store/remote_load.py``) puts a release into the engine.

The union rule
--------------
The default graph users query is the union of the release's named graphs, **each fact
once**. No engine's own union is relied on, because none gives that:

- Virtuoso's default graph (no ``default-graph-uri``, no ``FROM``) is every graph it holds,
  its system graphs included (``virtrdf#``, ...), and a fact stated by two sources is
  found twice;
- Oxigraph's ``--union-default-graph`` / ``union-default-graph`` and Fuseki's
  ``tdb:unionDefaultGraph`` visit a fact once per graph that states it, so a pattern
  matches it as many times (a COUNT is too high, a CONSTRUCT repeats itself).

So the loader stores the union (the release's ``ogpgraph.nt.gz``, where each fact is
once) as a graph of its own (``Release.union_graph``, named by the release's description),
and every query without a dataset of its own is sent with it as ``default-graph-uri``.
When it reads named graphs (``GRAPH``), ``GRAPH ?g`` ranges over exactly the graphs it
ranges over in the embedded store, the release's (the source IRIs
``{base}id/source/{kind}-{sha}`` and ``{base}graph/…``): sent as one ``named-graph-uri``
each, or, for Virtuoso, joined in the query with the release's graph list
(``remote_protocol.plan_by_join``). A query with its own ``FROM``/``FROM NAMED``, or a
request with the protocol's dataset, is sent as it is.

Per engine, what else is needed for the same answers (``engines.PROFILES``):

- Virtuoso: ``GRAPH ?g`` with no named graphs in the dataset ranges over all of its
  graphs, where the standard (and Oxigraph) says none: such requests name one graph that
  never exists (``urn:ogpgraph:no-graph``), as ``named-graph-uri`` or as an added
  ``FROM NAMED``. ``DESCRIBE`` gives incoming triples too: it is sent with
  ``DEFINE sql:describe-mode "CBD"``, which gives what Oxigraph gives. Its TSV writes IRIs
  as quoted strings, so solutions are read as SPARQL JSON. At its query limit it answers
  200 with a partial result (``X-SQL-State: S1TAT``): that is taken as a timeout.
- Oxigraph server: standard as it is; its query limit is the server's ``--timeout-s``.
- Fuseki: standard as it is; ``timeout`` (seconds) per query.

Queries that name ogpgraph's own graphs (``urn:ogpgraph:…``) are refused: the embedded
store has no such graphs.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlencode

import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import Node

from ogpgraph.graph.convert import rdflib_graph, rdflib_rows
from ogpgraph.store.engine_http import EngineClient, EngineUnreachable
from ogpgraph.store.engines import SPARQL_JSON, Endpoint, parse_store_url
from ogpgraph.store.remote_executor import RemoteQueryExecutor
from ogpgraph.store.remote_protocol import (
    FORM_RESULT_KIND,
    RELEASE_GRAPH,
    RELEASE_QUERY,
    UNION_GRAPH,
    BooleanDigits,
    Plan,
    Release,
    accept_for,
    engine_message,
    is_partial,
    plan,
    release_from,
    result_kind,
    results_format,
    timeout_form,
)
from ogpgraph.store.sparql_text import query_form
from ogpgraph.store.unsendable import dropped_here

PAGE_TIMEOUT_S = 30.0


class RemoteStoreError(RuntimeError):
    """The engine could not answer a page's query (unreachable, refused, timed out)."""


class RemoteStore:
    """Implements :class:`ogpgraph.store.base.GraphStore` over an engine's query endpoint.

    One ``EngineClient`` (reused libcurl handles; thread-safe: pages ask from several
    threads). The release served is read from the engine once, and again on ``refresh()``."""

    def __init__(self, endpoint: Endpoint, timeout: float = PAGE_TIMEOUT_S,
                 max_connections: int = 8, release: Release | None = None) -> None:
        self.endpoint = endpoint
        self.timeout = timeout
        self.client = EngineClient(timeout, max_connections)
        self._release = release
        self._lock = threading.Lock()
        self._max_connections = max_connections
        self._pool: ThreadPoolExecutor | None = None  # made on first use (after any fork)

    # -- the release served -------------------------------------------------------------

    @property
    def release(self) -> Release:
        if self._release is None:
            with self._lock:
                if self._release is None:
                    self._release = self.read_release()
        if self._release is None:
            raise RemoteStoreError(f"no ogpgraph release is loaded in {self.endpoint.query_url}"
                                   " (load one with ogpgraph.store.remote_load.load_release)")
        return self._release

    def read_release(self) -> Release | None:
        """The release the engine serves now, from its description graph."""
        body = self._post(Plan(RELEASE_QUERY, (RELEASE_GRAPH,)), SPARQL_JSON)
        return release_from(ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON))

    def select_raw(self, query: str, default_graphs: tuple[str, ...] = (),
                   named_graphs: tuple[str, ...] = ()) -> list[ox.QuerySolution]:
        """A SELECT sent with exactly this dataset (none: the engine's own), for the loader."""
        accept = self.endpoint.profile.solutions_type
        body = self._post(Plan(query, default_graphs, named_graphs), accept)
        return list(ox.parse_query_results(body, format=results_format(accept)))

    def refresh(self) -> Release | None:
        """Read the release again (after a load); returns it."""
        release = self.read_release()
        with self._lock:
            self._release = release
        return release

    @property
    def manifest(self) -> dict[str, Any]:
        return self.release.manifest

    # -- queries ------------------------------------------------------------------------

    def _post(self, request: Plan, accept: str) -> bytes:
        profile = self.endpoint.profile
        form = request.form() + timeout_form(profile, self.timeout)
        try:
            answer = self.client.post_form(self.endpoint.query_url, urlencode(form), accept)
        except EngineUnreachable as exc:
            raise RemoteStoreError(str(exc)) from exc
        if answer.status == 400:
            raise SyntaxError(engine_message(400, answer.body))
        if answer.status != 200:
            raise RemoteStoreError(f"{self.endpoint.query_url} answered {answer.status}:"
                                   f" {engine_message(answer.status, answer.body)}")
        if is_partial(profile, answer.headers):
            raise RemoteStoreError(f"{self.endpoint.query_url}: the query ran out of time")
        if profile.boolean_digits and accept == SPARQL_JSON:
            fix = BooleanDigits()
            return fix.push(answer.body) + fix.flush()
        return answer.body

    def query(self, query: str) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """pyoxigraph's result types, as ``OxigraphStore.query`` returns them."""
        form = query_form(query)  # the pages' own queries: no parse needed (4 ms each)
        kind = FORM_RESULT_KIND[form] if form else result_kind(query)
        accept = accept_for(self.endpoint.profile, kind)
        body = self._post(plan(self.endpoint.profile, query, self.release), accept)
        if kind == "graph":
            return ox.parse(body, format=ox.RdfFormat.N_TRIPLES)  # type: ignore[return-value]
        return ox.parse_query_results(body, format=results_format(accept))

    # The results are read by functions of their own: ``query`` parses the query with
    # rdflib, whose pyparsing leaves reference cycles through the frames that called it,
    # freed by the garbage collector on whatever thread it runs; a frame of ``select``
    # holding the results would have them dropped there (see unsendable.py).
    @dropped_here
    def select(self, query: str) -> list[dict[str, Node]]:
        return _rows(self.query(query))

    @dropped_here
    def ask(self, query: str) -> bool:
        return bool(self.query(query))

    @dropped_here
    def construct(self, query: str) -> Graph:
        return rdflib_graph(self.query(query))  # type: ignore[arg-type]

    def triple_count(self) -> int:
        """Triples of the union graph (the manifest's count when it has one)."""
        known = self.manifest.get("triples")
        if known is not None:
            return int(known)
        rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(rows[0]["n"])

    def quad_count(self) -> int:
        """Quads of the named graphs (the union graph not counted)."""
        known = self.manifest.get("quads")
        if known is not None:
            return int(known)
        rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(rows[0]["n"])

    def gather(self, calls: Sequence[Callable[[], Any]]) -> list[Any]:
        """The calls at once, on this store's threads: a page's independent queries wait
        on their round trips together rather than in turn."""
        if len(calls) < 2:
            return [call() for call in calls]
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self._max_connections,
                                                thread_name_prefix="ogpgraph-remote")
        # the first on this thread, once the others are handed out: one wake-up fewer
        futures = [self._pool.submit(call) for call in calls[1:]]
        try:
            first = calls[0]()
        except BaseException:
            for future in futures:
                future.cancel()
            raise
        return [first, *(future.result() for future in futures)]

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
        self.client.close()


def _rows(solutions: object) -> list[dict[str, Node]]:
    if not isinstance(solutions, ox.QuerySolutions):
        raise ValueError("select() needs a SELECT query")
    return rdflib_rows(solutions)


def open_store(url: str, *, query_timeout: float = 10.0, page_timeout: float = PAGE_TIMEOUT_S,
               max_connections: int = 8) -> tuple[RemoteStore, RemoteQueryExecutor]:
    """The store for pages and documents, and the executor for ``/sparql``, on the engine
    named by ``url`` (see ``engines.parse_store_url``). Both read the same release; call
    ``store.refresh()`` when a new one has been loaded."""
    endpoint = parse_store_url(url)
    store = RemoteStore(endpoint, timeout=page_timeout, max_connections=max_connections)
    executor = RemoteQueryExecutor(endpoint, timeout=query_timeout,
                                   release=lambda: store.release,
                                   max_connections=max_connections)
    return store, executor


__all__ = ["UNION_GRAPH", "RemoteQueryExecutor", "RemoteStore", "RemoteStoreError", "open_store"]
