"""Timing helpers for the web-tier benchmarks (servers_bench.py, scale_bench.py): servers
started in sessions of their own and stopped with them, resident memory of a process tree,
sequential latencies and a fixed-time concurrent load."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx

READY_TIMEOUT_S = 600.0
OGPGRAPH = str(Path(sys.executable).with_name("ogpgraph"))
NO_CACHE = {"If-None-Match": '"bench-never-matches"'}  # passes the in-process page cache


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def tree_pids(pid: int) -> list[int]:
    """``pid`` and its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo += children.get(current, [])
    return found


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, summed (shared pages counted in each,
    so an upper bound for forked query workers)."""
    return sum(rss_mb(p) for p in tree_pids(pid))


@dataclass
class Running:
    name: str
    process: subprocess.Popen
    url: str
    log: Path
    ready_seconds: float = 0.0

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def start(name: str, command: Sequence[str], url: str, ready_path: str, log: Path,
          env: Mapping[str, str] | None = None) -> Running:
    started = time.perf_counter()
    with log.open("ab") as out:
        process = subprocess.Popen(list(command), stdout=out, stderr=subprocess.STDOUT,
                                   env={**os.environ, **(env or {})}, start_new_session=True)
    running = Running(name, process, url, log)
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            if httpx.get(url + ready_path, timeout=10).status_code == 200:
                running.ready_seconds = time.perf_counter() - started
                return running
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    running.stop()
    raise RuntimeError(f"{name} did not answer within {READY_TIMEOUT_S:g} s")


def start_ogpgraph(name: str, folder: Path, env: Mapping[str, str], server: str = "uvicorn",
                   store: str | None = None) -> Running:
    port = free_port()
    command = [OGPGRAPH, "serve", "--port", str(port), "--server", server]
    if store:
        command += ["--store", store]
    return start(name, command, f"http://127.0.0.1:{port}", "/sparql?query=ASK%7B%7D",
                 folder / f"{name.replace('/', '-')}.log", env)


Request = Callable[[httpx.Client], httpx.Response]


def timed_ms(client: httpx.Client, request: Request) -> float:
    start = time.perf_counter()
    response = request(client)
    elapsed = (time.perf_counter() - start) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"{response.request.url} answered {response.status_code}: "
                           f"{response.text[:300]}")
    return elapsed


def interleaved_ms(client: httpx.Client, asks: Mapping[str, Request], rounds: int,
                   warm_up: int = 1) -> dict[str, list[float]]:
    """Each ask once a round, in turn, the order reversed every other round (neither side
    always first); the first ``warm_up`` rounds are not kept."""
    timings: dict[str, list[float]] = {name: [] for name in asks}
    for n in range(warm_up + rounds):
        order = list(asks.items()) if n % 2 == 0 else list(asks.items())[::-1]
        for name, ask in order:
            elapsed = timed_ms(client, ask)
            if n >= warm_up:
                timings[name].append(elapsed)
    return timings


def concurrent(url: str, request: Request, clients: int, seconds: float) -> dict[str, float]:
    """``clients`` threads, each with a keep-alive client, for ``seconds``: req/s, errors."""
    counts = [0] * clients
    errors = [0] * clients
    latencies: list[list[float]] = [[] for _ in range(clients)]
    stop_at = time.monotonic() + seconds

    def loop(index: int) -> None:
        with httpx.Client(base_url=url, timeout=60) as client:
            while time.monotonic() < stop_at:
                start = time.perf_counter()
                try:
                    ok = request(client).status_code == 200
                except httpx.HTTPError:
                    ok = False
                latencies[index].append((time.perf_counter() - start) * 1000)
                counts[index] += ok
                errors[index] += not ok

    threads = [threading.Thread(target=loop, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    merged = sorted(v for values in latencies for v in values)
    return {"rps": sum(counts) / wall, "errors": float(sum(errors)),
            "p50_ms": merged[len(merged) // 2] if merged else 0.0,
            "p95_ms": merged[int(len(merged) * 0.95)] if merged else 0.0}
