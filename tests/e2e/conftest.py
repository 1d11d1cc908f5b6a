"""A real `ogpgraph serve` process over a real build, on 127.0.0.1, for end-to-end tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from ogpgraph.build import run_build
from ogpgraph.settings import PROJECT_ROOT

START_TIMEOUT_S = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of a served build of data/ whose IRIs are under that same URL."""
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    out = tmp_path_factory.mktemp("live-build")
    run_build([PROJECT_ROOT / "data"], out, base)
    env = {**os.environ, "OGPGRAPH_BASE_URI": base, "OGPGRAPH_BUILD_DIR": str(out)}
    process = subprocess.Popen(
        [sys.executable, "-m", "ogpgraph.cli", "serve", "--host", "127.0.0.1",
         "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + START_TIMEOUT_S
    try:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"server exited: {process.stderr.read().decode()[-2000:]}")
            try:
                if httpx.get(base, timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"server did not answer within {START_TIMEOUT_S} s")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
