"""``ogpgraph publish``: load a release into a SPARQL engine and make it the one served
(``ogpgraph/store/remote_load.py``: staged under graph names of its own, counted, then
switched in one transaction; a failed load leaves the previous release served)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from ogpgraph.cli.console import err, fail, out
from ogpgraph.config import Settings

STORE_HELP = ("The SPARQL engine, e.g. virtuoso+http://dba:PW@host:8890/sparql?isql=1111"
              "&load_dir=/dir or oxigraph+http://host:7878 (default: OGPGRAPH_STORE).")


def engine_served(store_url: str) -> str:
    """What the engine serves now, for a message: a build id, 'nothing', or why unknown."""
    from ogpgraph.store.engines import parse_store_url
    from ogpgraph.store.remote_store import RemoteStore, RemoteStoreError

    reader = RemoteStore(parse_store_url(store_url), timeout=10.0)
    try:
        release = reader.read_release()
    except (RemoteStoreError, SyntaxError) as error:
        return f"unknown ({error})"
    finally:
        reader.close()
    return f"release {release.build_id}" if release else "no release"


def publish_release(release_dir: Path, store_url: str) -> None:
    """Load ``release_dir`` (a release, or a build folder's current one) into the engine;
    on failure, exit 1 naming the engine, the reason and what it still serves."""
    from ogpgraph.store.engines import parse_store_url, redacted
    from ogpgraph.store.remote_load import LoadFailed, load_release

    shown = redacted(store_url)
    try:
        endpoint = parse_store_url(store_url)
    except ValueError as error:
        fail([str(error)], "nothing was published")
    engine = f"{endpoint.kind} at {endpoint.query_url}"
    err.print(f"loading {release_dir} into {engine} ...", highlight=False)
    started = time.perf_counter()
    try:
        release = load_release(release_dir, endpoint)
    except LoadFailed as error:
        fail([f"loading into {engine} ({shown}) failed: {error}"],
             f"not published: the engine still serves {engine_served(store_url)}")
    out.print(f"published release {release.build_id} to {engine} "
              f"({len(release.named_graphs)} named graphs, "
              f"{time.perf_counter() - started:.1f} s)", highlight=False)


def publish(
    store: Annotated[str | None, typer.Option("--store", help=STORE_HELP)] = None,
    release: Annotated[Path | None, typer.Option(
        "--release", help="A release folder, or a build folder (its current release); "
        "default: the current release of OGPGRAPH_BUILD_DIR.")] = None,
) -> None:
    """Load a release into a SPARQL engine; readers never see half of it."""
    settings = Settings.from_env()
    store_url = store or settings.store_url
    if not store_url:
        fail(["no engine given: --store URL or OGPGRAPH_STORE"], "nothing was published")
    publish_release(release or settings.build_dir, store_url)
