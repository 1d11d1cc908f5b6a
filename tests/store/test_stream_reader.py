"""The stream between a remote answer's transfer thread and its parser thread
(``remote_executor._StreamReader``): every chunk reaches the parser, in order, however far
behind it is when the transfer ends."""

from __future__ import annotations

import threading

from ogpgraph.store.remote_executor import _QUEUED_CHUNKS, _StreamReader

CHUNKS = [f"chunk {n:04d};".encode() for n in range(_QUEUED_CHUNKS)]


def _read_all(reader: _StreamReader) -> bytes:
    read = bytearray()
    while chunk := reader.read(7):
        read += chunk
    return bytes(read)


def test_the_end_waits_behind_chunks_a_slow_parser_has_yet_to_read() -> None:
    """The transfer ended with the queue full, the parser still reading: the end mark
    waits for room rather than dropping a chunk (it dropped the oldest one: rows cut out
    of the middle of a large answer)."""
    reader, done = _StreamReader(), threading.Event()
    for chunk in CHUNKS:  # the queue full: the parser has read nothing yet
        assert reader.put(chunk, done, threading.Event())
    ending = threading.Thread(target=reader.end, args=(done,))
    ending.start()
    assert _read_all(reader) == b"".join(CHUNKS)
    ending.join(timeout=30)
    assert not ending.is_alive()


def test_once_the_parser_is_done_the_end_makes_room() -> None:
    """A parser that needs no more (its result cap reached) reads nothing: the end mark
    drops what it would never read instead of waiting for it."""
    reader, done = _StreamReader(), threading.Event()
    for chunk in CHUNKS:
        reader.put(chunk, done, threading.Event())
    done.set()
    ending = threading.Thread(target=reader.end, args=(done,))
    ending.start()
    ending.join(timeout=30)
    assert not ending.is_alive()  # room was made for the mark: it did not wait
    read = _read_all(reader)  # ends: the mark is there, behind what was kept
    assert b"".join(CHUNKS).endswith(read) and len(read) < len(b"".join(CHUNKS))
