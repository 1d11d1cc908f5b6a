"""The listing index of an incremental build (temporary: rebuilt from the union dump)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pyoxigraph as ox

from ogpgraph.release.default_graph import UNION_GRAPH
from ogpgraph.release.layout import BuildLayout
from ogpgraph.release.listings.writer import build_listing_index


def update_listing_index(layout: BuildLayout, previous: Path, store: ox.Store, base: str,
                         redirects: dict[str, str], changed: set[str]) -> None:
    union = ox.Store()
    with gzip.open(layout.ntriples_dump, "rb") as stream:
        union.bulk_load(input=stream, format=ox.RdfFormat.N_TRIPLES, to_graph=UNION_GRAPH)
    build_listing_index(union, base, layout.listings_path, union=True, redirects=redirects)
