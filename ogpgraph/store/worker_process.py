"""A query worker's side: check a job's query, run it under a memory bound, answer.

A worker is forked by the fork server (``fork_server.py``). It installs the network
sandbox (``sandbox.py``), then answers jobs from its socket pair, one at a time, until its
parent goes away. Frames are a length header and a pickle (the web process's end is read
by the event loop: see ``worker_pool.py``).

**The memory bound.** Before each query the worker's address-space limit (RLIMIT_AS, soft
only) is set to its virtual size at that moment plus ``OGPGRAPH_QUERY_MEMORY``: the store is
shared copy-on-write and already counted in that size, so the bound is what the query may
add. It is set when the worker starts and again after each answer has been sent, while
the worker waits: off the query's path (reading the size and setting the limit took
~50 µs of a 0.27 ms round trip). Python meets it as ``MemoryError`` (answered as the
``memory`` outcome); Rust, i.e. Oxigraph, aborts the process (SIGABRT: "memory allocation
of N bytes failed"), which the pool reads from the worker's end (``worker_pool.py``).
Opening the on-disk store reserves ~400 MB of address space (RocksDB's threads and
caches), so it is opened with the bound lifted, then the bound is set again from the new
size.
"""

from __future__ import annotations

import ctypes
import os
import pickle
import resource
import select
import signal
import socket
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial

from ogpgraph.store.oxigraph_store import OxigraphStore
from ogpgraph.store.plain_query import check_plain_query
from ogpgraph.store.query_check import (
    CheckedQuery,
    QueryRefused,
    check_dataset,
    check_query,
)
from ogpgraph.store.query_jobs import (
    QueryJob,
    QueryOutcome,
    execute_job,
    holds_graph,
    refusal_outcome,
)
from ogpgraph.store.sandbox import SandboxUnavailable, forbid_network

PARENT_CHECK_SECONDS = 1.0  # how soon an orphaned worker notices and exits
LENGTH = struct.Struct("!Q")  # frame header: payload size
FIRST_READ_BYTES = 1 << 16
SANDBOX_FAILED_EXIT = 3
# nice increment of a worker as it starts: none, so that a cheap query is not kept
# waiting by other work on the machine (at +5 on a busy shared machine, a 0.8 ms CONSTRUCT
# took 6 ms through a worker, 0.7 ms at 0); the pool lowers it as a query runs on
WORKER_NICE = 0
_PR_SET_PDEATHSIG = 1


class MemoryBound:
    """This process's address space limited to its current size + ``megabytes``."""

    def __init__(self, megabytes: int) -> None:
        self.bytes = megabytes << 20
        self._hard = resource.getrlimit(resource.RLIMIT_AS)[1]

    def apply(self) -> None:
        limit = virtual_size() + self.bytes
        if self._hard != resource.RLIM_INFINITY:
            limit = min(limit, self._hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, self._hard))

    def lift(self) -> None:
        resource.setrlimit(resource.RLIMIT_AS, (self._hard, self._hard))

    @contextmanager
    def lifted(self) -> Iterator[None]:
        self.lift()
        try:
            yield
        finally:
            self.apply()


def virtual_size() -> int:
    """This process's virtual size (VmSize) in bytes."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def run_job(store: OxigraphStore, job: QueryJob, sandboxed: bool = False,
            memory: MemoryBound | None = None) -> QueryOutcome:
    """Check ``job``'s query on a real parse, then run it on the store that holds what it
    reads: the union alone, or the named graphs. ``sandboxed``: this process has no network
    (so Oxigraph may be asked for its own syntax error message, and a query whose
    characters prove it plain, ``plain_query.py``, skips the parse). ``memory``: the bound
    in force on what checking and running the query may allocate (already applied)."""
    plain = check_plain_query(job.query) if sandboxed else None
    if plain is not None:  # no rdflib parse needed (plain_query.py)
        outcome = _run_checked(store, job, plain, sandboxed, memory)
        if outcome.kind != "syntax_error":
            return outcome
        # Oxigraph cannot read it: the full check below refuses it as it always has
    try:
        checked = check_query(job.query)
    except QueryRefused as refusal:
        return refusal_outcome(refusal, engine_messages=sandboxed)
    except MemoryError:
        return QueryOutcome("memory")
    return _run_checked(store, job, checked, sandboxed, memory)


def _run_checked(store: OxigraphStore, job: QueryJob, checked: CheckedQuery, sandboxed: bool,
                 memory: MemoryBound | None) -> QueryOutcome:
    """``checked`` on the store that holds what it reads, its dataset checked first."""
    named_graphs = checked.reads_named_graphs or job.has_dataset
    if memory is not None and named_graphs and store.named_graphs is not None:
        with memory.lifted():  # opened once per process; outside the query's bound
            store.for_query(True)
    chosen, union_stored = store.for_query(named_graphs)
    try:
        check_dataset(checked, job.default_graph_uris, job.named_graph_uris,
                      partial(holds_graph, chosen))
    except QueryRefused as refusal:
        return refusal_outcome(refusal, engine_messages=sandboxed)
    return execute_job(chosen, job, checked, union_stored)


def recv_frame(sock: socket.socket) -> bytes:
    """Blocking read of one frame's payload (worker side); EOFError when the peer is gone.
    The first read takes whatever is there, usually the whole job: one system call."""
    first = sock.recv(FIRST_READ_BYTES)
    while len(first) < LENGTH.size:
        more = sock.recv(FIRST_READ_BYTES)
        if not more:
            raise EOFError
        first += more
    buffer, got = start_frame(first)
    view = memoryview(buffer)
    while got < len(buffer):
        n = sock.recv_into(view[got:])
        if n == 0:
            raise EOFError
        got += n
    return bytes(buffer)


def start_frame(first: bytes) -> tuple[bytearray, int]:
    """The payload buffer of a frame whose first read (its whole header, maybe more) is
    ``first``, and how many bytes of it that read filled. A worker has one job at a time,
    so a read never holds part of the next frame."""
    (size,) = LENGTH.unpack_from(first)
    buffer = bytearray(size)
    got = len(first) - LENGTH.size
    buffer[:got] = first[LENGTH.size:]
    return buffer, got


def frame(payload: object) -> bytes:
    data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
    return LENGTH.pack(len(data)) + data


def die_with_parent() -> None:
    """Ask the kernel to kill this process when its parent (the fork server, which has a
    single thread) ends; the parent check in the loop is the fallback."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass


def worker_main(store: OxigraphStore, sock: socket.socket, memory_mb: int,
                parent: int) -> None:
    """A worker's life: answer jobs from the socket until ``parent`` goes away."""
    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the server, which kills us
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    os.nice(WORKER_NICE)
    try:
        forbid_network()
    except SandboxUnavailable as error:
        os.write(2, f"ogpgraph query worker: {error}; exiting\n".encode())
        os._exit(SANDBOX_FAILED_EXIT)
    memory = MemoryBound(memory_mb) if memory_mb > 0 else None
    if memory is not None:
        memory.apply()
    sock.setblocking(True)
    while os.getppid() == parent:
        readable, _, _ = select.select([sock], [], [], PARENT_CHECK_SECONDS)
        if not readable:
            continue
        try:
            job = pickle.loads(recv_frame(sock))
        except (EOFError, OSError):
            return
        outcome = run_job(store, job, sandboxed=True, memory=memory)
        try:
            answer = frame(outcome)
        except MemoryError:
            if memory is not None:
                memory.lift()
            outcome = QueryOutcome("memory")
            answer = frame(outcome)
        try:
            sock.sendall(answer)
        except OSError:
            return
        if outcome.kind == "memory":  # the heap is not to be trusted after that: go
            return
        if memory is not None:  # for the next query, from the size this one left
            memory.apply()
