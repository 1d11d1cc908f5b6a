"""The SPARQL tests' fixture dataset (tests/fixtures/sparql/dataset.trig) and apps over it."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
from fastapi import FastAPI

from ogpgraph.config import Settings
from ogpgraph.store.oxigraph_store import OxigraphStore
from ogpgraph.web.app import create_app
from ogpgraph.web.published import PublishedBuild

BASE = "http://127.0.0.1:8000/"
FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "sparql" / "dataset.trig"
PERU_GRAPH = f"{BASE}id/source/page-00000000000000aa"
UK_GRAPH = f"{BASE}id/source/page-00000000000000bb"
PREFIXES = (f"PREFIX ogp: <{BASE}ontology#>\n"
            "PREFIX dcterms: <http://purl.org/dc/terms/>\n"
            "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n")
# 4-way cartesian product of the whole dataset: minutes of work, stopped by the deadline
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


STORE_LAYOUTS = ("union on the fly", "union materialised", "named graphs on disk")


def fixture_published(layout: str = "union on the fly") -> PublishedBuild:
    """The fixture's named graphs in one of ``STORE_LAYOUTS``: the union taken per query,
    stored beside them as the default graph, or alone in memory with the named graphs (and
    the union) in an on-disk store, as ``ogpgraph serve`` loads a build."""
    store = ox.Store()
    store.load(path=str(FIXTURE), format=ox.RdfFormat.TRIG)
    quads = len(store)
    manifest = {"build_id": "sparql-fixture", "built_at": "2026-01-01T00:00:00+00:00",
                "base_uri": BASE}
    if layout == "union on the fly":
        return PublishedBuild(store=OxigraphStore(store, quads=quads), base=BASE,
                              manifest=manifest)
    store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    if layout == "union materialised":
        return PublishedBuild(store=OxigraphStore(store, True, quads), base=BASE,
                              manifest=manifest)
    disk_dir = Path(tempfile.mkdtemp(prefix="ogpgraph-named-graphs-"))
    atexit.register(shutil.rmtree, disk_dir, ignore_errors=True)
    disk = ox.Store(str(disk_dir))
    disk.bulk_extend(store)
    disk.flush()
    del disk
    union = ox.Store()
    union.bulk_extend(store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    return PublishedBuild(store=OxigraphStore(union, quads=quads, named_graphs=disk_dir),
                          base=BASE, manifest=manifest)


def fixture_app(layout: str = "union on the fly", **overrides: object) -> FastAPI:
    settings = replace(Settings(base_uri=BASE), **overrides)  # type: ignore[arg-type]
    return create_app(settings=settings, published=fixture_published(layout))
