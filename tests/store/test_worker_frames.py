"""The frames between the web process and a query worker: a length header and a pickle,
read whole however the bytes arrive, on both sides (``worker_process.recv_frame``, the
worker's blocking read; ``worker_pool._recv_frame``, the event loop's)."""

from __future__ import annotations

import asyncio
import pickle
import socket
import threading

import pytest

from ogpgraph.store.query_jobs import QueryJob
from ogpgraph.store.worker_pool import _recv_frame
from ogpgraph.store.worker_process import FIRST_READ_BYTES, frame, recv_frame

JOB = QueryJob("ASK { ?s ?p ?o }", prefixes={"ex": "http://example.org/"})
LARGE = QueryJob("SELECT * WHERE { ?s ?p ?o } # " + "x" * (3 * FIRST_READ_BYTES))


def _send_in_pieces(sock: socket.socket, data: bytes, piece: int) -> threading.Thread:
    def send() -> None:
        for start in range(0, len(data), piece):
            sock.sendall(data[start:start + piece])

    sender = threading.Thread(target=send)
    sender.start()
    return sender


@pytest.mark.parametrize("job, piece", [(JOB, 1), (JOB, 3), (JOB, 1 << 20),
                                        (LARGE, 1000), (LARGE, 1 << 20)])
def test_the_worker_reads_a_whole_frame_however_it_arrives(job: QueryJob, piece: int) -> None:
    ours, theirs = socket.socketpair()
    with ours, theirs:
        sender = _send_in_pieces(theirs, frame(job), piece)
        assert pickle.loads(recv_frame(ours)) == job
        sender.join(5)


@pytest.mark.parametrize("job, piece", [(JOB, 1), (LARGE, 1000)])
def test_the_event_loop_reads_a_whole_frame_however_it_arrives(job: QueryJob,
                                                               piece: int) -> None:
    async def read(sock: socket.socket) -> bytes:
        return await _recv_frame(asyncio.get_running_loop(), sock)

    ours, theirs = socket.socketpair()
    with ours, theirs:
        ours.setblocking(False)
        sender = _send_in_pieces(theirs, frame(job), piece)
        assert pickle.loads(asyncio.run(read(ours))) == job
        sender.join(5)


@pytest.mark.parametrize("cut", [0, 3, 20])
def test_a_peer_gone_mid_frame_is_eof_not_a_short_job(cut: int) -> None:
    ours, theirs = socket.socketpair()
    with ours:
        theirs.sendall(frame(JOB)[:cut])
        theirs.close()
        with pytest.raises(EOFError):
            recv_frame(ours)
