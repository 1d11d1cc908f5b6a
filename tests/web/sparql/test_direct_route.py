"""``/sparql`` is a DirectRoute (``web/direct_route.py``): the app's own route, called with
the request alone. It stays in the OpenAPI description and honours the same dependency
override of the published build as the other routes."""

from __future__ import annotations

import pyoxigraph as ox
from fastapi.testclient import TestClient
from sparql_fixture import BASE, fixture_app

from ogpgraph.store.oxigraph_store import OxigraphStore
from ogpgraph.web.published import PublishedBuild, get_published
from ogpgraph.web.sparql.endpoint import close_executor

ASK_ANYTHING = {"query": "ASK { ?s ?p ?o }"}
JSON = {"Accept": "application/sparql-results+json"}


def test_sparql_is_in_the_openapi_description() -> None:
    with TestClient(fixture_app(query_workers=0)) as client:
        paths = client.get("/api/openapi.json").json()["paths"]
    assert {"get", "post"} <= set(paths["/sparql"])
    assert paths["/sparql"]["get"]["summary"] == "SPARQL 1.1 query endpoint"


def test_an_override_of_the_published_build_reaches_sparql() -> None:
    app = fixture_app(query_workers=0)
    empty = PublishedBuild(store=OxigraphStore(ox.Store(), quads=0), base=BASE,
                           manifest={"build_id": "empty", "base_uri": BASE})

    async def the_empty_build() -> PublishedBuild:
        return empty

    try:
        with TestClient(app) as client:
            assert client.get("/sparql", params=ASK_ANYTHING, headers=JSON).json()["boolean"]
            app.dependency_overrides[get_published] = the_empty_build
            answer = client.get("/sparql", params=ASK_ANYTHING, headers=JSON)
            assert answer.status_code == 200
            assert answer.json()["boolean"] is False
    finally:
        close_executor(app)
