"""The FastAPI application: one routing table, routers per concern."""

from __future__ import annotations

from fastapi import FastAPI

from ogpgraph.config import Settings
from ogpgraph.web import errors
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
        published = load_published(settings.build_dir, settings.base_uri)
    app = FastAPI(
        title="ogpgraph", docs_url="/api/docs", redoc_url=None, openapi_url="/api/openapi.json"
    )
    errors.install(app)
    app.state.settings = settings
    app.state.published = published
    app.state.response_cache = ResponseCache()
    app.add_middleware(ResponseCacheMiddleware)
    # Order matters only where paths overlap: specific routers first, the catch-all browse last.
    app.include_router(sparql.router)
    app.include_router(downloads.router)
    app.include_router(changes.router)
    app.include_router(schema_documents.router)
    app.include_router(resources.router)
    app.include_router(browse.router)
    return app
