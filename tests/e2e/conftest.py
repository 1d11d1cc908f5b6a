"""A real `ogpgraph serve` process over a real build, on 127.0.0.1, for end-to-end tests."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator

import pytest
from live_server import free_port, running

from ogpgraph.config import PROJECT_ROOT
from ogpgraph.release.pipeline import run_build


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of a served build of data/ whose IRIs are under that same URL."""
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    out = tmp_path_factory.mktemp("live-build")
    run_build([PROJECT_ROOT / "data"], out, base)
    env = {**os.environ, "OGPGRAPH_BASE_URI": base, "OGPGRAPH_BUILD_DIR": str(out)}
    command = [sys.executable, "-m", "ogpgraph.cli.app", "serve", "--host", "127.0.0.1",
               "--port", str(port)]
    with running(command, base, env):
        yield base
