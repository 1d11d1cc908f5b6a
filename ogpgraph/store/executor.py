"""Where public queries run: sandboxed worker processes that are killed at their deadline.

pyoxigraph cannot interrupt a query, so a query that may run for ever runs in a child
process: ``worker_pool.WorkerPoolExecutor`` (workers forked by a fork server, see
``fork_server.py``; a worker's own side is ``worker_process.py``). ``make_executor`` picks
it from the settings.

``InProcessExecutor`` (``query_workers=0``) runs queries in a thread of this process:
the client still gets its 503 at the deadline, but the query cannot be stopped, nor its
memory bounded.
"""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol

from ogpgraph.config import Settings
from ogpgraph.store.oxigraph_store import OxigraphStore
from ogpgraph.store.query_jobs import QueryJob, QueryOutcome
from ogpgraph.store.worker_pool import WorkerPoolExecutor, timeout_message
from ogpgraph.store.worker_process import run_job

__all__ = ["InProcessExecutor", "QueryExecutor", "WorkerPoolExecutor", "make_executor",
           "run_job", "timeout_message"]


class QueryExecutor(Protocol):
    async def run(self, job: QueryJob) -> QueryOutcome: ...

    def close(self) -> None: ...


class InProcessExecutor:
    """Queries in a thread of the web process (workers disabled)."""

    def __init__(self, store: OxigraphStore, timeout: float, threads: int = 4) -> None:
        self.store = store
        self.timeout = timeout
        self._threads = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="sparql")

    async def run(self, job: QueryJob) -> QueryOutcome:
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self._threads, run_job, self.store, job)
        arrived = job.arrived if job.arrived is not None else time.monotonic()
        try:
            return await asyncio.wait_for(future, max(0.0, arrived + self.timeout
                                                      - time.monotonic()))
        except TimeoutError:
            return QueryOutcome("timeout", message=timeout_message(self.timeout))

    def close(self) -> None:
        self._threads.shutdown(wait=False, cancel_futures=True)


def make_executor(store: OxigraphStore, settings: Settings) -> QueryExecutor:
    if settings.query_workers <= 0:
        return InProcessExecutor(store, settings.query_timeout)
    return WorkerPoolExecutor(
        store, settings.query_workers, settings.query_timeout,
        max_workers=settings.query_max_workers, queue=settings.query_queue,
        memory_mb=settings.query_memory_mb)
