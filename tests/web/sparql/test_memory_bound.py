"""A worker's memory is bounded (issue 15, item 3).

Reproduction: ``SELECT ?a ?d WHERE {?a ?b ?c . ?d ?e ?f} ORDER BY ?c ?f LIMIT 1`` sorts every
pair of triples: on 1,500 triples, 2.25 million solutions held whole (630 MB and 26 s
unbounded). With a 64 MB bound it is stopped long before, answered 503 with the cause, and
its worker replaced and logged.
"""

from __future__ import annotations

import asyncio

import httpx
import pyoxigraph as ox
from processes import wait_until
from sparql_fixture import BASE, fixture_app

from ogpgraph.config import Settings
from ogpgraph.store.executor import WorkerPoolExecutor
from ogpgraph.store.oxigraph_store import OxigraphStore
from ogpgraph.store.query_jobs import QueryJob
from ogpgraph.web.app import create_app
from ogpgraph.web.published import PublishedBuild
from ogpgraph.web.sparql.endpoint import close_executor

EX = "http://example.org/"
ORDERED_PAIRS = "SELECT ?a ?d WHERE {?a ?b ?c . ?d ?e ?f} ORDER BY ?c ?f LIMIT 1"
BOUND_MB = 64


def triples(n: int) -> OxigraphStore:
    store = ox.Store()
    store.extend([ox.Quad(ox.NamedNode(f"{EX}s{i}"), ox.NamedNode(f"{EX}p{i % 7}"),
                          ox.Literal(f"value {i}"), ox.DefaultGraph()) for i in range(n)])
    return OxigraphStore(store)


def test_a_query_past_the_bound_is_stopped_and_its_worker_replaced(caplog) -> None:
    executor = WorkerPoolExecutor(triples(1500), workers=1, timeout=60, memory_mb=BOUND_MB)
    try:
        (old,) = executor.pids
        outcome = asyncio.run(executor.run(QueryJob(query=ORDERED_PAIRS, client="10.1.2.3")))
        assert outcome.kind == "memory", outcome
        assert f"needed more than {BOUND_MB} MB" in outcome.message
        assert "OGPGRAPH_QUERY_MEMORY" in outcome.message
        assert wait_until(lambda: len(executor.pids) == 1 and old not in executor.pids)
        assert any(f"query worker {old} died: out of memory" in r.getMessage()
                   and "10.1.2.3" in r.getMessage() for r in caplog.records)
        again = asyncio.run(executor.run(QueryJob(query="ASK { ?s ?p ?o }")))
        assert again.kind == "ok"
    finally:
        executor.close()


def test_the_bound_is_beyond_the_shared_store() -> None:
    """The store is counted in the worker's size at the start of a query, so a bound far
    smaller than the store still lets every ordinary query run."""
    store = triples(200_000)  # ~100 MB of store, more than the bound
    executor = WorkerPoolExecutor(store, workers=1, timeout=60, memory_mb=BOUND_MB)
    try:
        outcome = asyncio.run(executor.run(QueryJob(
            query="SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", solutions_format="csv")))
        assert outcome.kind == "ok" and outcome.body.split()[-1] == b"200000"
    finally:
        executor.close()


def test_over_http_the_answer_is_503_with_the_cause() -> None:
    settings = Settings(base_uri=BASE, query_workers=1, query_memory_mb=BOUND_MB,
                        query_timeout=60)
    app = create_app(settings, PublishedBuild(store=triples(1500), base=BASE))

    async def ask() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.get("/sparql", params={"query": ORDERED_PAIRS},
                                    headers={"Accept": "application/sparql-results+json"})

    try:
        response = asyncio.run(ask())
    finally:
        close_executor(app)
    assert response.status_code == 503
    assert f"the query needed more than {BOUND_MB} MB" in response.text


def test_named_graph_queries_open_the_disk_store_outside_the_bound() -> None:
    """Opening the on-disk store reserves ~400 MB of address space: far past a 64 MB
    bound, so it is opened with the bound lifted, and the query still answers."""
    app = fixture_app("named graphs on disk", query_workers=1, query_memory_mb=BOUND_MB)

    async def ask() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.get("/sparql", params={
                "query": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
                "format": "csv"})

    try:
        response = asyncio.run(ask())
    finally:
        close_executor(app)
    assert response.status_code == 200, response.text
    assert int(response.text.split()[-1]) > 0


def test_the_settings_are_read_from_the_environment(monkeypatch) -> None:
    for name, value in {"OGPGRAPH_QUERY_MEMORY": "300", "OGPGRAPH_QUERY_MAX_WORKERS": "9",
                        "OGPGRAPH_QUERY_QUEUE": "4", "OGPGRAPH_QUERY_PER_CLIENT": "0",
                        "OGPGRAPH_TRUSTED_PROXIES": "10.0.0.1, 10.9.0.0/16"}.items():
        monkeypatch.setenv(name, value)
    settings = Settings.from_env()
    assert (settings.query_memory_mb, settings.query_max_workers, settings.query_queue,
            settings.query_per_client) == (300, 9, 4, 0)
    assert settings.trusted_proxies == ("10.0.0.1", "10.9.0.0/16")
