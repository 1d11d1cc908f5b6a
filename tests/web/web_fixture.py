"""The web tests' dataset: a hand-written TriG file (tests/fixtures/web/dataset.trig) served
in memory, under any base."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from fastapi import FastAPI

from ogpgraph.config import DEFAULT_BASE_URI, Settings
from ogpgraph.store.oxigraph_store import OxigraphStore
from ogpgraph.web.app import create_app
from ogpgraph.web.published import PublishedBuild

DATASET = Path(__file__).resolve().parents[1] / "fixtures" / "web" / "dataset.trig"
BUILT_AT = "2024-05-01T12:00:00+00:00"
OTHER_BASE = "https://example.org/ogp/"


def published_for(base: str) -> PublishedBuild:
    """The fixture dataset with its IRIs minted under ``base``."""
    text = DATASET.read_text(encoding="utf-8").replace(DEFAULT_BASE_URI, base)
    store = ox.Store()
    store.load(text.encode("utf-8"), format=ox.RdfFormat.TRIG)
    manifest = {"build_id": f"test-{base}", "built_at": BUILT_AT, "base_uri": base}
    return PublishedBuild(store=OxigraphStore(store), base=base, manifest=manifest)


def app_for(base: str) -> FastAPI:
    return create_app(Settings(base_uri=base), published_for(base))
