"""The forked query workers: a job per free worker, a queue handed over without threads,
usable from any event loop."""

from __future__ import annotations

import asyncio

import pyoxigraph as ox

from ogpgraph.store.executor import WorkerPoolExecutor
from ogpgraph.store.oxigraph_store import OxigraphStore
from ogpgraph.store.query_jobs import QueryJob

EX = "http://example.org/"


def small_store() -> ox.Store:
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode(f"{EX}s"), ox.NamedNode(f"{EX}p"), ox.Literal("o"),
                      ox.NamedNode(f"{EX}g")))
    return store


def test_more_jobs_than_workers_all_answer() -> None:
    executor = WorkerPoolExecutor(OxigraphStore(small_store()), workers=1, timeout=10)
    try:
        async def many() -> list[str]:
            jobs = [executor.run(QueryJob(query="ASK { ?s ?p ?o }")) for _ in range(6)]
            return [outcome.kind for outcome in await asyncio.gather(*jobs)]

        assert asyncio.run(many()) == ["ok"] * 6
    finally:
        executor.close()


def test_one_pool_serves_successive_event_loops() -> None:
    executor = WorkerPoolExecutor(OxigraphStore(small_store()), workers=2, timeout=10)
    try:
        for _ in range(2):  # asyncio.run makes a new loop each time (as tests and uvicorn do)
            outcome = asyncio.run(executor.run(QueryJob(query="SELECT ?o { ?s ?p ?o }")))
            assert outcome.kind == "ok" and outcome.count == 1
    finally:
        executor.close()


def test_a_syntax_error_keeps_the_worker() -> None:
    executor = WorkerPoolExecutor(OxigraphStore(small_store()), workers=1, timeout=10)
    try:
        before = executor.pids
        outcome = asyncio.run(executor.run(QueryJob(query="SELECT WHERE {")))
        assert outcome.kind == "syntax_error"
        assert executor.pids == before
    finally:
        executor.close()


def test_a_cancelled_query_frees_its_worker_by_replacing_it() -> None:
    store = small_store()
    for n in range(200):
        store.add(ox.Quad(ox.NamedNode(f"{EX}s{n}"), ox.NamedNode(f"{EX}p"), ox.Literal(n),
                          ox.NamedNode(f"{EX}g")))
    executor = WorkerPoolExecutor(OxigraphStore(store), workers=1, timeout=30)
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    try:
        before = executor.pids

        async def cancel_then_ask() -> str:
            task = asyncio.ensure_future(executor.run(QueryJob(query=slow)))
            await asyncio.sleep(0.3)
            task.cancel()  # the client went away
            await asyncio.gather(task, return_exceptions=True)
            return (await executor.run(QueryJob(query="ASK { ?s ?p ?o }"))).kind

        assert asyncio.run(cancel_then_ask()) == "ok"
        assert executor.pids != before  # the busy worker was killed, a new one forked
    finally:
        executor.close()


def test_a_waiter_of_a_closed_loop_does_not_swallow_the_worker() -> None:
    executor = WorkerPoolExecutor(OxigraphStore(small_store()), workers=1, timeout=10)
    try:
        gone = asyncio.new_event_loop()
        executor._waiting.append(gone.create_future())  # a request whose loop has ended
        gone.close()
        worker = executor._idle.pop()
        executor._release(worker)  # skips the dead waiter: the worker is idle again
        assert executor._idle == [worker]
        assert asyncio.run(executor.run(QueryJob(query="ASK {}"))).kind == "ok"
    finally:
        executor.close()
