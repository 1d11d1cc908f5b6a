"""``ogpgraph serve`` restarts itself with glibc's malloc on transparent huge pages."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from live_server import free_port, running

from ogpgraph.memory import (
    HUGE_PAGES_TUNABLE,
    glibc_version,
    huge_pages_environment,
    thp_mode,
)
from ogpgraph.settings import DEFAULT_BASE_URI

GLIBC = (2, 36)


@pytest.mark.parametrize("environ, glibc, mode, tunables", [
    ({}, GLIBC, "madvise", HUGE_PAGES_TUNABLE),
    ({}, GLIBC, "always", HUGE_PAGES_TUNABLE),
    ({"GLIBC_TUNABLES": "glibc.malloc.arena_max=2"}, GLIBC, "madvise",
     f"glibc.malloc.arena_max=2:{HUGE_PAGES_TUNABLE}"),  # kept, and added to
    ({"GLIBC_TUNABLES": "glibc.malloc.hugetlb=0"}, GLIBC, "madvise", None),  # the user's say
    ({"GLIBC_TUNABLES": HUGE_PAGES_TUNABLE}, GLIBC, "madvise", None),  # restarted already
    ({"OGPGRAPH_HUGE_PAGES": "0"}, GLIBC, "madvise", None),  # turned off
    ({}, GLIBC, "never", None),  # the kernel gives none
    ({}, GLIBC, None, None),  # no THP at all
    ({}, (2, 34), "madvise", None),  # glibc without the tunable
    ({}, None, "madvise", None),  # not glibc (musl)
])
def test_when_to_restart_with_huge_pages(environ, glibc, mode, tunables) -> None:
    result = huge_pages_environment(environ, glibc, mode)
    if tunables is None:
        assert result is None
    else:
        assert result is not None and result["GLIBC_TUNABLES"] == tunables


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux /proc only")
def test_serve_runs_with_huge_pages_where_the_machine_has_them(default_build_dir: Path
                                                                ) -> None:
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key != "GLIBC_TUNABLES"}
    env.update(OGPGRAPH_BUILD_DIR=str(default_build_dir), OGPGRAPH_BASE_URI=DEFAULT_BASE_URI)
    command = [sys.executable, "-m", "ogpgraph.cli", "serve", "--host", "127.0.0.1",
               "--port", str(port)]
    with running(command, f"http://127.0.0.1:{port}/sparql?query=ASK%7B%7D", env) as server:
        environ = Path(f"/proc/{server.pid}/environ").read_bytes().split(b"\0")
    expected = huge_pages_environment(env, glibc_version(), thp_mode())
    restarted = f"GLIBC_TUNABLES={HUGE_PAGES_TUNABLE}".encode() in environ
    assert restarted == (expected is not None)  # same process id, new environment
