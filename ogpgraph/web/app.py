"""The FastAPI application: one routing table, routers per concern."""

from __future__ import annotations

from fastapi import FastAPI

from ogpgraph.config import Settings
from ogpgraph.web import errors
from ogpgraph.web.direct_route import DirectRoute
from ogpgraph.web.page_cache import ResponseCache, ResponseCacheMiddleware
from ogpgraph.web.published import PublishedBuild, load_published
from ogpgraph.web.routers import browse, changes, downloads, resources, schema_documents
from ogpgraph.web.sparql import endpoint as sparql


def create_app(
    settings: Settings | None = None, published: PublishedBuild | None = None
) -> FastAPI:
    """The app over ``published`` (tests pass an in-memory one) or the last build on disk."""
    settings = settings or Settings.from_env()
    if published is None:
        published = load_published(settings.build_dir, settings.base_uri, settings.store_url)
    app = FastAPI(
        title="ogpgraph", docs_url="/api/docs", redoc_url=None, openapi_url="/api/openapi.json",
        lifespan=sparql.lifespan,
    )
    errors.install(app)
    app.state.settings = settings
    app.state.published = published
    app.state.response_cache = ResponseCache()
    app.add_middleware(ResponseCacheMiddleware)
    # Order matters only where paths overlap: specific routes first, the catch-all browse last.
    # /sparql is the app's own route, not an included router's: FastAPI matches included
    # routes through an extra layer, and that and its dependency solving cost 0.09 ms a query.
    app.router.add_api_route("/sparql", sparql.sparql_endpoint, methods=list(sparql.METHODS),
                             route_class_override=DirectRoute,
                             summary="SPARQL 1.1 query endpoint")
    app.include_router(downloads.router)
    app.include_router(changes.router)
    app.include_router(schema_documents.router)
    app.include_router(resources.router)
    app.include_router(browse.router)
    return app
