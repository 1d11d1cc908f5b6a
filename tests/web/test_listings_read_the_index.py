"""The README's promise: "no page scans the graph per request; pages read the listing
index". A spy on the store counts what the web layer asks it while pages are served."""

from __future__ import annotations

from typing import Any

import pytest
from browse_fixtures import StoreSpy, make_client, write_release

from ogpgraph.web.published import PublishedBuild

HTML = {"accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
LISTINGS = ["/members", "/action-plans", "/action-plans?member=peru", "/commitments",
            "/commitments?member=peru&sort=title&order=desc&page=2",
            "/commitments?policy_area=open-data&starred=true", "/institutions",
            "/institutions?member=peru", "/policy-areas", "/search?q=water",
            "/search?q=commitment&page=2", "/"]


@pytest.fixture(scope="module")
def spied(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, StoreSpy]:
    published, _ = write_release(tmp_path_factory.mktemp("spied") / "release")
    spy = StoreSpy(published.store)
    watched = PublishedBuild(store=spy, base=published.base,  # type: ignore[arg-type]
                             manifest=published.manifest, layout=published.layout)
    return make_client(watched), spy


@pytest.mark.parametrize("url", LISTINGS)
def test_listing_pages_ask_the_store_nothing(spied, url: str) -> None:
    client, spy = spied
    spy.queries.clear()
    client.app.state.response_cache.clear()  # served, not replayed
    response = client.get(url, headers=HTML)
    assert response.status_code == 200, url
    assert spy.queries == [], f"{url} queried the store: {spy.queries[:1]}"


def test_a_member_page_asks_only_about_the_member(spied) -> None:
    """Its action plans, commitments and chart come from the index; the store is asked
    only for the member's own document and the labels of what it links to."""
    client, spy = spied
    spy.queries.clear()
    client.app.state.response_cache.clear()
    member = "http://127.0.0.1:8000/id/member/peru"
    assert client.get("/doc/member/peru.html", headers=HTML).status_code == 200
    assert spy.queries
    for query in spy.queries:
        assert member in query or "VALUES ?s" in query, query


def test_a_page_asks_no_existence_query_nor_labels_its_document_holds(spied) -> None:
    """A typed subject is known from the index (no ASK); the labels of what the document
    describes (the member, its linked resources) come from the document, so the label
    query, if any, names none of them."""
    client, spy = spied
    spy.queries.clear()
    client.app.state.response_cache.clear()
    assert client.get("/doc/member/peru.html", headers=HTML).status_code == 200
    assert not [q for q in spy.queries if q.lstrip().startswith("ASK")]
    member = "<http://127.0.0.1:8000/id/member/peru>"
    labels = [q for q in spy.queries if "VALUES ?s" in q]
    assert all(member not in q for q in labels), labels


def test_an_unknown_key_is_still_asked_of_the_store_and_404(spied) -> None:
    client, spy = spied
    spy.queries.clear()
    client.app.state.response_cache.clear()
    assert client.get("/doc/member/nowhere.html", headers=HTML).status_code == 404
    assert [q for q in spy.queries if q.lstrip().startswith("ASK")]
