"""The pool of query workers: a worker per query, deadlines, growth, demotion, deaths.

Workers come from the fork server (``fork_server.py``): clean processes that share the
loaded store copy-on-write. The event loop sends a job on a worker's socket and awaits the
answer (``loop.sock_*``), so no thread sits between a request and its worker.

* **Deadline from arrival.** A job's deadline is its request's arrival + the timeout
  (``QueryJob.arrived``): time spent waiting for a worker counts, so no answer takes longer
  than the timeout, however long the queue.
* **Growth and a bounded queue.** ``workers`` are started with the pool and kept; when all
  are busy the pool forks another, up to ``max_workers``, so a cheap query does not wait
  behind runaway ones but gets a CPU share of its own. Past that, up to ``queue`` queries
  wait (FIFO); the next one is answered ``busy`` at once (503 with Retry-After).
* **Priorities.** Workers start at the web process's priority, so that a cheap query
  waits for no other work on the machine. A query still running after ``early_after``
  (50 ms) has its worker lowered to nice +5, so the web process (pages, and the HTTP
  side of every query) keeps the larger CPU share when many queries run at once; after
  ``demote_after`` seconds by 10 more: the kernel then prefers the web process and the
  workers of cheap queries by far. A process cannot raise a priority back (unless root or
  CAP_SYS_NICE): a worker demoted for a long query is replaced after it; one lowered to
  +5 is raised back where allowed, else kept at +5.
* **Deaths.** A worker that misses its deadline, or whose client went away, is killed
  through its pidfd at once; its end (wait status from the fork server) is then collected
  in a background thread, logged with its cause, and a replacement forked when the pool
  needs one. A worker that dies by itself (out of memory: Rust aborts; a crash) is
  logged the same way and its query answered with the cause.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import pickle
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

from ogpgraph.store.fork_server import ForkServer, ForkServerError, WorkerHandle
from ogpgraph.store.oxigraph_store import OxigraphStore
from ogpgraph.store.query_jobs import QueryJob, QueryOutcome
from ogpgraph.store.sandbox import ensure_available
from ogpgraph.store.worker_endings import (
    Ending,
    busy_message,
    describe_ending,
    memory_message,
    queued_message,
    timeout_message,
)
from ogpgraph.store.worker_process import (
    FIRST_READ_BYTES,
    LENGTH,
    WORKER_NICE,
    frame,
    start_frame,
)

log = logging.getLogger("ogpgraph.sparql")

EARLY_AFTER = 0.05  # seconds of a query before its worker goes to nice +EARLY_NICE
EARLY_NICE = 5
DEMOTE_AFTER = 1.0  # seconds of a query before its worker's CPU priority is lowered
DEMOTE_BY = 10  # nice increment of a worker whose query runs long
DEFAULT_QUEUE = 32
DEFAULT_MEMORY_MB = 1024
BURY_WAIT = 10.0  # seconds to wait for a killed worker's end before killing it again


async def _recv_frame(loop: asyncio.AbstractEventLoop, sock) -> bytes:  # noqa: ANN001
    """One frame's payload (parent side). The first read takes whatever is there, which
    is usually the whole answer: one wake-up of the event loop, not two."""
    first = await loop.sock_recv(sock, FIRST_READ_BYTES)
    while len(first) < LENGTH.size:
        more = await loop.sock_recv(sock, FIRST_READ_BYTES)
        if not more:
            raise EOFError("the query worker closed its socket")
        first += more
    buffer, got = start_frame(first)
    view = memoryview(buffer)
    while got < len(buffer):
        n = await loop.sock_recv_into(sock, view[got:])
        if n == 0:
            raise EOFError("the query worker closed its socket")
        got += n
    return bytes(buffer)


def _call_soon(waiter: asyncio.Future, callback: Callable[..., object], *args: object) -> bool:
    """Schedule ``callback`` on the waiter's loop; False if that loop is already closed
    (a request of an event loop that is gone cannot take a worker)."""
    try:
        waiter.get_loop().call_soon_threadsafe(callback, *args)
    except RuntimeError:
        return False
    return True


@dataclass(eq=False)
class _Worker:
    handle: WorkerHandle
    demoted: bool = False
    lowered: bool = False  # to EARLY_NICE (once: a process cannot raise it back)

    @property
    def pid(self) -> int:
        return self.handle.pid


class WorkerPoolExecutor:
    """Query workers from a fork server; see the module docstring.

    Not tied to one event loop (tests drive one app from several): a request waiting for
    a free worker parks a future of its own loop, and a released worker is handed to it
    with ``call_soon_threadsafe``.
    """

    def __init__(self, store: OxigraphStore, workers: int, timeout: float, *,
                 max_workers: int | None = None, queue: int = DEFAULT_QUEUE,
                 memory_mb: int = DEFAULT_MEMORY_MB, demote_after: float = DEMOTE_AFTER,
                 early_after: float = EARLY_AFTER) -> None:
        if workers < 1:
            raise ValueError("a worker pool needs at least one worker")
        ensure_available()  # never run public queries in workers that have a network
        self.store, self.timeout = store, timeout
        self.min_workers, self.max_workers = workers, max(workers, max_workers or workers)
        self.queue, self.memory_mb, self.demote_after = queue, memory_mb, demote_after
        self.early_after = early_after
        self._start_nice = os.getpriority(os.PRIO_PROCESS, 0) + WORKER_NICE
        self._lock = threading.Lock()
        self._workers: list[_Worker] = []
        self._idle: list[_Worker] = []
        self._waiting: deque[asyncio.Future[_Worker]] = deque()
        self._spawning = 0
        self._closed = False
        self._background = ThreadPoolExecutor(max_workers=4, thread_name_prefix="sparql-pool")
        self._server = ForkServer(store, memory_mb)
        for _ in range(workers):
            worker = self._new_worker()
            self._workers.append(worker)
            self._idle.append(worker)

    # -- workers in and out --------------------------------------------------------------

    def _new_worker(self) -> _Worker:
        """A worker from the fork server, which is started anew if it has died."""
        try:
            return _Worker(self._server.spawn())
        except ForkServerError:
            if self._closed or self._server.alive:
                raise
            log.error("the query workers' fork server (pid %d) has died: starting another",
                      self._server.pid)
            self._server.close()
            self._server = ForkServer(self.store, self.memory_mb)
            return _Worker(self._server.spawn())

    def _grow(self) -> None:
        """(Background thread) fork one more worker and hand it to a waiting request."""
        try:
            worker = self._new_worker()
        except ForkServerError as error:
            log.error("could not start a query worker: %s", error)
            with self._lock:
                self._spawning -= 1
            return
        with self._lock:
            self._spawning -= 1
            if not self._closed:
                self._workers.append(worker)
        if self._closed:
            worker.handle.kill()
            worker.handle.close()
            return
        self._release(worker)

    def _replenish(self) -> None:
        """Start workers until the pool has its minimum, or one per waiting request."""
        with self._lock:
            if self._closed:
                return
            waiting = sum(1 for waiter in self._waiting if not waiter.done())
            have = len(self._workers) + self._spawning
            want = max(self.min_workers, min(self.max_workers, have + waiting))
            missing = max(0, want - have)
            self._spawning += missing
        for _ in range(missing):
            self._background.submit(self._grow)

    def _release(self, worker: _Worker) -> None:
        if self._closed:
            worker.handle.kill()
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

    def _retire(self, worker: _Worker, reason: str, client: str = "") -> None:
        """Kill ``worker`` now; collect and log its end, and replace it, in the background."""
        worker.handle.kill()
        self._forget(worker)
        self._background.submit(self._bury, worker, reason, client)

    def _forget(self, worker: _Worker) -> None:
        with self._lock:
            if worker in self._workers:
                self._workers.remove(worker)
            if worker in self._idle:
                self._idle.remove(worker)

    def _bury(self, worker: _Worker, reason: str | None, client: str) -> Ending:
        """(Background thread) wait for the worker's end, log its cause, replace it."""
        handle = worker.handle
        if not handle.wait_ended(BURY_WAIT):
            log.error("query worker %d did not end %g s after it was killed: killing it again",
                      handle.pid, BURY_WAIT)
            handle.kill()
            handle.wait_ended(BURY_WAIT)
        try:
            status = self._server.status(handle.pid)
        except ForkServerError:
            status = None
        handle.close()
        ending = describe_ending(status, reason, self.memory_mb)
        level = logging.INFO if ending.kind in ("long", "client") else logging.WARNING
        log.log(level, "query worker %d %s%s", handle.pid, ending.text,
                f" (query from {client})" if client else "")
        self._replenish()
        return ending

    def _lower(self, worker: _Worker) -> None:
        """The first step down (see the module docstring), once per worker."""
        if worker.lowered:
            return
        try:
            nice = os.getpriority(os.PRIO_PROCESS, worker.pid)
            os.setpriority(os.PRIO_PROCESS, worker.pid, min(19, nice + EARLY_NICE))
        except OSError:  # ended meanwhile
            return
        worker.lowered = True

    def _restore(self, worker: _Worker) -> None:
        """Back to the start's priority after a query that lowered it, where this process
        may raise a priority (root, CAP_SYS_NICE, RLIMIT_NICE); else it stays at +5."""
        if not worker.lowered:
            return
        try:
            os.setpriority(os.PRIO_PROCESS, worker.pid, self._start_nice)
        except OSError:
            return
        worker.lowered = False

    def _demote(self, worker: _Worker) -> None:
        try:
            nice = os.getpriority(os.PRIO_PROCESS, worker.pid)
            os.setpriority(os.PRIO_PROCESS, worker.pid, min(19, nice + DEMOTE_BY))
        except OSError:  # ended meanwhile
            return
        worker.demoted = True

    # -- a query -------------------------------------------------------------------------

    async def _acquire(self, deadline: float) -> _Worker | str:
        """A worker for this request; "busy" (queue full) or "timeout" (none in time)."""
        loop = asyncio.get_running_loop()
        with self._lock:
            if self._idle:
                return self._idle.pop()
            grow = len(self._workers) + self._spawning < self.max_workers
            if not grow and len(self._waiting) >= self.queue:
                return "busy"
            if grow:
                self._spawning += 1
            waiter: asyncio.Future[_Worker] = loop.create_future()
            self._waiting.append(waiter)
        if grow:
            self._background.submit(self._grow)
        worker: _Worker | None = None
        try:
            worker = await asyncio.wait_for(waiter, max(0.0, deadline - time.monotonic()))
            return worker
        except TimeoutError:
            return "timeout"
        finally:
            if worker is None:  # timed out or cancelled: leave the queue, keep no worker
                with self._lock, contextlib.suppress(ValueError):
                    self._waiting.remove(waiter)
                if waiter.done() and not waiter.cancelled():
                    self._release(waiter.result())

    async def _ask(self, worker: _Worker, job: QueryJob) -> QueryOutcome:
        loop = asyncio.get_running_loop()
        await loop.sock_sendall(worker.handle.sock, frame(job))
        return pickle.loads(await _recv_frame(loop, worker.handle.sock))

    async def run(self, job: QueryJob) -> QueryOutcome:
        deadline = (job.arrived if job.arrived is not None else time.monotonic()) + self.timeout
        worker = await self._acquire(deadline)
        if worker == "busy":
            return QueryOutcome("busy", message=busy_message(self.queue))
        if not isinstance(worker, _Worker) or deadline - time.monotonic() <= 0:
            if isinstance(worker, _Worker):
                self._release(worker)
            return QueryOutcome("timeout", message=queued_message(self.timeout))
        loop = asyncio.get_running_loop()
        demotion = loop.call_later(self.demote_after, self._demote, worker)
        lowering = (loop.call_later(self.early_after, self._lower, worker)
                    if self.early_after < self.demote_after else demotion)
        try:
            async with asyncio.timeout(deadline - time.monotonic()):
                outcome = await self._ask(worker, job)
        except TimeoutError:
            self._retire(worker, "timeout", job.client)
            return QueryOutcome("timeout", message=timeout_message(self.timeout))
        except (EOFError, OSError, pickle.UnpicklingError):  # it died: out of memory, a crash
            self._forget(worker)
            burial = self._background.submit(self._bury, worker, None, job.client)
            # shielded: a client leaving now must not cancel the burial before it starts
            ending = await asyncio.shield(asyncio.wrap_future(burial))
            if ending.kind == "memory":
                return QueryOutcome("memory", message=memory_message(self.memory_mb))
            return QueryOutcome("error", message=f"the query worker {ending.text}")
        except BaseException:  # cancelled (the client went away): its answer is unwanted
            self._retire(worker, "client", job.client)
            raise
        finally:
            demotion.cancel()
            lowering.cancel()
        if outcome.kind == "memory":
            self._retire(worker, "memory", job.client)
            return replace(outcome, message=memory_message(self.memory_mb))
        if worker.demoted:
            self._retire(worker, "long", job.client)
        else:
            self._restore(worker)
            self._release(worker)
        return outcome

    # -- the pool as a whole -------------------------------------------------------------

    @property
    def pids(self) -> list[int]:
        with self._lock:
            return [worker.pid for worker in self._workers]

    @property
    def fork_server_pid(self) -> int:
        return self._server.pid

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
            worker.handle.kill()
            worker.handle.close()
        self._server.close()  # kills and reaps what is left
        self._background.shutdown(wait=False, cancel_futures=True)

