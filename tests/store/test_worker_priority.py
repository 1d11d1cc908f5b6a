"""Query workers start at the web process's priority (a cheap query waits for no other
work on the machine), are lowered to +5 while a query runs past ``early_after``, and
raised back after it where this process may (tests run as root here; elsewhere the
worker stays at +5)."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable

import pyoxigraph as ox
import pytest

from ogpgraph.store.oxigraph_store import OxigraphStore
from ogpgraph.store.query_jobs import QueryJob
from ogpgraph.store.worker_pool import EARLY_NICE, WorkerPoolExecutor

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # 60³ rows


def small_store() -> OxigraphStore:
    store = ox.Store()
    for n in range(60):
        store.add(ox.Quad(ox.NamedNode(f"http://x/s{n}"), ox.NamedNode("http://x/p"),
                          ox.Literal(str(n)), ox.DefaultGraph()))
    return OxigraphStore(store, union_materialised=True)


def wait_until(condition: Callable[[], bool], seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.005)
    return condition()


def nice_of(pid: int) -> int:
    return os.getpriority(os.PRIO_PROCESS, pid)


@pytest.mark.skipif(os.geteuid() != 0, reason="raising a priority back needs root here")
def test_a_worker_is_lowered_during_a_query_and_raised_back_after_it() -> None:
    executor = WorkerPoolExecutor(small_store(), 1, 30.0, early_after=0.01, demote_after=30.0)
    ours = nice_of(0)
    try:
        (pid,) = executor.pids
        assert nice_of(pid) == ours  # a fresh worker: the web process's own priority

        async def scenario() -> tuple[bool, str]:
            query = asyncio.ensure_future(executor.run(QueryJob(query=SLOW)))
            lowered = await asyncio.to_thread(
                wait_until, lambda: nice_of(pid) == ours + EARLY_NICE or query.done())
            return lowered and not query.done(), (await query).kind

        lowered, kind = asyncio.run(scenario())
        assert (lowered, kind) == (True, "ok")
        assert executor.pids == [pid]  # the same worker, not replaced ...
        assert nice_of(pid) == ours  # ... at its first priority again
    finally:
        executor.close()
