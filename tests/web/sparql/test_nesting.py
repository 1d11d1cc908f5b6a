"""Queries nested too deep never reach the engine; every worker death is logged with its
cause (issue 15, item 6).

Reproduction: a query nested 5,000 deep killed its worker (Oxigraph's recursive parser ran
out of stack: SIGSEGV), answered 500 "worker died", with nothing logged. Chains of
operators do the same: Oxigraph builds them into left-deep trees (4,000 MINUS or BIND,
8,000 UNION or + crashed a worker). Both are refused with 400 in the web process, before
any worker sees them, and again in the worker (the web process's check may be bypassed).
"""

from __future__ import annotations

import asyncio
import os
import signal

import pytest
from fastapi.testclient import TestClient
from processes import wait_until
from sparql_fixture import CARTESIAN, fixture_app, fixture_published

from ogpgraph.store.executor import WorkerPoolExecutor
from ogpgraph.store.query_jobs import QueryJob, QueryOutcome

DEEP = 5000
TOO_DEEP = {
    "braces": "SELECT * WHERE " + "{" * DEEP + "}" * DEEP,
    "brackets": "SELECT * WHERE { FILTER(" + "(" * DEEP + "1" + ")" * DEEP + ") }",
    "blank nodes": ("SELECT * WHERE { ?s <http://e/p> " + "[ <http://e/p> " * DEEP + "?o"
                    + " ]" * DEEP + " }"),
    "MINUS chain": "SELECT * WHERE { ?s ?p ?o " + "MINUS { ?s ?p ?o } " * DEEP + "}",
    "BIND chain": "SELECT * WHERE { " + " ".join(f"BIND(1 AS ?v{i})" for i in range(DEEP))
                  + " }",
    "UNION chain": "SELECT * WHERE { " + " UNION ".join(["{}"] * 2 * DEEP) + " }",
    "sum": "SELECT * WHERE { FILTER(" + "+".join(["1"] * 2 * DEEP) + ") }",
}


class NoWorker:
    """An executor that fails the test if a query reaches it."""

    def __init__(self, store: object) -> None:
        self.store = store
        self.jobs: list[QueryJob] = []

    async def run(self, job: QueryJob) -> QueryOutcome:
        self.jobs.append(job)
        raise AssertionError("the query reached a worker")

    def close(self) -> None:
        pass


@pytest.fixture(scope="module")
def refusing_client():
    app = fixture_app(query_workers=1)
    with TestClient(app) as client:
        app.state.sparql_executor.close()
        app.state.sparql_executor = NoWorker(app.state.published.store)
        yield client


@pytest.mark.parametrize("shape", sorted(TOO_DEEP))
def test_too_deep_is_400_before_any_worker(refusing_client: TestClient, shape: str) -> None:
    response = refusing_client.post("/sparql", content=TOO_DEEP[shape].encode(),
                                    headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 400, response.text
    assert "too deeply nested" in response.text
    assert refusing_client.app.state.sparql_executor.jobs == []


def test_the_worker_refuses_them_too_and_lives() -> None:
    """Past the web process's check (the executor called directly), the worker's own check
    refuses each shape; no worker dies."""
    executor = WorkerPoolExecutor(fixture_published().store, workers=1, timeout=60)
    try:
        before = executor.pids

        async def every_shape() -> list[QueryOutcome]:
            return [await executor.run(QueryJob(query=query)) for query in TOO_DEEP.values()]

        outcomes = asyncio.run(every_shape())
        assert [o.kind for o in outcomes] == ["refused"] * len(TOO_DEEP)
        assert all("too deeply nested" in o.message for o in outcomes)
        assert executor.pids == before
    finally:
        executor.close()


def test_an_ordinary_query_is_not_too_deep(refusing_client: TestClient) -> None:
    from ogpgraph.store.query_check import too_deeply_nested
    from ogpgraph.web.sparql.examples import example_queries

    examples = example_queries("http://127.0.0.1:8000/")
    assert examples and not any(too_deeply_nested(e.query) for e in examples)


def test_a_crashed_worker_is_logged_with_its_signal(caplog) -> None:
    executor = WorkerPoolExecutor(fixture_published().store, workers=1, timeout=60)
    try:
        (pid,) = executor.pids

        async def crash_mid_query() -> QueryOutcome:
            running = asyncio.ensure_future(executor.run(QueryJob(query=CARTESIAN,
                                                                  client="10.4.4.4")))
            await asyncio.sleep(0.3)
            os.kill(pid, signal.SIGSEGV)
            return await running

        outcome = asyncio.run(crash_mid_query())
        assert outcome.kind == "error" and "SIGSEGV" in outcome.message
        assert any(f"query worker {pid} crashed: killed by SIGSEGV (query from 10.4.4.4)"
                   == r.getMessage() for r in caplog.records)
        assert wait_until(lambda: len(executor.pids) == 1 and pid not in executor.pids)
    finally:
        executor.close()
