"""Ctrl-C reaches the main thread: the progress display's refresh thread is started with
SIGINT blocked, so the kernel never hands the signal to it (where it would leave the main
thread waiting in a blocking read until that timed out)."""

from __future__ import annotations

import signal
import sys
import threading
from pathlib import Path

import pytest

from ogpgraph.cli.console import progress_bars

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="reads the threads' signal masks from /proc")


def blocked_signals(thread: threading.Thread) -> set[int]:
    status = Path(f"/proc/self/task/{thread.native_id}/status").read_text()
    mask = int(next(line for line in status.splitlines() if line.startswith("SigBlk:"))
               .split()[1], 16)
    return {number for number in range(1, 65) if mask >> (number - 1) & 1}


def test_the_refresh_thread_blocks_sigint_and_the_main_thread_does_not() -> None:
    before = set(threading.enumerate())
    with progress_bars(transient=True):
        started = [t for t in threading.enumerate() if t not in before]
        assert started, "rich refreshes from a thread of its own"
        for thread in started:
            assert signal.SIGINT in blocked_signals(thread)
        assert signal.SIGINT not in blocked_signals(threading.main_thread())
    assert signal.SIGINT not in signal.pthread_sigmask(signal.SIG_BLOCK, set())
