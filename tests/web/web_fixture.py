"""The web tests' dataset: a hand-written TriG file (tests/fixtures/web/dataset.trig) under
any base, opened the way ``ogpgraph serve`` opens a release: the union of its graphs in
memory, its named graphs in an on-disk store (written into a temporary folder)."""

from __future__ import annotations

import atexit
import gzip
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from fastapi import FastAPI

from ogpgraph.config import DEFAULT_BASE_URI, Settings
from ogpgraph.release.union import write_disk_store
from ogpgraph.store.oxigraph_store import OxigraphStore
from ogpgraph.web.app import create_app
from ogpgraph.web.published import PublishedBuild

DATASET = Path(__file__).resolve().parents[1] / "fixtures" / "web" / "dataset.trig"
BUILT_AT = "2024-05-01T12:00:00+00:00"
OTHER_BASE = "https://example.org/ogp/"


@lru_cache(maxsize=4)
def _release_files(base: str) -> tuple[Path, Path, int]:
    """(the union as gzipped N-Triples, the on-disk store, quads) for ``base``."""
    text = DATASET.read_text(encoding="utf-8").replace(DEFAULT_BASE_URI, base)
    quads = ox.Store()
    quads.load(text.encode("utf-8"), format=ox.RdfFormat.TRIG)
    folder = Path(tempfile.mkdtemp(prefix="ogpgraph-web-fixture-"))
    atexit.register(shutil.rmtree, folder, True)
    nquads, ntriples = folder / "ogpgraph.nq.gz", folder / "ogpgraph.nt.gz"
    with gzip.open(nquads, "wb") as stream:
        quads.dump(stream, ox.RdfFormat.N_QUADS)
    union = {ox.Triple(q.subject, q.predicate, q.object) for q in quads}
    with gzip.open(ntriples, "wb") as stream:
        stream.write(ox.serialize(sorted(union, key=str), format=ox.RdfFormat.N_TRIPLES))
    write_disk_store(folder / "store", nquads, ntriples)
    return ntriples, folder / "store", len(quads)


def published_for(base: str) -> PublishedBuild:
    """The fixture dataset with its IRIs minted under ``base``, as ``serve`` opens it."""
    ntriples, store_dir, quads = _release_files(base)
    store = OxigraphStore.union_in_memory(ntriples, store_dir, quads=quads)
    manifest = {"build_id": f"test-{base}", "built_at": BUILT_AT, "base_uri": base}
    return PublishedBuild(store=store, base=base, manifest=manifest)


def app_for(base: str) -> FastAPI:
    return create_app(Settings(base_uri=base), published_for(base))
