"""Where public queries run: forked worker processes that are killed at their deadline.

pyoxigraph cannot interrupt a query, so a query that may run for ever runs in a child
process. Workers are forked ('fork' context) from the process that holds the loaded
in-memory store, so they share it copy-on-write and start in milliseconds (a query that
reads named graphs goes to the on-disk store, which each worker opens for itself: see
``OxigraphStore.for_query``). Each worker has one socket pair; the event loop sends a
job and awaits the answer on its end (``loop.sock_*``), so no thread sits between a
request and its worker. A worker that misses its deadline, or whose client went away,
is killed and a fresh one forked.

``InProcessExecutor`` (``query_workers=0``) runs queries in a thread of this process:
the client still gets its 503 at the deadline, but the query cannot be stopped.
"""

from __future__ import annotations

import asyncio
import multiprocessing as mp
import os
import pickle
import select
import signal
import socket
import struct
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from typing import Protocol

from ogpgraph.store.oxigraph_store import OxigraphStore
from ogpgraph.store.query_check import QueryRefused, check_query
from ogpgraph.store.query_jobs import QueryJob, QueryOutcome, execute_job, refusal_outcome
from ogpgraph.store.sandbox import SandboxUnavailable, ensure_available, forbid_network

PARENT_CHECK_SECONDS = 1.0  # how soon an orphaned worker notices and exits
_LENGTH = struct.Struct("!Q")  # frame header: payload size
FIRST_READ_BYTES = 1 << 16
SANDBOX_FAILED_EXIT = 3


def timeout_message(seconds: float) -> str:
    return (f"query stopped: it ran longer than the {seconds:g} s limit "
            "(OGPGRAPH_QUERY_TIMEOUT). Narrow it down, add a LIMIT, or download a dump.")


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
        try:
            return await asyncio.wait_for(future, self.timeout)
        except TimeoutError:
            return QueryOutcome("timeout", message=timeout_message(self.timeout))

    def close(self) -> None:
        self._threads.shutdown(wait=False, cancel_futures=True)


def run_job(store: OxigraphStore, job: QueryJob, sandboxed: bool = False) -> QueryOutcome:
    """Check ``job``'s query on a real parse, then run it on the store that holds what it
    reads: the union alone, or the named graphs. ``sandboxed``: this process has no network
    (so Oxigraph may be asked for its own syntax error message)."""
    try:
        checked = check_query(job.query)
    except QueryRefused as refusal:
        return refusal_outcome(refusal, engine_messages=sandboxed)
    chosen, union_stored = store.for_query(checked.reads_named_graphs or job.has_dataset)
    return execute_job(chosen, job, checked, union_stored)


def _recv_exactly(sock: socket.socket, size: int) -> bytes:
    """Blocking read of ``size`` bytes (worker side); EOFError when the peer is gone."""
    buffer = bytearray(size)
    view, got = memoryview(buffer), 0
    while got < size:
        n = sock.recv_into(view[got:])
        if n == 0:
            raise EOFError
        got += n
    return bytes(buffer)


def _frame(payload: object) -> bytes:
    data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
    return _LENGTH.pack(len(data)) + data


def _worker_main(store: OxigraphStore, sock: socket.socket, inherited: list[socket.socket],
                 parent_pid: int) -> None:
    """A worker's life: answer jobs from the socket until the parent goes away."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the server, which kills us
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        forbid_network()
    except SandboxUnavailable as error:
        os.write(2, f"ogpgraph query worker: {error}; exiting\n".encode())
        os._exit(SANDBOX_FAILED_EXIT)
    for other in inherited:  # the parent's ends of the socket pairs: keep their EOF working
        other.close()
    sock.setblocking(True)
    while os.getppid() == parent_pid:
        readable, _, _ = select.select([sock], [], [], PARENT_CHECK_SECONDS)
        if not readable:
            continue
        try:
            (size,) = _LENGTH.unpack(_recv_exactly(sock, _LENGTH.size))
            job = pickle.loads(_recv_exactly(sock, size))
        except (EOFError, OSError):
            return
        outcome = run_job(store, job, sandboxed=True)
        try:
            sock.sendall(_frame(outcome))
        except OSError:
            return


async def _recv_frame(loop: asyncio.AbstractEventLoop, sock: socket.socket) -> bytes:
    """One frame's payload (parent side). The first read takes whatever is there, which
    is usually the whole answer: one wake-up of the event loop, not two."""
    first = await loop.sock_recv(sock, FIRST_READ_BYTES)
    while len(first) < _LENGTH.size:
        more = await loop.sock_recv(sock, FIRST_READ_BYTES)
        if not more:
            raise EOFError("the query worker closed its socket")
        first += more
    (size,) = _LENGTH.unpack_from(first)
    buffer = bytearray(size)
    got = len(first) - _LENGTH.size
    buffer[:got] = first[_LENGTH.size:]
    view = memoryview(buffer)
    while got < size:
        n = await loop.sock_recv_into(sock, view[got:])
        if n == 0:
            raise EOFError("the query worker closed its socket")
        got += n
    return bytes(buffer)


def _call_soon(waiter: asyncio.Future[_Worker], callback: Callable[..., object],
               *args: object) -> bool:
    """Schedule ``callback`` on the waiter's loop; False if that loop is already closed
    (a request of an event loop that is gone cannot take a worker)."""
    try:
        waiter.get_loop().call_soon_threadsafe(callback, *args)
    except RuntimeError:
        return False
    return True


@dataclass
class _Worker:
    process: BaseProcess
    sock: socket.socket  # the parent's end, non-blocking

    def kill(self) -> None:
        self.sock.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)


class WorkerPoolExecutor:
    """A small pool of forked query workers; see the module docstring.

    Not tied to one event loop (tests drive one app from several): a request waiting for
    a free worker parks a future of its own loop, and a released worker is handed to it
    with ``call_soon_threadsafe``.
    """

    def __init__(self, store: OxigraphStore, workers: int, timeout: float) -> None:
        if workers < 1:
            raise ValueError("a worker pool needs at least one worker")
        ensure_available()  # never run public queries in workers that have a network
        self.store = store
        self.timeout = timeout
        self._context = mp.get_context("fork")
        self._lock = threading.Lock()
        self._workers: list[_Worker] = []
        self._idle: list[_Worker] = []
        self._waiting: deque[asyncio.Future[_Worker]] = deque()
        self._closed = False
        for _ in range(workers):
            self._idle.append(self._spawn())

    def _spawn(self) -> _Worker:
        with self._lock:
            parent_end, child_end = socket.socketpair()
            inherited = [worker.sock for worker in self._workers] + [parent_end]
            process = self._context.Process(
                target=_worker_main, args=(self.store, child_end, inherited, os.getpid()),
                name="ogpgraph-sparql-worker", daemon=True)
            process.start()
            child_end.close()
            parent_end.setblocking(False)
            worker = _Worker(process, parent_end)
            self._workers.append(worker)
            return worker

    def _retire(self, worker: _Worker) -> None:
        """Kill ``worker`` and put a freshly forked one in its place."""
        worker.kill()
        with self._lock:
            if worker in self._workers:
                self._workers.remove(worker)
        if not self._closed:
            self._release(self._spawn())

    def _release(self, worker: _Worker) -> None:
        if self._closed:
            worker.kill()
            return
        with self._lock:
            while self._waiting:
                waiter = self._waiting.popleft()
                if not waiter.done() and _call_soon(waiter, self._hand_over, waiter, worker):
                    return
            self._idle.append(worker)

    def _hand_over(self, waiter: asyncio.Future[_Worker], worker: _Worker) -> None:
        if waiter.done():  # gave up meanwhile: the next one in line gets it
            self._release(worker)
        else:
            waiter.set_result(worker)

    async def _acquire(self) -> _Worker | None:
        """A free worker, or None when none frees up within the timeout."""
        with self._lock:
            if self._idle:
                return self._idle.pop()
            waiter: asyncio.Future[_Worker] = asyncio.get_running_loop().create_future()
            self._waiting.append(waiter)
        try:  # waiting has its own bound, so a queue cannot grow for ever
            return await asyncio.wait_for(waiter, self.timeout)
        except TimeoutError:
            return None

    @property
    def pids(self) -> list[int]:
        with self._lock:
            return [worker.process.pid or 0 for worker in self._workers]

    async def _ask(self, worker: _Worker, job: QueryJob) -> QueryOutcome:
        loop = asyncio.get_running_loop()
        await loop.sock_sendall(worker.sock, _frame(job))
        return pickle.loads(await _recv_frame(loop, worker.sock))

    async def run(self, job: QueryJob) -> QueryOutcome:
        worker = await self._acquire()
        if worker is None:
            return QueryOutcome("busy", message="all query workers are busy: try again shortly")
        try:
            async with asyncio.timeout(self.timeout):  # no extra task, unlike wait_for
                outcome = await self._ask(worker, job)
        except TimeoutError:
            self._retire(worker)
            return QueryOutcome("timeout", message=timeout_message(self.timeout))
        except (EOFError, OSError, pickle.UnpicklingError):  # killed, out of memory
            self._retire(worker)
            return QueryOutcome("error", message="the query worker died while answering")
        except BaseException:  # cancelled (the client went away): its answer is unwanted
            self._retire(worker)
            raise
        self._release(worker)
        return outcome

    def close(self) -> None:
        self._closed = True
        with self._lock:
            workers = list(self._workers)
            self._workers.clear()
            self._idle.clear()
            waiting = list(self._waiting)
            self._waiting.clear()
        for waiter in waiting:
            if not waiter.done():
                _call_soon(waiter, waiter.cancel)
        for worker in workers:
            worker.kill()


def make_executor(store: OxigraphStore, workers: int, timeout: float) -> QueryExecutor:
    if workers <= 0:
        return InProcessExecutor(store, timeout)
    return WorkerPoolExecutor(store, workers, timeout)
