"""Where public queries run: forked worker processes that are killed at their deadline.

pyoxigraph cannot interrupt a query, so a query that may run for ever runs in a child
process. Workers are forked ('fork' context) from the process that holds the loaded
in-memory store, so they share it copy-on-write and start in milliseconds. One pipe
per worker; a worker that misses its deadline is killed and a fresh one forked. The
event loop only awaits a thread that waits on the pipe, so it never blocks.

``InProcessExecutor`` (``query_workers=0``) runs queries in a thread of this process:
the client still gets its 503 at the deadline, but the query cannot be stopped.
"""

from __future__ import annotations

import asyncio
import multiprocessing as mp
import os
import queue
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Protocol

import pyoxigraph as ox

from ogpgraph.web.sparql_results import QueryJob, QueryOutcome, execute_job

PARENT_CHECK_SECONDS = 1.0  # how soon an orphaned worker notices and exits


def timeout_message(seconds: float) -> str:
    return (f"query stopped: it ran longer than the {seconds:g} s limit "
            "(OGPGRAPH_QUERY_TIMEOUT). Narrow it down, add a LIMIT, or download a dump.")


class QueryExecutor(Protocol):
    async def run(self, job: QueryJob) -> QueryOutcome: ...

    def close(self) -> None: ...


class InProcessExecutor:
    """Queries in a thread of the web process (workers disabled)."""

    def __init__(self, store: ox.Store, timeout: float, threads: int = 4) -> None:
        self.store = store
        self.timeout = timeout
        self._threads = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="sparql")

    async def run(self, job: QueryJob) -> QueryOutcome:
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self._threads, execute_job, self.store, job)
        try:
            return await asyncio.wait_for(future, self.timeout)
        except TimeoutError:
            return QueryOutcome("timeout", message=timeout_message(self.timeout))

    def close(self) -> None:
        self._threads.shutdown(wait=False, cancel_futures=True)


def _worker_main(store: ox.Store, conn: Connection, inherited: list[Connection],
                 parent_pid: int) -> None:
    """A worker's life: answer jobs from the pipe until the parent goes away."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the server, which kills us
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    for other in inherited:  # the parent's ends of the other pipes: keep their EOF working
        other.close()
    while os.getppid() == parent_pid:
        if not conn.poll(PARENT_CHECK_SECONDS):
            continue
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        outcome = execute_job(store, job)
        try:
            conn.send(outcome)
        except (BrokenPipeError, OSError):
            return


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection  # the parent's end

    def kill(self) -> None:
        self.conn.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)


class WorkerPoolExecutor:
    """A small pool of forked query workers; see the module docstring."""

    def __init__(self, store: ox.Store, workers: int, timeout: float,
                 waiting_threads: int = 32) -> None:
        if workers < 1:
            raise ValueError("a worker pool needs at least one worker")
        self.store = store
        self.timeout = timeout
        self._context = mp.get_context("fork")
        self._lock = threading.Lock()
        self._workers: list[_Worker] = []
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._threads = ThreadPoolExecutor(max_workers=waiting_threads,
                                           thread_name_prefix="sparql-wait")
        self._closed = False
        for _ in range(workers):
            self._idle.put(self._spawn())

    def _spawn(self) -> _Worker:
        with self._lock:
            parent_end, child_end = self._context.Pipe(duplex=True)
            inherited = [worker.conn for worker in self._workers] + [parent_end]
            process = self._context.Process(
                target=_worker_main, args=(self.store, child_end, inherited, os.getpid()),
                name="ogpgraph-sparql-worker", daemon=True)
            process.start()
            child_end.close()
            worker = _Worker(process, parent_end)
            self._workers.append(worker)
            return worker

    def _retire(self, worker: _Worker) -> _Worker:
        """Kill ``worker`` and fork its replacement."""
        worker.kill()
        with self._lock:
            if worker in self._workers:
                self._workers.remove(worker)
        return worker if self._closed else self._spawn()

    @property
    def pids(self) -> list[int]:
        with self._lock:
            return [worker.process.pid or 0 for worker in self._workers]

    def _run_blocking(self, job: QueryJob) -> QueryOutcome:
        try:  # waiting for a free worker has its own bound, so a queue cannot grow for ever
            worker = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            return QueryOutcome("busy", message="all query workers are busy: try again shortly")
        deadline = time.monotonic() + self.timeout
        try:
            worker.conn.send(job)
            if worker.conn.poll(max(0.0, deadline - time.monotonic())):
                return worker.conn.recv()
            worker = self._retire(worker)
            return QueryOutcome("timeout", message=timeout_message(self.timeout))
        except (EOFError, OSError):  # the worker died (killed, out of memory)
            worker = self._retire(worker)
            return QueryOutcome("error", message="the query worker died while answering")
        finally:
            if self._closed:
                worker.kill()
            else:
                self._idle.put(worker)

    async def run(self, job: QueryJob) -> QueryOutcome:
        # The thread finishes (and returns its worker) even if this await is cancelled.
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._threads, self._run_blocking, job)

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers = list(self._workers)
            self._workers.clear()
        for worker in workers:
            worker.kill()
        self._threads.shutdown(wait=False, cancel_futures=True)


def make_executor(store: ox.Store, workers: int, timeout: float) -> QueryExecutor:
    if workers <= 0:
        return InProcessExecutor(store, timeout)
    return WorkerPoolExecutor(store, workers, timeout)
