"""``ogpgraph serve``: the SPARQL endpoint, linked data and dumps of the last build."""

from __future__ import annotations

from typing import Annotated

import typer

from ogpgraph.cli.console import err, fail
from ogpgraph.config import Settings


def serve(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
) -> None:
    """Serve the last build: SPARQL endpoint, linked data, dumps."""
    import uvicorn

    from ogpgraph.store.sandbox import SandboxUnavailable, ensure_available
    from ogpgraph.web.app import create_app

    settings = Settings.from_env()
    try:
        if settings.query_workers > 0:
            ensure_available()
    except SandboxUnavailable as error:
        fail([f"query workers cannot be sandboxed: {error}",
              "OGPGRAPH_QUERY_WORKERS=0 runs queries in the server itself, with no sandbox"],
             "not serving")
    try:
        application = create_app(settings)
    except FileNotFoundError as error:
        fail([str(error)], "nothing to serve")
    err.print(f"serving {settings.build_dir / 'current'} at http://{host}:{port}/ "
              f"(IRIs under {settings.base_uri})")
    # uvicorn would believe X-Forwarded-For from 127.0.0.1 by default: the same proxies only
    uvicorn.run(application, host=host, port=port, log_level="info",
                forwarded_allow_ips=list(settings.trusted_proxies))
