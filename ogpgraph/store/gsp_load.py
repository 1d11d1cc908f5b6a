"""Staging and switching over HTTP: Graph Store Protocol + SPARQL Update (Oxigraph server,
Fuseki). See ``remote_load.py`` for the steps and why the switch is atomic."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path

import httpx

from ogpgraph.store.engines import Endpoint
from ogpgraph.store.remote_load import LoadFailed, Staging
from ogpgraph.store.remote_protocol import Release

CHUNK = 1 << 20
UPDATE = "application/sparql-update"


def _gunzipped(path: Path) -> Iterator[bytes]:
    with gzip.open(path, "rb") as stream:
        yield from iter(lambda: stream.read(CHUNK), b"")


def switch_update(staging: Staging, previous: Release | None) -> str:
    """One SPARQL Update request: drop what the previous release had and the new one has
    not, then move every staging graph to its live name (MOVE drops the target first)."""
    operations = [f"DROP SILENT GRAPH <{iri}>" for iri in staging.gone(previous)]
    operations += [f"MOVE GRAPH <{staged}> TO GRAPH <{live}>"
                   for live, staged in staging.moved]
    return " ;\n".join(operations)


class GspLoader:
    def __init__(self, endpoint: Endpoint, timeout: float) -> None:
        if endpoint.update_url is None or endpoint.store_url is None:
            raise LoadFailed(f"{endpoint.query_url}: no update or Graph Store endpoint")
        self.endpoint = endpoint
        auth = (httpx.BasicAuth(endpoint.user, endpoint.password or "")
                if endpoint.user else None)
        self.client = httpx.Client(timeout=httpx.Timeout(timeout, connect=10.0), auth=auth)

    def stage(self, staged_file: Path, staging: Staging) -> None:
        """POST the staged quads to the dataset (every graph named in them is added to)."""
        assert self.endpoint.store_url is not None
        response = self.client.post(self.endpoint.store_url, content=_gunzipped(staged_file),
                                    headers={"Content-Type": "application/n-quads"})
        if response.status_code >= 300:
            raise LoadFailed(f"{self.endpoint.store_url} refused the staged quads "
                             f"({response.status_code}): {response.text[:500]}")

    def _update(self, update: str) -> None:
        assert self.endpoint.update_url is not None
        response = self.client.post(self.endpoint.update_url, content=update.encode(),
                                    headers={"Content-Type": UPDATE})
        if response.status_code >= 300:
            raise LoadFailed(f"{self.endpoint.update_url} refused the update "
                             f"({response.status_code}): {response.text[:500]}")

    def switch(self, staging: Staging, previous: Release | None) -> None:
        self._update(switch_update(staging, previous))

    def drop(self, graphs: list[str]) -> None:
        if graphs:
            self._update(" ;\n".join(f"DROP SILENT GRAPH <{iri}>" for iri in graphs))

    def counts(self, graphs: list[str]) -> dict[str, int] | None:
        return None  # SPARQL: these engines have no limit of their own on the loader's count

    def staging_graphs(self) -> list[str] | None:
        return None

    def close(self) -> None:
        self.client.close()
