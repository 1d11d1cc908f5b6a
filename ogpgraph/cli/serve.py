"""``ogpgraph serve``: the SPARQL endpoint, linked data and dumps of the last build, from
the embedded store or from a SPARQL engine (``--store``), under uvicorn or Granian."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Callable
from dataclasses import replace
from enum import StrEnum
from typing import Annotated

import typer

from ogpgraph.cli.console import err, fail
from ogpgraph.config import Settings

APP_FACTORY = "ogpgraph.web.app:create_app"


class Server(StrEnum):
    uvicorn = "uvicorn"
    granian = "granian"


def run_uvicorn(host: str, port: int, settings: Settings, access_log: bool) -> None:
    import uvicorn

    from ogpgraph.web.app import create_app

    try:
        application = create_app(settings)
    except FileNotFoundError as error:
        fail([str(error)], "nothing to serve")
    # uvicorn writes access lines to stdout: a line each, as they happen, also when stdout
    # is a file or journald's pipe (block-buffered, they showed only every few kilobytes)
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(line_buffering=True)
    # X-Forwarded-For/-Proto are believed from OGPGRAPH_TRUSTED_PROXIES only (uvicorn's own
    # default would trust 127.0.0.1); absolute URLs come from OGPGRAPH_BASE_URI, never headers.
    uvicorn.run(application, host=host, port=port, log_level="info", proxy_headers=True,
                forwarded_allow_ips=list(settings.trusted_proxies), access_log=access_log)


def run_granian(host: str, port: int, settings: Settings, access_log: bool) -> None:
    """Granian (Rust HTTP, ASGI) with one worker process that makes the app from the
    environment, as ``create_app()`` does (settings reach it as OGPGRAPH_* variables)."""
    from granian import Granian
    from granian.constants import Interfaces

    if settings.store_url:  # --store: the worker process reads the environment
        os.environ["OGPGRAPH_STORE"] = settings.store_url
    Granian(APP_FACTORY, factory=True, address=host, port=port, interface=Interfaces.ASGI,
            workers=1, respawn_failed_workers=True, log_access=access_log).serve()


SERVERS: dict[Server, Callable[[str, int, Settings, bool], None]] = {
    Server.uvicorn: run_uvicorn,
    Server.granian: run_granian,
}


def serve(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    store: Annotated[str | None, typer.Option(
        "--store", help="Serve from this SPARQL engine, e.g. virtuoso+http://dba:PW@host:8890"
        "/sparql or oxigraph+http://host:7878 (default: OGPGRAPH_STORE, else the embedded "
        "store of the current build).")] = None,
    server: Annotated[Server, typer.Option(
        help="HTTP server (default: OGPGRAPH_SERVER, else uvicorn: faster on a quiet "
        "machine, bench/results/servers.md).", envvar="OGPGRAPH_SERVER")] = Server.uvicorn,
    access_log: Annotated[bool, typer.Option(
        help="A line per request in the server's log (default: OGPGRAPH_ACCESS_LOG, else on). "
        "Behind "
        "a reverse proxy that logs requests, off saves ~0.1-0.2 ms a request "
        "(bench/results/servers.md).", envvar="OGPGRAPH_ACCESS_LOG")] = True,
) -> None:
    """Serve the last build (or the release an engine serves): SPARQL endpoint, linked
    data, dumps."""
    from ogpgraph.store.engines import redacted
    from ogpgraph.store.factory import NoRelease, locate_release
    from ogpgraph.store.sandbox import SandboxUnavailable, ensure_available

    settings = Settings.from_env()
    if store:
        settings = replace(settings, store_url=store)
    if not settings.store_url:
        try:
            if settings.query_workers > 0:
                ensure_available()
        except SandboxUnavailable as error:
            fail([f"query workers cannot be sandboxed: {error}",
                  "OGPGRAPH_QUERY_WORKERS=0 runs queries in the server itself, with no sandbox"],
                 "not serving")
    try:
        release = locate_release(settings.build_dir, settings.store_url)
    except (NoRelease, ValueError) as error:
        fail([str(error)], "nothing to serve")
    source = settings.store_url or "the embedded store"
    err.print(f"serving {release.root} from {redacted(source)} (IRIs under "
              f"{settings.base_uri}; {server.value})", highlight=False, soft_wrap=True)
    err.print(f"open http://{host}:{port}/", highlight=False, soft_wrap=True)
    SERVERS[server](host, port, settings, access_log)

