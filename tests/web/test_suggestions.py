"""The "did you mean" of a 404 comes from the listing index, at a bounded cost, and the 404
is cached (issue 15, item 4).

Reproduction: every unknown identifier made the web process scan every subject of its kind
(166 ms at 10,000 commitments, no deadline), and nothing of it was cached: a storm of
unknown identifiers starved the pages.
"""

from __future__ import annotations

import sqlite3
from typing import Any

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from web_fixture import BUILT_AT, DATASET

from ogpgraph.config import DEFAULT_BASE_URI, Settings
from ogpgraph.release.listings.identifiers import (
    IDENTIFIERS_SCHEMA,
    NEIGHBOURS,
    nearest_identifiers,
)
from ogpgraph.release.listings.writer import build_listing_index
from ogpgraph.store.oxigraph_store import OxigraphStore
from ogpgraph.web.app import create_app
from ogpgraph.web.published import PublishedBuild

B = DEFAULT_BASE_URI


class SpyStore(OxigraphStore):
    """The store, recording every query the web layer sends it."""

    def __init__(self, store: ox.Store) -> None:
        super().__init__(store)
        self.queries: list[str] = []

    def query(self, query: str) -> Any:
        self.queries.append(query)
        return super().query(query)


@pytest.fixture()
def spied() -> tuple[TestClient, SpyStore]:
    raw = ox.Store()
    raw.load(path=str(DATASET), format=ox.RdfFormat.TRIG)
    store = SpyStore(raw)
    published = PublishedBuild(store=store, base=B, manifest={
        "build_id": "suggestions", "built_at": BUILT_AT, "base_uri": B})
    published._listings = build_listing_index(raw, B)  # as a release has it on disk
    return TestClient(create_app(Settings(base_uri=B), published)), store


def test_a_404_reads_no_subjects_from_the_store(spied) -> None:
    client, store = spied
    response = client.get("/id/commitment/PE0057", headers={"accept": "application/json"})
    assert response.status_code == 404
    assert [s["iri"] for s in response.json()["suggestions"]][:2] == [
        f"{B}id/commitment/PE0056", f"{B}id/commitment/PE0055"]
    # only "does this IRI exist?" (the IRI and its canonical spelling), never a scan
    assert store.queries and all(q.startswith(f"ASK {{ <{B}id/commitment/")
                                 for q in store.queries), store.queries


def test_a_404_is_replayed_from_the_cache(spied) -> None:
    client, store = spied
    first = client.get("/doc/commitment/XE0055.html")
    asked = len(store.queries)
    second = client.get("/doc/commitment/XE0055.html")
    assert first.status_code == second.status_code == 404
    assert second.content == first.content
    assert len(store.queries) == asked  # not even the existence check again


def test_the_suggestions_are_the_nearest_keys_and_keep_their_labels(spied) -> None:
    client, _ = spied
    index = client.app.state.published.listings

    def near(kind: str, key: str) -> list[str]:
        return [iri.removeprefix(f"{B}id/") for iri, _ in nearest_identifiers(index, kind, key)]

    assert near("commitment", "XE0055")[0] == "commitment/PE0055"  # same end
    assert near("institution", "united-kingdom/cabinet-ofice") == [
        "institution/united-kingdom/cabinet-office"]
    assert set(near("milestone", "PE0055-3")[:2]) == {"milestone/PE0055-1", "milestone/PE0055-2"}
    assert near("commitment", "zzzzzzzz") == []
    # a kind the labels table does not hold: its English label is kept with the identifier
    text = client.get("/id/irm-report/peru-2015-mid-trem", headers={"accept": "text/plain"}).text
    assert f"Did you mean {B}id/irm-report/peru-2015-mid-term (Peru Mid-Term Report " in text


class CountingIndex:
    """The identifiers table of a large dataset, counting the rows read from it."""

    def __init__(self, keys: int) -> None:
        self.conn = sqlite3.connect(":memory:")
        self.conn.executescript(IDENTIFIERS_SCHEMA)
        rows = [("commitment", f"C{n:06}", f"c{n:06}", f"c{n:06}"[::-1],
                 f"{B}id/commitment/C{n:06}", None) for n in range(keys)]
        self.conn.executemany("INSERT INTO identifiers VALUES (?, ?, ?, ?, ?, ?)", rows)
        self.read = 0

    def rows(self, sql: str, params: Any = ()) -> list[tuple]:
        found = self.conn.execute(sql, params).fetchall()
        self.read += len(found)
        return found


def test_the_cost_is_bounded_whatever_the_size() -> None:
    index = CountingIndex(50_000)
    found = nearest_identifiers(index, "commitment", "C012345x")
    assert f"{B}id/commitment/C012345" in [iri for iri, _ in found]
    assert index.read <= 4 * NEIGHBOURS
