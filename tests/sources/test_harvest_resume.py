"""A harvest killed mid-way leaves no partial file, and the next run resumes it: what the
killed run had fetched is not fetched again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from harvest_server import (
    EXPORT,
    FIXTURES,
    HN0065,
    UK0063,
    Fault,
    HarvestServer,
    Sleeps,
    harvest,
    settings_for,
)

from ogpgraph.config import PROJECT_ROOT
from ogpgraph.sources.harvest.cache import HarvestCache
from ogpgraph.sources.harvest.crawl import Harvester

STALL_WAIT_S = 60  # the child starts a Python, imports, then crawls: bounded, generously


def visible_files(folder: Path) -> dict[str, bytes]:
    found = {}
    for path in folder.rglob("*"):
        relative = path.relative_to(folder)
        if path.is_file() and not any(part.startswith(".") for part in relative.parts):
            found[str(relative)] = path.read_bytes()
    return found


def wait_for_part_file(folder: Path) -> bool:
    """The child is writing UK0063 (its temporary file exists): the moment to stop it."""
    deadline = time.monotonic() + STALL_WAIT_S
    while time.monotonic() < deadline:
        if list(folder.rglob("*.part")):
            return True
        time.sleep(0.05)
    return False


# ``ogpgraph harvest`` as a terminal starts it: SIGINT at its default. A child inherits an
# ignored SIGINT (and Python then keeps it ignored), and the test process may have it
# ignored for a moment when it starts one: C's system(), run by some thread, ignores SIGINT
# and SIGQUIT while it waits (a full-suite run's harvest showed SigIgn 0x1001006 and never
# stopped).
AS_FROM_A_TERMINAL = ("import runpy, signal, sys; "
                      "signal.signal(signal.SIGINT, signal.default_int_handler); "
                      "sys.argv[0] = 'ogpgraph'; "
                      "runpy.run_module('ogpgraph.cli.app', run_name='__main__')")


def start_harvest(site: HarvestServer, out: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "OGPGRAPH_HARVEST_TIMEOUT": "120", "OGPGRAPH_HARVEST_RATE": "1000"}
    command = [sys.executable, "-c", AS_FROM_A_TERMINAL, "harvest", "--out", str(out),
               "--base-url", site.base_url, "--export-url", EXPORT.lstrip("/")]
    return subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)


@pytest.mark.parametrize("stop", [signal.SIGKILL, signal.SIGINT], ids=["kill", "ctrl-c"])
def test_an_interrupted_harvest_leaves_whole_files_and_resumes(
        site: HarvestServer, tmp_path: Path, stop: signal.Signals) -> None:
    site.fail(UK0063, Fault(stall=True))  # half the body, then silence until released
    child = start_harvest(site, tmp_path)
    try:
        assert site.state.stalled.wait(STALL_WAIT_S), "the harvest never reached UK0063"
        assert wait_for_part_file(tmp_path), "UK0063 was never being written"
        child.send_signal(stop)
        _, stderr = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(timeout=10)
        site.state.release.set()
    # Only whole files, and only those fetched before the stop
    assert visible_files(tmp_path) == {
        "commitments.csv": (FIXTURES / "csv" / "sample.csv").read_bytes(),
        "pages/honduras/HN0065.html": (FIXTURES / "html" / "HN0065_es.html").read_bytes()}
    if stop == signal.SIGINT:  # a clean stop: temporary file removed, summary printed
        assert child.returncode == 130
        assert list(tmp_path.rglob("*.part")) == []
        assert "harvest interrupted: 6 fetched" in stderr.decode()
    else:  # no chance to clean up: the temporary file stays, hidden from build
        assert child.returncode == -signal.SIGKILL
        [leftover] = tmp_path.rglob("*.part")
        assert leftover.name.startswith(".UK0063.html.")
    site.reset_counts()
    summary = harvest(site, tmp_path)
    assert summary.resumed and summary.fetched == [site.url(UK0063)]
    assert len(summary.kept) == 6 and not summary.unchanged and not summary.failed
    assert dict(site.content_requests()) == {UK0063: 1}  # nothing fetched twice
    assert site.state.conditional[HN0065] == 0
    assert list(tmp_path.rglob("*.part")) == []  # a kill's leftover is swept away
    assert visible_files(tmp_path)["pages/united-kingdom/UK0063.html"] == \
        (FIXTURES / "html" / "UK0063_v2.html").read_bytes()
    # the resumed run finished: the next one checks everything again, conditionally
    site.reset_counts()
    again = harvest(site, tmp_path)
    assert not again.resumed and len(again.unchanged) == 7


def test_fresh_does_not_resume(site: HarvestServer, tmp_path: Path) -> None:
    """An unfinished run is resumed unless asked not to (--fresh)."""
    HarvestCache(tmp_path, resume_hours=24).close()  # a run that never finished
    summary = Harvester(tmp_path, settings_for(site), fresh=True, sleep=Sleeps()).run()
    assert not summary.resumed and len(summary.fetched) == 7
