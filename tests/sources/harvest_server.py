"""A stand-in for OGP's site on 127.0.0.1: serves fixture files at OGP-like paths, answers
conditional requests, counts what it is asked, and injects faults on demand."""

from __future__ import annotations

import hashlib
import socket
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
HARVEST = FIXTURES / "harvest"
STALL_LIMIT_S = 150  # a stalled answer gives up by itself after this long: longer than
# the resume test may wait for the harvester to reach it (a loaded machine), which releases it
EPOCH = 1_767_225_600  # Last-Modified of the first version of every path

HN0065 = "/members/honduras/commitments/HN0065/"
UK0063 = "/members/united-kingdom/commitments/UK0063/"
EXPORT = "/export/commitments.csv"
ROUTES: dict[str, Path] = {
    "/our-members/": HARVEST / "our-members.html",
    "/members/honduras/commitments/": HARVEST / "honduras-commitments.html",
    "/members/united-kingdom/commitments/": HARVEST / "united-kingdom-commitments.html",
    "/members/united-kingdom/commitments/page/2/": HARVEST / "united-kingdom-commitments-2.html",
    HN0065: FIXTURES / "html" / "HN0065_es.html",
    UK0063: FIXTURES / "html" / "UK0063_v2.html",
    EXPORT: FIXTURES / "csv" / "sample.csv",
}
PAGES = (HN0065, UK0063)


@dataclass(frozen=True)
class Fault:
    """One bad answer: a status (with headers), a late answer, a cut body, or a body that
    stops half way until the test releases it."""
    status: int | None = None
    headers: tuple[tuple[str, str], ...] = ()
    delay: float = 0.0
    truncate_to: int | None = None
    stall: bool = False


@dataclass
class Resource:
    body: bytes
    content_type: str
    version: int = 0

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:16] + '"'

    @property
    def last_modified(self) -> str:
        return formatdate(EPOCH + self.version * 86_400, usegmt=True)


@dataclass
class SiteState:
    resources: dict[str, Resource] = field(default_factory=dict)
    robots: str = "User-agent: *\nDisallow: /wp-admin/\n"
    robots_status: int = 200
    faults: dict[str, list[Fault]] = field(default_factory=dict)  # used up in order
    always: dict[str, Fault] = field(default_factory=dict)
    requests: Counter[str] = field(default_factory=Counter)
    conditional: Counter[str] = field(default_factory=Counter)  # carried a validator
    not_modified: Counter[str] = field(default_factory=Counter)  # answered 304
    user_agents: list[str] = field(default_factory=list)
    stalled: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next_fault(self, path: str) -> Fault | None:
        with self.lock:
            queued = self.faults.get(path)
            if queued:
                return queued.pop(0)
            return self.always.get(path)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state: SiteState  # set on the subclass made per server

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - quiet
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        path, state = self.path, self.state
        with state.lock:
            state.requests[path] += 1
            state.user_agents.append(self.headers.get("User-Agent", ""))
            if self.headers.get("If-None-Match") or self.headers.get("If-Modified-Since"):
                state.conditional[path] += 1
        try:
            self.answer(path, state)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout it was meant to hit)

    def answer(self, path: str, state: SiteState) -> None:
        fault = state.next_fault(path)
        if fault and fault.delay:
            threading.Event().wait(fault.delay)
        if fault and fault.status:
            return self.send(fault.status, b"fault\n", "text/plain", dict(fault.headers))
        if path == "/robots.txt":
            return self.send(state.robots_status, state.robots.encode(), "text/plain")
        resource = state.resources.get(path)
        if resource is None:
            return self.send(404, b"not found\n", "text/plain")
        if self.is_fresh(resource):
            with state.lock:
                state.not_modified[path] += 1
            return self.send(304, b"", None, self.validators(resource))
        if fault and (fault.truncate_to is not None or fault.stall):
            return self.send_cut(resource, fault, state)
        self.send(200, resource.body, resource.content_type, self.validators(resource))

    def is_fresh(self, resource: Resource) -> bool:
        tag = self.headers.get("If-None-Match")
        if tag is not None:
            return tag == resource.etag
        return self.headers.get("If-Modified-Since") == resource.last_modified

    @staticmethod
    def validators(resource: Resource) -> dict[str, str]:
        return {"ETag": resource.etag, "Last-Modified": resource.last_modified}

    def send(self, status: int, body: bytes, content_type: str | None,
             headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def send_cut(self, resource: Resource, fault: Fault, state: SiteState) -> None:
        """Announce the whole length, send part of the body, then hang up."""
        body = resource.body
        cut = len(body) // 2 if fault.truncate_to is None else fault.truncate_to
        self.send_response(200)
        self.send_header("Content-Type", resource.content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in self.validators(resource).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body[:cut])
        self.wfile.flush()
        if fault.stall:
            state.stalled.set()
            state.release.wait(STALL_LIMIT_S)
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass  # the client is gone already (killed)


class QuietServer(ThreadingHTTPServer):
    """A client that hangs up mid-answer (the harvester's timeouts) is expected here: its
    error is not printed, since the CLI tests capture stderr and check it has no traceback."""

    def handle_error(self, request: object, client_address: object) -> None:
        pass


class HarvestServer:
    def __init__(self, state: SiteState) -> None:
        handler = type("BoundHandler", (Handler,), {"state": state})
        self.state = state
        self.httpd = QuietServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True  # a delayed answer never holds up the stop
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,),
                                       daemon=True)  # polled often: a quick stop

    @property
    def base_url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/"

    def url(self, path: str) -> str:
        return self.base_url.rstrip("/") + path

    def set_page(self, path: str, body: bytes) -> None:
        """The page changes: new bytes, hence a new ETag and a later Last-Modified."""
        with self.state.lock:
            old = self.state.resources[path]
            self.state.resources[path] = Resource(body, old.content_type, old.version + 1)

    def fail(self, path: str, *faults: Fault) -> None:
        with self.state.lock:
            self.state.faults.setdefault(path, []).extend(faults)

    def fail_always(self, path: str, fault: Fault) -> None:
        with self.state.lock:
            self.state.always[path] = fault

    def reset_counts(self) -> None:
        with self.state.lock:
            for counter in (self.state.requests, self.state.conditional,
                            self.state.not_modified):
                counter.clear()

    def content_requests(self) -> Counter[str]:
        """Requests other than robots.txt."""
        return Counter({p: n for p, n in self.state.requests.items() if p != "/robots.txt"})


def default_state() -> SiteState:
    resources = {}
    for path, file in ROUTES.items():
        kind = "text/csv; charset=utf-8" if file.suffix == ".csv" else "text/html; charset=utf-8"
        resources[path] = Resource(file.read_bytes(), kind)
    return SiteState(resources=resources)


@contextmanager
def serving(state: SiteState | None = None) -> Iterator[HarvestServer]:
    server = HarvestServer(state or default_state())
    server.thread.start()
    try:
        yield server
    finally:
        server.state.release.set()  # let a stalled answer end
        server.httpd.shutdown()
        server.httpd.server_close()
        server.thread.join(timeout=10)


class Sleeps(list[float]):
    """Stands in for time.sleep: records each wait instead of waiting, and moves its own
    clock (``now``) by that much, so pacing can be checked without timing anything."""

    now = 0.0

    def __call__(self, seconds: float) -> None:
        self.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


def settings_for(server: HarvestServer, **changes: object):
    """Harvest settings aimed at ``server``: fast, few attempts, export included."""
    from ogpgraph.sources.harvest.settings import HarvestSettings

    values: dict[str, object] = dict(
        base_url=server.base_url, export_url=EXPORT.lstrip("/"), rate=1000.0, timeout=5.0,
        attempts=3, backoff=0.5, max_wait=10.0, contact_url="https://example.org/ogpgraph")
    values.update(changes)
    return HarvestSettings(**values).normalised()  # type: ignore[arg-type]


def harvest(server: HarvestServer, out: Path, members: tuple[str, ...] = (),
            sleeps: Sleeps | None = None, **changes: object):
    """One harvest of ``server`` into ``out``; its summary."""
    from ogpgraph.sources.harvest.crawl import Harvester

    sleeps = sleeps if sleeps is not None else Sleeps()
    harvester = Harvester(out, settings_for(server, **changes), sleep=sleeps, clock=sleeps.clock)
    return harvester.run(members)
