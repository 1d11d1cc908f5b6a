"""The SPARQL tests' fixture dataset (tests/fixtures/sparql/dataset.trig) and apps over it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
from fastapi import FastAPI

from ogpgraph.settings import Settings
from ogpgraph.store.oxigraph_store import OxigraphStore
from ogpgraph.web.app import create_app
from ogpgraph.web.published import PublishedBuild

BASE = "http://127.0.0.1:8000/"
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "sparql" / "dataset.trig"
PERU_GRAPH = f"{BASE}id/source/page-00000000000000aa"
UK_GRAPH = f"{BASE}id/source/page-00000000000000bb"
PREFIXES = (f"PREFIX ogp: <{BASE}ontology#>\n"
            "PREFIX dcterms: <http://purl.org/dc/terms/>\n"
            "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n")
# 4-way cartesian product of the whole dataset: minutes of work, stopped by the deadline
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def fixture_published(materialise_union: bool = False) -> PublishedBuild:
    """The fixture's named graphs; with ``materialise_union`` their union is also stored as
    the default graph, as ``ogpgraph serve`` loads a build."""
    store = ox.Store()
    store.load(path=str(FIXTURE), format=ox.RdfFormat.TRIG)
    quads = len(store)
    if materialise_union:
        store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    manifest = {"build_id": "sparql-fixture", "built_at": "2026-01-01T00:00:00+00:00",
                "base_uri": BASE}
    return PublishedBuild(store=OxigraphStore(store, materialise_union, quads), base=BASE,
                          manifest=manifest)


def fixture_app(materialise_union: bool = False, **overrides: object) -> FastAPI:
    settings = replace(Settings(base_uri=BASE), **overrides)  # type: ignore[arg-type]
    return create_app(settings=settings, published=fixture_published(materialise_union))
