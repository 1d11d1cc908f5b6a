"""What /proc says about processes: descendants, whether one is gone, its TCP sockets."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path


def _stat_fields(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2:].split()  # after "pid (comm) "


def start_time(pid: int) -> str | None:
    """The process's start time (clock ticks after boot): with the PID, names it uniquely."""
    fields = _stat_fields(pid)
    return fields[19] if fields else None


def is_gone(pid: int, started: str | None) -> bool:
    """The process ``pid`` that started at ``started`` no longer exists (reaped; a zombie
    still exists, a new process with the same PID is another one)."""
    now = start_time(pid)
    return now is None or now != started


def descendants(root: int) -> set[int]:
    """Every living process below ``root`` (children, grandchildren, …)."""
    parents: dict[int, int] = {}
    for name in os.listdir("/proc"):
        if name.isdigit() and (fields := _stat_fields(int(name))) and fields[0] != "Z":
            parents[int(name)] = int(fields[1])
    found, frontier = set(), {root}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def socket_inodes(pid: int) -> set[str]:
    inodes = set()
    fd_dir = Path(f"/proc/{pid}/fd")
    for fd in os.listdir(fd_dir):
        try:
            target = os.readlink(fd_dir / fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:["):-1])
    return inodes


def tcp_socket_inodes() -> set[str]:
    """Inodes of every TCP socket of the machine's network namespace (any state)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        inodes |= {line.split()[9] for line in lines if len(line.split()) > 9}
    return inodes - {"0"}


def wait_until(condition: Callable[[], bool], seconds: float = 15.0) -> bool:
    """Poll ``condition`` until it holds or ``seconds`` pass (a bound, not a speed check)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True
