"""Query workers hold no client connection nor the listening socket (issue 15, item 2).

Reproduction: a real uvicorn server with keep-alive clients connected; a query runs past
its deadline, so its worker is killed and replaced while those connections (and the
timed-out request's own) are open. Workers forked from the web process then held them all:
uvicorn closed a connection, and its client saw no end of it while the worker lived.
"""

from __future__ import annotations

import os
import signal
import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from live_server import free_port, running
from processes import descendants, socket_inodes, tcp_socket_inodes, wait_until
from sparql_fixture import CARTESIAN, fixture_published

from ogpgraph.store.executor import WorkerPoolExecutor

SERVER = Path(__file__).resolve().parent / "serve_fixture.py"
QUERY_TIMEOUT = "1"
READ_BOUND = 20.0  # seconds a client waits for data or EOF before the test gives up


@pytest.fixture()
def server() -> Iterator[tuple[int, int]]:
    """(port, pid) of a fixture server whose queries stop after 1 s."""
    port = free_port()
    with running([sys.executable, str(SERVER), str(port), QUERY_TIMEOUT],
                 f"http://127.0.0.1:{port}/sparql?query=ASK%7B%7D") as process:
        yield port, process.pid


def send_query(port: int, query: str, close: bool) -> socket.socket:
    connection = socket.create_connection(("127.0.0.1", port), timeout=READ_BOUND)
    connection.sendall((f"GET /sparql?query={quote(query)} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        "Accept: application/sparql-results+json\r\n"
                        + ("Connection: close\r\n" if close else "") + "\r\n").encode())
    return connection


def read_one_response(connection: socket.socket) -> bytes:
    """Headers and a Content-Length body; the connection stays open."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += connection.recv(4096)
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n")
                  if line.lower().startswith(b"content-length:"))
    while len(body) < length:
        body += connection.recv(4096)
    return head


def read_to_eof(connection: socket.socket) -> bytes:
    """Everything until the server closes; socket.timeout if it never does."""
    data = b""
    while chunk := connection.recv(4096):
        data += chunk
    return data


def test_replacement_workers_hold_no_client_or_listening_socket(server):
    port, pid = server
    workers_before = descendants(pid)
    keep_alive = []
    for _ in range(3):  # one after the other: a client may have 2 queries at once
        keep_alive.append(send_query(port, "ASK {}", close=False))
        assert b" 200 " in read_one_response(keep_alive[-1])

    timed_out = send_query(port, CARTESIAN, close=True)
    try:
        answer = read_to_eof(timed_out)  # the 503 at 1 s, then the server's close
    except TimeoutError:
        pytest.fail(f"no EOF within {READ_BOUND} s after the 503: another process holds "
                    "the connection")
    assert answer.startswith(b"HTTP/1.1 503")

    assert wait_until(lambda: bool(descendants(pid) - workers_before)), "no replacement"
    tcp = tcp_socket_inodes()
    for process in descendants(pid):  # the fork server, the old worker, the replacement
        assert not socket_inodes(process) & tcp, f"process {process} holds a TCP socket"

    for connection in keep_alive:  # uvicorn closes idle keep-alive connections after 2 s
        try:
            assert connection.recv(1) == b""
        except TimeoutError:
            pytest.fail(f"a keep-alive client saw no EOF within {READ_BOUND} s")
        connection.close()


def test_workers_end_when_the_server_is_killed(server):
    """kill -9 of the web process: its fork server and workers exit on their own."""
    _, pid = server
    below = descendants(pid)
    assert len(below) >= 3  # the fork server and two workers
    os.kill(pid, signal.SIGKILL)
    assert wait_until(lambda: not any(os.path.exists(f"/proc/{p}") for p in below)), (
        "orphaned query processes keep running")


def test_a_fork_server_started_while_clients_are_connected_holds_none_of_them():
    """Started late (a new release, a restart), the fork server inherits this process's
    sockets, and points them at /dev/null before it forks any worker."""
    listener = socket.create_server(("127.0.0.1", 0))
    client = socket.create_connection(listener.getsockname())
    accepted, _ = listener.accept()
    executor = WorkerPoolExecutor(fixture_published().store, workers=1, timeout=10)
    try:
        tcp = tcp_socket_inodes()
        assert socket_inodes(os.getpid()) & tcp  # this process does hold TCP sockets
        for process in [executor.fork_server_pid, *executor.pids]:
            assert not socket_inodes(process) & tcp, f"process {process} holds a TCP socket"
    finally:
        executor.close()
        for open_socket in (accepted, client, listener):
            open_socket.close()
