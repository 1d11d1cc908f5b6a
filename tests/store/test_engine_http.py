"""The pages' HTTP client to an engine: answers whole, connections reused and bounded,
failures named (never a hang)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs

import pytest
from local_engine import LocalEngine, QuietHandler

from ogpgraph.store import engine_http
from ogpgraph.store.engine_http import EngineBusy, EngineClient, EngineUnreachable

WAIT_S = 10.0  # a bound on waiting, never a measured duration


class Engine(LocalEngine):
    """Echoes the form's ``query`` back; ``hold`` keeps a request unanswered until set."""

    def __init__(self) -> None:
        super().__init__(EngineHandler)
        self.connections = 0
        self.forms: list[dict[str, list[str]]] = []
        self.hold = threading.Event()
        self.hold.set()
        self.holding = threading.Event()


class EngineHandler(QuietHandler):
    server: Engine

    def setup(self) -> None:
        super().setup()
        self.server.connections += 1

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        form = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
        self.server.forms.append({**form, "accept": [self.headers["Accept"]],
                                  "expect": [self.headers.get("Expect", "")]})
        if not self.server.hold.is_set():
            self.server.holding.set()
            self.server.hold.wait(WAIT_S)
        body = form["query"][0].encode()
        self.send_response(200 if not body.startswith(b"BAD") else 400)
        self.send_header("Content-Type", "text/plain")
        self.send_header("X-SQL-State", "S1TAT")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def engine() -> Iterator[Engine]:
    server = Engine()
    server.start()
    yield server
    server.hold.set()
    server.stop()


def test_an_answer_comes_whole_with_its_status_and_headers(engine: Engine) -> None:
    client = EngineClient(timeout=WAIT_S)
    big = "ASK {} #" + "x" * (1 << 20)  # past curl's threshold for Expect: 100-continue (1 MB)
    answer = client.post_form(engine.url, f"query={big}", "application/sparql-results+json")
    bad = client.post_form(engine.url, "query=BAD", "text/plain")
    client.close()
    assert (answer.status, answer.body.decode()) == (200, big)
    assert answer.header("X-SQL-State") == "S1TAT" and answer.headers["x-sql-state"] == "S1TAT"
    assert engine.forms[0]["accept"] == ["application/sparql-results+json"]
    assert engine.forms[0]["expect"] == [""]
    assert bad.status == 400 and bad.body == b"BAD"


def test_one_connection_serves_request_after_request(engine: Engine) -> None:
    client = EngineClient(timeout=WAIT_S)
    for n in range(5):
        assert client.post_form(engine.url, f"query={n}", "text/plain").body == str(n).encode()
    client.close()
    assert engine.connections == 1


def test_a_forked_child_opens_connections_of_its_own(engine: Engine,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    client = EngineClient(timeout=WAIT_S)
    client.post_form(engine.url, "query=parent", "text/plain")
    monkeypatch.setattr(engine_http.os, "getpid", lambda: -1)  # as after a fork
    client.post_form(engine.url, "query=child", "text/plain")
    client.close()
    assert engine.connections == 2


def test_no_more_connections_than_the_bound_and_a_waiter_is_told_busy(engine: Engine) -> None:
    client = EngineClient(timeout=WAIT_S, max_connections=1, connect_timeout=0.2)
    engine.hold.clear()
    first = threading.Thread(target=client.post_form, args=(engine.url, "query=1", "text/plain"))
    first.start()
    assert engine.holding.wait(WAIT_S)
    with pytest.raises(EngineBusy, match="all 1 connections"):
        client.post_form(engine.url, "query=2", "text/plain")
    engine.hold.set()
    first.join(WAIT_S)
    assert client.post_form(engine.url, "query=3", "text/plain").body == b"3"
    client.close()
    assert engine.connections == 1


def test_a_refused_connection_is_named_not_raised_raw() -> None:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]  # closed again: nothing listens there
    client = EngineClient(timeout=WAIT_S)
    with pytest.raises(EngineUnreachable, match=rf"127.0.0.1:{port}/sparql: connection refused"):
        client.post_form(f"http://127.0.0.1:{port}/sparql", "query=1", "text/plain")
    client.close()


def test_an_engine_that_never_answers_is_given_up_at_the_timeout() -> None:
    with socket.create_server(("127.0.0.1", 0)) as silent:  # accepts, never answers
        client = EngineClient(timeout=0.3)
        with pytest.raises(EngineUnreachable, match="no answer in time"):
            client.post_form(f"http://127.0.0.1:{silent.getsockname()[1]}/sparql",
                             "query=1", "text/plain")
        client.close()


def test_a_failed_handle_is_replaced(engine: Engine) -> None:
    client = EngineClient(timeout=WAIT_S, max_connections=1)
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    with pytest.raises(EngineUnreachable):
        client.post_form(f"http://127.0.0.1:{port}/sparql", "query=1", "text/plain")
    assert client.post_form(engine.url, "query=2", "text/plain").body == b"2"
    client.close()


def test_an_https_engine_with_an_unknown_certificate_is_refused(tmp_path: Path) -> None:
    """Certificates are verified (against certifi's bundle): a self-signed one is an error
    that says so, not a silent connection."""
    import shutil
    import ssl
    import subprocess

    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is not installed (it makes the test's certificate)")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True, timeout=60)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = Engine()
    server.socket = context.wrap_socket(server.socket, server_side=True)
    server.start()
    client = EngineClient(timeout=WAIT_S)
    try:
        with pytest.raises(EngineUnreachable, match=r"curl 60: .*certificate"):
            client.post_form(server.url.replace("http:", "https:"), "query=1", "text/plain")
    finally:
        client.close()
        server.stop()
