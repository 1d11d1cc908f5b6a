"""Rendered answers are replayed from the in-process cache, byte for byte, and only where
that is right."""

from __future__ import annotations

from fastapi.testclient import TestClient
from web_fixture import app_for

from ogpgraph.config import DEFAULT_BASE_URI

TURTLE = {"accept": "text/turtle"}


def test_a_second_request_is_replayed_identically() -> None:
    app = app_for(DEFAULT_BASE_URI)
    client = TestClient(app)
    first = client.get("/doc/commitment/PE0055.html")
    assert len(app.state.response_cache.found.entries) == 1
    second = client.get("/doc/commitment/PE0055.html")
    assert second.status_code == 200 and second.content == first.content
    assert second.headers["etag"] == first.headers["etag"]
    assert second.headers["content-type"] == first.headers["content-type"]


def test_negotiation_headers_are_part_of_the_key() -> None:
    app = app_for(DEFAULT_BASE_URI)
    client = TestClient(app)
    as_html = client.get("/doc/commitment/PE0055", headers={"accept": "text/html"})
    as_turtle = client.get("/doc/commitment/PE0055", headers=TURTLE)
    assert as_html.headers["content-type"].startswith("text/html")
    assert as_turtle.headers["content-type"].startswith("text/turtle")
    again = client.get("/doc/commitment/PE0055", headers={"accept": "text/html"})
    assert again.content == as_html.content


def test_conditional_requests_still_get_304() -> None:
    client = TestClient(app_for(DEFAULT_BASE_URI))
    etag = client.get("/doc/commitment/PE0055.ttl").headers["etag"]
    client.get("/doc/commitment/PE0055.ttl")
    assert client.get("/doc/commitment/PE0055.ttl",
                      headers={"if-none-match": etag}).status_code == 304


def test_errors_other_than_404_and_sparql_are_not_cached() -> None:
    app = app_for(DEFAULT_BASE_URI)
    client = TestClient(app)
    assert client.get("/doc/commitment/PE0055.html", params={"page": "0"}).status_code == 400
    client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
    cache = app.state.response_cache
    assert len(cache.found.entries) == len(cache.missing.entries) == 0


def test_404s_are_kept_apart_and_cannot_evict_pages() -> None:
    app = app_for(DEFAULT_BASE_URI)
    cache = app.state.response_cache
    cache.missing.max_entries = 3
    client = TestClient(app)
    page = client.get("/doc/commitment/PE0055.html")
    for n in range(10):  # a storm of unknown identifiers
        assert client.get(f"/doc/commitment/ZZ{n:04}.html").status_code == 404
    assert len(cache.missing.entries) == 3 and len(cache.found.entries) == 1
    assert client.get("/doc/commitment/PE0055.html").content == page.content
