"""The fork server: a clean process with one thread that forks the query workers.

Workers used to be forked from the web process, so a replacement forked while clients were
connected held their sockets and uvicorn's listening socket: uvicorn closed a connection,
but its client saw no end of it while that worker lived (issue 15, item 2). Now the web
process forks this server once, when the worker pool starts. At start-up that is before
uvicorn opens its listening socket (the lifespan runs first); whenever it is (a new
release, a restart after a crash), it first points every socket it inherited, its control
socket aside, at ``/dev/null``, so no connection lives on in it or in any worker. It is a
fork of the process that holds the loaded store, so workers still share the store
copy-on-write and start in milliseconds; and it has one thread, so forking it is safe,
while the web process runs threads (a lock held by one of them at a fork stays locked in
the child for ever).

Why not close every inherited descriptor in each worker instead: each worker would still be
forked from a process with threads, would hold the connections from the fork until it
closed them, and closing descriptors that Python objects (sockets, SQLite connections) own
lets their finalisers later close whatever reuses the number. Pointing them at
``/dev/null`` (``dup2``) keeps every number taken.

The control socket is a Unix SOCK_SEQPACKET pair, so each message is one pickled tuple:

* ``("spawn",)`` -> ``("spawned", pid)`` with two descriptors: the web process's end of the
  worker's socket pair and a pidfd of the worker (it kills through the pidfd: no PID reuse);
* ``("status", pid)`` -> ``("status", pid, wait status or None)``: how a worker ended, asked
  once its pidfd said it had (the server reaps its children);
* ``("stop",)``, or the web process going away: the server kills its workers and exits.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import socket
import stat
import sys
import threading
import traceback
from dataclasses import dataclass

from ogpgraph.store import query_check
from ogpgraph.store.oxigraph_store import OxigraphStore
from ogpgraph.store.worker_process import worker_main

CONTROL_TIMEOUT = 30.0  # seconds the web process waits for an answer of the server
STATUS_WAIT = 10.0  # seconds the server waits for a worker said to have ended
PARENT_CHECK_SECONDS = 1.0
_MESSAGE_BYTES = 4096
_REMEMBERED_ENDINGS = 1024


class ForkServerError(RuntimeError):
    """The fork server did not answer, or answered nonsense."""


@dataclass
class WorkerHandle:
    """A worker as the web process holds it: its PID, a pidfd and its socket's end."""

    pid: int
    pidfd: int
    sock: socket.socket  # non-blocking

    def kill(self) -> None:
        """SIGKILL through the pidfd: never another process that reused the PID."""
        with contextlib.suppress(ProcessLookupError, OSError):
            signal.pidfd_send_signal(self.pidfd, signal.SIGKILL)

    def wait_ended(self, seconds: float) -> bool:
        """Whether the worker has ended (its pidfd turns readable), waiting ``seconds``."""
        readable, _, _ = select.select([self.pidfd], [], [], seconds)
        return bool(readable)

    def close(self) -> None:
        self.sock.close()
        with contextlib.suppress(OSError):
            os.close(self.pidfd)


class ForkServer:
    """The web process's handle on its fork server; thread-safe, one request at a time."""

    def __init__(self, store: OxigraphStore, memory_mb: int) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # the server: never returns
            code = 0
            try:
                ours.close()
                _Server(theirs, store, memory_mb, parent).serve()
            except BaseException:  # noqa: BLE001 - a child must not unwind into the parent
                traceback.print_exc()
                code = 1
            finally:
                os._exit(code)
        theirs.close()
        ours.settimeout(CONTROL_TIMEOUT)
        self.pid = pid
        self._control = ours
        self._lock = threading.Lock()
        self._closed = False

    def _ask(self, request: tuple, descriptors: int = 0) -> tuple[tuple, list[int]]:
        with self._lock:
            if self._closed:
                raise ForkServerError("the fork server is stopped")
            try:
                self._control.send(pickle.dumps(request))
                data, fds, _, _ = socket.recv_fds(self._control, _MESSAGE_BYTES, descriptors)
            except OSError as error:  # timeout included
                raise ForkServerError(f"the fork server did not answer: {error}") from error
        if not data:
            raise ForkServerError("the fork server has ended")
        return pickle.loads(data), fds

    def spawn(self) -> WorkerHandle:
        answer, fds = self._ask(("spawn",), descriptors=2)
        if answer[0] != "spawned" or len(fds) != 2:
            for fd in fds:
                os.close(fd)
            raise ForkServerError(f"the fork server could not start a worker: {answer}")
        sock = socket.socket(fileno=fds[0])
        sock.setblocking(False)
        return WorkerHandle(pid=answer[1], pidfd=fds[1], sock=sock)

    def status(self, pid: int) -> int | None:
        """The wait status of a worker that has ended; None if unknown or still alive."""
        answer, _ = self._ask(("status", pid))
        return answer[2]

    @property
    def alive(self) -> bool:
        try:
            return os.waitpid(self.pid, os.WNOHANG) == (0, 0)
        except ChildProcessError:
            return False

    def close(self) -> None:
        """Stop the server (it kills its workers) and reap it."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            with contextlib.suppress(OSError):
                self._control.send(pickle.dumps(("stop",)))
            self._control.close()
        try:
            pidfd = os.pidfd_open(self.pid)
        except OSError:
            pidfd = None
        if pidfd is not None:
            try:
                if not select.select([pidfd], [], [], 5)[0]:
                    signal.pidfd_send_signal(pidfd, signal.SIGKILL)
            finally:
                os.close(pidfd)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


def neutralise_sockets(keep: set[int]) -> None:
    """Point every socket descriptor of this process but ``keep`` at /dev/null."""
    devnull = os.open(os.devnull, os.O_RDWR)
    try:
        for name in os.listdir("/proc/self/fd"):
            fd = int(name)
            if fd in keep or fd == devnull:
                continue
            try:
                if stat.S_ISSOCK(os.fstat(fd).st_mode):
                    os.dup2(devnull, fd)
            except OSError:  # the directory listing's own descriptor, already closed
                continue
    finally:
        os.close(devnull)


class _Server:
    """The fork server's loop (in the forked process)."""

    def __init__(self, control: socket.socket, store: OxigraphStore, memory_mb: int,
                 parent: int) -> None:
        self.control, self.store, self.memory_mb, self.parent = (
            control, store, memory_mb, parent)
        self.children: dict[int, int] = {}  # worker PID -> pidfd
        self.ended: dict[int, int] = {}  # worker PID -> wait status, reaped before asked

    def serve(self) -> None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the web process stops us
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        with contextlib.suppress(ValueError):  # the web process's event loop's wake-up socket
            signal.set_wakeup_fd(-1)
        neutralise_sockets({0, 1, 2, self.control.fileno()})
        # a lock another thread of the web process held at the fork stays held here
        query_check.renew_locks()
        self.control.setblocking(True)
        try:
            while os.getppid() == self.parent:
                readable, _, _ = select.select([self.control], [], [], PARENT_CHECK_SECONDS)
                self._reap()
                if not readable:
                    continue
                try:
                    data = self.control.recv(_MESSAGE_BYTES)
                except OSError:
                    return
                if not data or not self._answer(pickle.loads(data)):
                    return
        finally:
            self._stop_workers()

    def _answer(self, request: tuple) -> bool:
        """Answer one request; False to stop."""
        if request[0] == "spawn":
            self._spawn()
        elif request[0] == "status":
            self.control.send(pickle.dumps(("status", request[1], self._status(request[1]))))
        else:
            return False
        return True

    def _spawn(self) -> None:
        server = os.getpid()
        try:
            ours, theirs = socket.socketpair()
            pid = os.fork()
        except OSError as error:
            self.control.send(pickle.dumps(("failed", str(error))))
            return
        if pid == 0:  # the worker: never returns
            code = 0
            try:
                self.control.close()
                ours.close()
                for pidfd in self.children.values():
                    os.close(pidfd)
                worker_main(self.store, theirs, self.memory_mb, server)
            except BaseException:  # noqa: BLE001 - a child must not unwind
                traceback.print_exc(file=sys.stderr)
                code = 1
            finally:
                os._exit(code)
        theirs.close()
        pidfd = os.pidfd_open(pid)
        self.children[pid] = pidfd
        socket.send_fds(self.control, [pickle.dumps(("spawned", pid))], [ours.fileno(), pidfd])
        ours.close()

    def _status(self, pid: int) -> int | None:
        if pid in self.ended:
            return self.ended.pop(pid)
        pidfd = self.children.get(pid)
        if pidfd is None or not select.select([pidfd], [], [], STATUS_WAIT)[0]:
            return None
        _, status = os.waitpid(pid, 0)
        os.close(self.children.pop(pid))
        return status

    def _reap(self) -> None:
        """Collect workers that ended without being asked about (killed at a close)."""
        for pid in list(self.children):
            try:
                done, status = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                done, status = pid, 0
            if done:
                os.close(self.children.pop(pid))
                self.ended[pid] = status
                while len(self.ended) > _REMEMBERED_ENDINGS:
                    self.ended.pop(next(iter(self.ended)))

    def _stop_workers(self) -> None:
        for pidfd in self.children.values():
            with contextlib.suppress(OSError):
                signal.pidfd_send_signal(pidfd, signal.SIGKILL)
        for pid, pidfd in list(self.children.items()):
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
            os.close(pidfd)
        self.children.clear()
