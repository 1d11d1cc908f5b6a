"""SPARQL engines started for a test (or a benchmark): Virtuoso Open Source 7 and Oxigraph
server, each on free ports of 127.0.0.1, with its files in a folder of its own, started,
waited for (bounded) and stopped. A missing binary is reported by ``missing()`` so a
fixture can skip with the reason.

- Virtuoso: Debian's ``virtuoso-opensource-7`` (``make engines``). A ``virtuoso.ini`` is
  written into the folder (database files, SQL and HTTP ports, ``DirsAllowed`` for the
  bulk loader's folder, no result-set cap, a 60 s server-side query limit), then
  ``virtuoso-t +foreground +configfile …``; ready once ``/sparql`` answers.
- Oxigraph server: ``oxigraph serve`` from the PyPI package ``oxigraph`` (the ``test``
  extra), on disk (``--location``) so that it survives being killed, with ``--timeout-s``.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from ogpgraph.release.layout import BuildLayout
from ogpgraph.store.engines import parse_store_url
from ogpgraph.store.remote_load import load_release
from ogpgraph.store.remote_store import RemoteStore

# Virtuoso creates its database on first start (~15 s here); an Oxigraph server restarted
# after a SIGKILL mid-load replays its write-ahead log first (~300 MB after the load
# tests), which took over 90 s on a loaded 2-core CI machine.
START_TIMEOUT_S = 300.0
STOP_TIMEOUT_S = 20.0
SERVER_QUERY_TIMEOUT_S = 10  # the engines stop a query of a test that gave up on it


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def oxigraph_binary() -> str | None:
    beside = Path(sys.executable).with_name("oxigraph")
    return str(beside) if beside.is_file() else shutil.which("oxigraph")


def missing(kind: str) -> str | None:
    """Why the engine ``kind`` cannot start here, or None."""
    if kind == "virtuoso":
        for binary in ("virtuoso-t", "isql-vt"):
            if shutil.which(binary) is None:
                return (f"{binary} is not installed (Debian's virtuoso-opensource-7: "
                        "`make engines`)")
        return None
    if kind == "oxigraph":
        if oxigraph_binary() is None:
            return "oxigraph (the PyPI package 'oxigraph', in the test extra) is not installed"
        return None
    return f"unknown engine {kind!r}"


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
LiteMode = 0
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 10
CheckpointInterval = 60
O_DIRECT = 0
CaseMode = 2
MaxStaticCursorRows = 5000
AllowOSCalls = 0
SchedulerInterval = 10
DirsAllowed = ., {dir}, {load_dir}
ThreadCleanupInterval = 0
ThreadThreshold = 10
ResourcesCleanupInterval = 0
FreeTextBatchSize = 100000
SingleCPU = 0
PrefixResultNames = 0
IndexTreeMaps = 64
MaxQueryMem = 1G
VectorSize = 1000
MaxVectorSize = 1000000
AdjustVectorSize = 0
ThreadsPerQuery = 2
AsyncQueueMaxThreads = 4
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty_buffers}
; the loader's switch is one transaction whose roll-forward entry grows with the release
; (the 50 MB default aborted it at 100,000 commitments: SR325, and so did 20000000000,
; apparently read as a smaller number); 0: no limit
TransactionAfterImageLimit = 0

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}/vsp
MaxClientConnections = 10
DavRoot = DAV
EnabledDavVSP = 0
HTTPProxyEnabled = 0
TempASPXDir = 0
ServerThreads = 10
MaxKeepAlives = 10
KeepAliveTimeout = 10
HTTPThreadSize = 280000
HttpPrintWarningsInOutput = 0
Charset = UTF-8
EnabledGzipContent = 0

[AutoRepair]
BadParentLinks = 0

[Client]
SQL_PREFETCH_ROWS = 100
SQL_PREFETCH_BYTES = 16000
SQL_QUERY_TIMEOUT = 0
SQL_TXN_TIMEOUT = 0

[SPARQL]
ResultSetMaxRows = 0
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime = {query_timeout}
DefaultQuery = ASK {{}}
"""


@dataclass
class Engine:
    """One engine process and what a client needs to reach it."""

    kind: str
    folder: Path
    http_port: int
    sql_port: int = 0  # Virtuoso's SQL (isql) port
    process: subprocess.Popen | None = None
    log: Path = field(init=False)

    def __post_init__(self) -> None:
        self.log = self.folder / f"{self.kind}.out"

    @property
    def load_dir(self) -> Path:
        """Where a loader may put files for the engine to read (Virtuoso's DirsAllowed)."""
        return self.folder / "load"

    @property
    def url(self) -> str:
        """The store URL that ``ogpgraph.store.remote_store.open_store`` takes."""
        if self.kind == "virtuoso":
            return (f"virtuoso+http://dba:dba@127.0.0.1:{self.http_port}/sparql"
                    f"?isql={self.sql_port}&load_dir={self.load_dir}")
        return f"oxigraph+http://127.0.0.1:{self.http_port}"

    @property
    def sparql_url(self) -> str:
        """The engine's own query endpoint."""
        if self.kind == "virtuoso":
            return f"http://127.0.0.1:{self.http_port}/sparql"
        return f"http://127.0.0.1:{self.http_port}/query"

    def command(self) -> list[str]:
        if self.kind == "virtuoso":
            return ["virtuoso-t", "+foreground", "+configfile", str(self.folder / "virtuoso.ini")]
        return [oxigraph_binary() or "oxigraph", "serve", "--location", str(self.folder / "db"),
                "--bind", f"127.0.0.1:{self.http_port}",
                "--timeout-s", str(SERVER_QUERY_TIMEOUT_S)]

    def start(self) -> None:
        """Start (or restart, on the same files) and wait until it answers queries."""
        self.load_dir.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(self.command(), cwd=self.folder, stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.kind} exited with {self.process.returncode}: "
                                   f"{self.tail()}")
            try:
                answer = httpx.get(self.sparql_url, params={"query": "ASK {}"}, timeout=5,
                                   headers={"Accept": "application/sparql-results+json"})
                if answer.status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"{self.kind} did not answer within {START_TIMEOUT_S:g} s: "
                                   f"{self.tail()}")
            time.sleep(0.25)

    def tail(self) -> str:
        try:
            return self.log.read_text(errors="replace")[-2000:]
        except OSError:
            return ""

    def kill(self) -> None:
        """SIGKILL, as a crash would: no checkpoint, no clean shutdown."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=STOP_TIMEOUT_S)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.kill()


def new_engine(kind: str, folder: Path, memory_mb: int = 512) -> Engine:
    """An engine of ``kind`` with its files in ``folder`` (not started)."""
    folder.mkdir(parents=True, exist_ok=True)
    engine = Engine(kind, folder, free_port(), free_port() if kind == "virtuoso" else 0)
    if kind == "virtuoso":
        (folder / "vsp").mkdir(exist_ok=True)
        buffers = max(memory_mb * 1024 // 8 * 2 // 3, 10_000)  # 8 KB pages, 2/3 of the memory
        (folder / "virtuoso.ini").write_text(VIRTUOSO_INI.format(
            dir=folder, load_dir=engine.load_dir, sql_port=engine.sql_port,
            http_port=engine.http_port, buffers=buffers, dirty_buffers=buffers * 3 // 4,
            query_timeout=SERVER_QUERY_TIMEOUT_S))
    return engine


def start_engine(kind: str, folder: Path) -> Engine:
    reason = missing(kind)
    if reason:
        pytest.skip(reason)
    engine = new_engine(kind, folder)
    engine.start()
    return engine


def build_id(build_dir: Path) -> str:
    return BuildLayout.current(build_dir).manifest()["build_id"]


def serving(engine: Engine, build_dir: Path) -> RemoteStore:
    """A RemoteStore on ``engine`` once it serves the current release of ``build_dir``."""
    store = RemoteStore(parse_store_url(engine.url))
    current = store.read_release()
    if current is None or current.build_id != build_id(build_dir):
        load_release(build_dir, engine.url)
        store.refresh()
    return store
