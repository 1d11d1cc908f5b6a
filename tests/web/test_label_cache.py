"""A release's labels are chosen once: ``reader_labels.LabelCache`` per published build.
From a remote engine the label query is a round trip of its own after the document's
queries; with the cache, a page whose terms were seen before sends none."""

from __future__ import annotations

from typing import Any

import pytest
from browse_fixtures import StoreSpy, make_client, write_release
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDFS

from ogpgraph.web.published import PublishedBuild
from ogpgraph.web.reader_labels import LabelCache, document_labels
from ogpgraph.web.resource_document import build_document

HTML = {"accept": "text/html"}
A, B, C = (URIRef(f"http://example.org/{n}") for n in "abc")


def test_the_cache_gives_back_what_it_was_told_by_language() -> None:
    cache = LabelCache()
    assert cache.lookup([A, B], "en") == ({}, {A, B})
    cache.remember([A, B], "en", {A: Literal("a", lang="en")})
    assert cache.lookup([A, B, C], "en") == ({A: Literal("a", lang="en")}, {C})
    assert cache.lookup([A], "es") == ({}, {A}), "languages are remembered apart"


def test_a_full_cache_starts_again() -> None:
    cache = LabelCache(capacity=2)
    cache.remember([A, B], "en", {})
    cache.remember([C], "en", {C: Literal("c")})
    assert len(cache) == 1
    assert cache.lookup([A, C], "en") == ({C: Literal("c")}, {A})


def _watched(published: PublishedBuild) -> tuple[Any, StoreSpy]:
    spy = StoreSpy(published.store)
    watched = PublishedBuild(store=spy, base=published.base,  # type: ignore[arg-type]
                             manifest=published.manifest, layout=published.layout)
    return make_client(watched), spy


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> PublishedBuild:
    published, _ = write_release(tmp_path_factory.mktemp("labels") / "release")
    return published


def label_queries(spy: StoreSpy) -> list[str]:
    return [q for q in spy.queries if "VALUES ?s" in q]


def _page(client: Any, spy: StoreSpy, url: str) -> str:
    spy.queries.clear()
    client.app.state.response_cache.clear()  # served, not replayed
    response = client.get(url, headers=HTML)
    assert response.status_code == 200, url
    return response.text


def test_a_page_seen_again_asks_for_no_labels_and_reads_the_same(release) -> None:
    client, spy = _watched(release)
    first = _page(client, spy, "/doc/member/peru.html")
    assert label_queries(spy), "the first page asks for the labels of what it links to"
    again = _page(client, spy, "/doc/member/peru.html")
    assert label_queries(spy) == []
    assert spy.queries, "the document itself is still read from the store"
    assert again == first


def test_another_language_and_another_release_ask_again(release) -> None:
    client, spy = _watched(release)
    _page(client, spy, "/doc/member/peru.html")
    _page(client, spy, "/doc/member/peru.html?lang=es")
    assert label_queries(spy), "Spanish labels are not the English ones"
    fresh, fresh_spy = _watched(release)  # a new PublishedBuild: a new release's cache
    _page(fresh, fresh_spy, "/doc/member/peru.html")
    assert label_queries(fresh_spy)


def test_a_page_needs_no_label_query_for_its_sources_and_links(release) -> None:
    """Once the terms shared by every commitment page are known, another commitment's
    page asks for no labels, and names its sources by their titles."""
    client, spy = _watched(release)
    _page(client, spy, "/doc/commitment/PE0056.html")
    page = _page(client, spy, "/doc/commitment/PE0055.html")
    assert label_queries(spy) == []
    sources = [q for q in spy.queries if "GRAPH ?g" in q]
    assert len(sources) == 1
    titles = {str(row["l"]) for row in release.store.select(sources[0]) if "l" in row}
    assert titles, "the fixture's sources have titles"
    assert all(title in page for title in titles)


def test_labels_looked_up_by_the_document_are_not_asked_again() -> None:
    """What the document's queries looked up (``looked_up``: in its graph, or ``known``
    for its sources) is never asked for again, even with no cache and no label."""
    graph = Graph()
    graph.add((A, RDFS.label, Literal("a", lang="en")))
    graph.add((A, RDFS.seeAlso, B))
    spy = StoreSpy(None)
    labels = document_labels(spy, graph, [A, B, C], "en", None, looked_up={B, C},  # type: ignore[arg-type]
                             known={C: {DCTERMS.title: [Literal("c's title")]}})
    assert spy.queries == []
    assert labels == {A: Literal("a", lang="en"), C: Literal("c's title")}


def test_a_document_knows_what_it_looked_up_and_its_sources_titles(release) -> None:
    commitment = URIRef(f"{release.base}id/commitment/PE0055")
    doc = build_document(release.store, release.base, commitment,
                         f"{release.base}doc/commitment/PE0055.ttl", release.built_at)
    linked = {o for o in doc.graph.objects(commitment) if isinstance(o, URIRef)}
    assert linked and linked <= doc.looked_up
    assert set(doc.sources) <= doc.looked_up
    titles = {str(t) for by_prop in doc.source_labels.values()
              for t in by_prop.get(DCTERMS.title, [])}
    assert titles == {"Fixture commitment pages"}
