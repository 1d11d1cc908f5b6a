"""Two ``ogpgraph serve`` replicas behind nginx with deploy/nginx/ogpgraph.conf: both take
requests, documents are cached and revalidated by ETag, answers are compressed, and killing
a replica during a request loop fails no request beyond those in flight on it."""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from proxy import Process, nginx_binary, start_nginx, start_replica, upstreams

from ogpgraph.config import DEFAULT_BASE_URI

pytestmark = pytest.mark.skipif(nginx_binary() is None,
                                reason="nginx is not installed (Debian's nginx: `make proxy`)")

CLIENTS = 4
REQUESTS_PER_CLIENT = 150  # bounds the loop, with LOOP_TIMEOUT_S
LOOP_TIMEOUT_S = 90.0
KILL_AFTER = 120  # requests done by all clients before the kill
COUNT = quote("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
UNCACHED = ("/sparql?query=" + COUNT, "/commitments", "/members", "/sparql?query=ASK%7B%7D")


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Cluster:
    replicas: list[Process]
    ports: list[int]
    nginx: Process
    url: str
    folder: Path


@pytest.fixture(scope="module")
def cluster(default_build_dir: Path, tmp_path_factory: pytest.TempPathFactory
            ) -> Iterator[Cluster]:
    folder = tmp_path_factory.mktemp("replicas")
    ports = [free_port(), free_port()]
    # the request loop is one client behind the proxy: no per-client cap of SPARQL queries
    env = {"OGPGRAPH_BUILD_DIR": str(default_build_dir), "OGPGRAPH_QUERY_WORKERS": "1",
           "OGPGRAPH_BASE_URI": DEFAULT_BASE_URI, "OGPGRAPH_QUERY_PER_CLIENT": "0"}
    replicas: list[Process] = []
    nginx = None
    try:
        for port in ports:
            replicas.append(start_replica(port, folder, env))
        listen = free_port()
        nginx = start_nginx(ports, listen, folder / "nginx")
        yield Cluster(replicas, ports, nginx, f"http://127.0.0.1:{listen}", folder / "nginx")
    finally:
        for process in [*replicas, *([nginx] if nginx else [])]:
            process.stop()


def test_documents_are_cached_revalidated_and_compressed(cluster: Cluster) -> None:
    path = "/doc/commitment/PE0055.ttl"
    with httpx.Client(base_url=cluster.url, timeout=30) as client:
        first = client.get(path, headers={"Accept-Encoding": "gzip"})
        second = client.get(path, headers={"Accept-Encoding": "gzip"})
        assert first.status_code == second.status_code == 200
        assert first.headers["X-Cache-Status"] == "MISS"
        assert second.headers["X-Cache-Status"] == "HIT"
        assert first.headers["Content-Encoding"] == "gzip"  # httpx decoded it
        assert first.content == second.content and b"PE0055" in first.content
        time.sleep(11)  # past proxy_cache_valid (10 s): nginx asks with If-None-Match
        third = client.get(path)  # the stale copy at once, revalidated in the background
        assert third.headers["X-Cache-Status"] in ("STALE", "UPDATING", "REVALIDATED")
        assert third.headers["ETag"] == first.headers["ETag"]
        assert revalidated(cluster, path), "no replica answered nginx's If-None-Match with 304"
        assert client.get(path).headers["X-Cache-Status"] == "HIT"
        raw = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 200"},
                         headers={"Accept-Encoding": "gzip", "Accept": "text/csv"})
        assert raw.headers.get("Content-Encoding") == "gzip" and b"," in raw.content
    assert gzip.decompress(gzip.compress(b"x")) == b"x"  # the client really decoded it


def revalidated(cluster: Cluster, path: str) -> bool:
    """A replica's access log shows a 304 for ``path`` (nginx's conditional request)."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for replica in cluster.replicas:
            if f'{path} HTTP/1.1" 304' in replica.log.read_text(errors="replace"):
                return True
        time.sleep(0.2)
    return False


def test_absolute_urls_are_the_configured_base(cluster: Cluster) -> None:
    """The app builds absolute URLs from OGPGRAPH_BASE_URI, never from Host or X-Forwarded-*
    (which nginx sets): a 303 names the public base whatever the request said."""
    response = httpx.get(f"{cluster.url}/id/commitment/PE0055", timeout=30,
                         headers={"Host": "elsewhere.example", "Accept": "text/turtle",
                                  "X-Forwarded-Proto": "https"})
    assert response.status_code == 303
    assert response.headers["Location"] == f"{DEFAULT_BASE_URI}doc/commitment/PE0055.ttl"


@dataclass
class Outcome:
    started: float
    ended: float
    status: int | str


def request_loop(url: str, index: int, outcomes: list[Outcome], stop: threading.Event) -> None:
    with httpx.Client(base_url=url, timeout=30) as client:
        for n in range(REQUESTS_PER_CLIENT):
            if stop.is_set():
                return
            path = UNCACHED[(n + index) % len(UNCACHED)]
            started = time.monotonic()
            try:
                status: int | str = client.get(path, headers={"Accept": "text/html"}
                                               if not path.startswith("/sparql") else {}
                                               ).status_code
            except httpx.HTTPError as error:
                status = type(error).__name__
            outcomes.append(Outcome(started, time.monotonic(), status))


def test_killing_a_replica_fails_only_requests_in_flight_on_it(cluster: Cluster) -> None:
    outcomes: list[Outcome] = []
    stop = threading.Event()
    threads = [threading.Thread(target=request_loop, args=(cluster.url, i, outcomes, stop))
               for i in range(CLIENTS)]
    logged_before = len(upstreams(cluster.folder))
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + LOOP_TIMEOUT_S
    while len(outcomes) < KILL_AFTER and time.monotonic() < deadline:
        time.sleep(0.01)
    killed_at = time.monotonic()
    cluster.replicas[0].kill()
    for thread in threads:
        thread.join(timeout=max(deadline - time.monotonic(), 1.0))
    stop.set()
    failed = [o for o in outcomes if o.status != 200]
    in_flight = [o for o in failed if o.started <= killed_at <= o.ended]
    after = [o for o in outcomes if o.started > killed_at]
    print(f"{len(outcomes)} requests, {len(failed)} failed, {len(after)} after the kill")
    assert len(outcomes) == CLIENTS * REQUESTS_PER_CLIENT, "the loop did not finish in time"
    assert failed == in_flight, f"failures not in flight at the kill: {failed}"
    assert len(failed) <= CLIENTS  # at most one request in flight per client
    assert len(after) >= 100 and all(o.status == 200 for o in after)
    killed, survivor = (f"127.0.0.1:{port}" for port in cluster.ports)
    logged = upstreams(cluster.folder)[logged_before:]
    served_by = [addresses.split(", ")[-1] for _, addresses in logged]
    assert killed in served_by[:KILL_AFTER // 2] and survivor in served_by[:KILL_AFTER // 2]
    assert served_by[-50:] == [survivor] * 50  # after the kill, the survivor alone
