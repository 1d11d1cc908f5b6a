"""HTTP to a SPARQL engine for queries (the pages' and ``/sparql``'s): libcurl (pycurl),
a bounded set of reused handles.

Why not httpx here: a page asks the engine one or two small queries, and the client's own
time is a large part of each. For a 1.4 kB form answered in ~3 ms by Virtuoso at 100,000
commitments, a keep-alive request cost (p50, same run): a raw socket 3.4 ms, pycurl
3.5 ms, ``http.client`` 4.6 ms, ``httpx.Client`` 7.5 ms (httpx also writes the headers
and the body in two packets). ``httpx`` stays for loading and harvesting.

A handle keeps its connection open between requests. At most ``max_connections``
handles exist (the engine sees no more connections than that); a caller waits for a free
one, up to ``wait`` seconds, then gets :class:`EngineBusy`. Handles made before a fork
are never used after it (their connections belong to the parent).
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from io import BytesIO

import certifi
import pycurl


class EngineUnreachable(OSError):
    """No answer: refused, reset, timed out, unreadable HTTP."""


class EngineBusy(EngineUnreachable):
    """Every connection to the engine is in use and none came free in time."""


class EngineTimeout(EngineUnreachable):
    """The engine did not answer within the client's time limit."""


class EngineStopped(EngineUnreachable):
    """The caller stopped the transfer (``stop`` was set)."""


ERROR_BODY_BYTES = 1 << 16  # of an error answer, kept for its message


@dataclass(frozen=True)
class EngineAnswer:
    status: int
    headers: dict[str, str]  # names lower-cased
    body: bytes  # streamed: the body of an answer not streamed (its first 64 KiB)
    cut: bool = False  # streamed: the receiver needed no more, and the rest was never read

    def header(self, name: str, default: str = "") -> str:
        return self.headers.get(name.lower(), default)


class EngineClient:
    """POSTs forms to an engine over reused libcurl handles; thread-safe."""

    def __init__(self, timeout: float, max_connections: int = 8,
                 connect_timeout: float = 5.0) -> None:
        self.timeout = timeout
        self.connect_timeout = min(timeout, connect_timeout)
        self.max_connections = max_connections
        self._lock = threading.Lock()
        self._pid = os.getpid()
        self._idle: queue.LifoQueue[pycurl.Curl] = queue.LifoQueue()
        self._made = 0
        self._closed = False

    def post_form(self, url: str, form: str, accept: str) -> EngineAnswer:
        """The whole answer to ``form`` (``application/x-www-form-urlencoded``) at ``url``."""
        body = BytesIO()
        handle, headers = self._perform(url, form, accept, body.write, None, self.timeout)
        status = int(handle.getinfo(pycurl.RESPONSE_CODE))
        self._give_back(handle)
        return EngineAnswer(status, headers.fields, body.getvalue())

    def post_form_streamed(self, url: str, form: str, accept: str, *,
                           wanted: Callable[[int, Mapping[str, str]], bool],
                           receive: Callable[[bytes], bool], stop: threading.Event,
                           timeout: float) -> EngineAnswer:
        """The answer's body handed to ``receive`` as it arrives, when ``wanted(status,
        headers)`` says so; ``receive`` returns False once it needs no more, and the transfer
        is cut there (its connection closed). An answer not wanted comes back with its
        first 64 KiB. ``stop`` set: the transfer is cut within about a second
        (:class:`EngineStopped`). ``timeout``: seconds for the whole transfer."""
        headers, error, streaming, cut = _HeaderLines(), bytearray(), [False], [False]

        def write(chunk: bytes) -> int | None:
            if stop.is_set():
                return 0
            if not headers.decided:
                headers.decided, streaming[0] = True, wanted(headers.status, headers.fields)
            if not streaming[0]:
                error.extend(chunk[: ERROR_BODY_BYTES - len(error)])
                return None
            if not receive(chunk):
                cut[0] = True
                return 0  # curl ends the transfer with a write error: that is this cut
            return None

        try:
            handle, _ = self._perform(url, form, accept, write, stop, timeout, headers)
        except EngineUnreachable:
            if cut[0]:
                return EngineAnswer(headers.status, headers.fields, b"", cut=True)
            raise
        self._give_back(handle)
        if not headers.decided:  # an empty body: nothing was written
            streaming[0] = wanted(headers.status, headers.fields)
        return EngineAnswer(headers.status, headers.fields,
                            b"" if streaming[0] else bytes(error))

    def close(self) -> None:
        with self._lock:
            self._closed = True
            while True:
                try:
                    self._idle.get_nowait().close()
                except queue.Empty:
                    return

    def _perform(self, url: str, form: str, accept: str, write: Callable[[bytes], int | None],
                 stop: threading.Event | None, timeout: float,
                 headers: _HeaderLines | None = None) -> tuple[pycurl.Curl, _HeaderLines]:
        """One request on a borrowed handle, given back by the caller; a handle whose
        request failed is closed (its connection is in an unknown state)."""
        if stop is not None and stop.is_set():  # stopped while waiting for a thread
            raise EngineStopped(f"{url}: stopped before it was sent")
        handle, headers = self._borrow(), headers or _HeaderLines()
        try:
            handle.setopt(pycurl.URL, url)
            handle.setopt(pycurl.HTTPHEADER, [
                f"Accept: {accept}", "Content-Type: application/x-www-form-urlencoded",
                "Expect:"])  # no 100-continue round trip on larger forms
            handle.setopt(pycurl.POSTFIELDS, form)
            handle.setopt(pycurl.WRITEFUNCTION, write)
            handle.setopt(pycurl.HEADERFUNCTION, headers.add)
            handle.setopt(pycurl.TIMEOUT_MS, max(1, int(timeout * 1000)))
            if stop is not None:  # curl calls this about once a second, even when idle
                handle.setopt(pycurl.NOPROGRESS, 0)
                handle.setopt(pycurl.XFERINFOFUNCTION, lambda *_: 1 if stop.is_set() else 0)
            else:
                handle.setopt(pycurl.NOPROGRESS, 1)
            handle.perform()
        except pycurl.error as exc:
            handle.close()
            self._forget()
            code, message = exc.args[0], exc.args[1] if len(exc.args) > 1 else ""
            kind = (EngineStopped if stop is not None and stop.is_set() else
                    EngineTimeout if code == pycurl.E_OPERATION_TIMEDOUT else EngineUnreachable)
            raise kind(f"{url}: {_CURL_ERRORS.get(code, 'error')} (curl {code}: "
                       f"{message})") from exc
        return handle, headers

    # -- the handles ----------------------------------------------------------------------

    def _borrow(self) -> pycurl.Curl:
        with self._lock:
            if self._closed:
                raise EngineUnreachable("the engine client is closed")
            if self._pid != os.getpid():  # a forked child: the parent's handles stay its own
                self._pid, self._idle, self._made = os.getpid(), queue.LifoQueue(), 0
            try:
                return self._idle.get_nowait()
            except queue.Empty:
                if self._made < self.max_connections:
                    self._made += 1
                    return self._new_handle()
            idle = self._idle
        try:
            return idle.get(timeout=self.connect_timeout)
        except queue.Empty:
            raise EngineBusy(f"all {self.max_connections} connections to the SPARQL engine "
                             f"are busy") from None

    def _give_back(self, handle: pycurl.Curl) -> None:
        with self._lock:
            if self._closed or self._pid != os.getpid():
                handle.close()
                return
            self._idle.put(handle)

    def _forget(self) -> None:
        with self._lock:
            self._made -= 1

    def _new_handle(self) -> pycurl.Curl:
        handle = pycurl.Curl()
        handle.setopt(pycurl.NOSIGNAL, 1)  # no SIGALRM for timeouts: this runs in threads
        handle.setopt(pycurl.CONNECTTIMEOUT_MS, int(self.connect_timeout * 1000))
        handle.setopt(pycurl.TCP_NODELAY, 1)
        handle.setopt(pycurl.PROTOCOLS, pycurl.PROTO_HTTP | pycurl.PROTO_HTTPS)
        # an https engine is verified against the same CA bundle as httpx's (the wheel's
        # libcurl may look for one at a path this system lacks)
        handle.setopt(pycurl.CAINFO, certifi.where())
        return handle


class _HeaderLines:
    """The last response's status and header fields (a 100 Continue starts afresh)."""

    def __init__(self) -> None:
        self.status = 0
        self.fields: dict[str, str] = {}
        self.decided = False  # streamed: whether the body is wanted has been decided

    def add(self, line: bytes) -> None:
        text = line.decode("iso-8859-1").strip()
        if text.startswith("HTTP/"):
            parts = text.split()
            self.status = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0
            self.fields = {}
        elif ":" in text:
            name, value = text.split(":", 1)
            self.fields[name.strip().lower()] = value.strip()


_CURL_ERRORS = {
    pycurl.E_COULDNT_CONNECT: "connection refused",
    pycurl.E_COULDNT_RESOLVE_HOST: "host not found",
    pycurl.E_OPERATION_TIMEDOUT: "no answer in time",
    pycurl.E_GOT_NOTHING: "the connection closed without an answer",
    pycurl.E_RECV_ERROR: "the connection failed while reading",
    pycurl.E_SEND_ERROR: "the connection failed while sending",
}
