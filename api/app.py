"""The FastAPI application: GraphQL, health, and (later) SPARQL, dumps and the explorer.

``create_app()`` opens the configured store. The embedded store starts empty in memory,
so the app validates the bundled data and loads it before answering; the Neo4j store is
loaded by ``eskg load --store neo4j``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from strawberry.fastapi import GraphQLRouter

from api.context import Context
from api.schema import build_schema
from api.sparql import router as sparql_router
from eskg.config import Settings, get_settings
from eskg.errors import EskgError, StoreUnavailableError
from eskg.store import open_store
from eskg.store.base import Store

log = logging.getLogger("eskg.api")


def _prepare_store(settings: Settings) -> Store:
    store = open_store(settings)
    if store.name == "embedded" and settings.embedded_path is None:
        from loaders.pipeline import build

        started = time.perf_counter()
        built = build(settings)
        store.replace_all(built.compiled.dataset)
        log.info("embedded store loaded: %d statements in %.2f s", len(built.compiled.dataset),
                 time.perf_counter() - started)
    return store


def create_app(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    """The application; pass a store to share one (tests), else the configured one opens."""
    settings = settings or get_settings()
    active = store or _prepare_store(settings)
    schema = build_schema(active.onto, settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        if store is None:
            active.close()

    app = FastAPI(
        title="eskg",
        summary="Knowledge graph of Japan's economic-security policy landscape",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.store = active
    app.state.settings = settings

    async def context_getter() -> Context:
        return Context(store=active, settings=settings)

    app.include_router(GraphQLRouter(schema, context_getter=context_getter), prefix="/graphql")
    # SPARQL 1.1 Protocol, read-only, on the embedded store (503 on Neo4j).
    app.include_router(sparql_router)

    @app.exception_handler(EskgError)
    async def eskg_error(_: Request, exc: EskgError) -> JSONResponse:
        return JSONResponse({"error": exc.message}, status_code=exc.http_status)

    @app.get("/health", summary="Which store answers and whether it is up")
    async def health() -> JSONResponse:
        body: dict[str, Any] = {"store": active.name}
        try:
            active.health()
        except StoreUnavailableError as exc:
            body.update(status="unavailable", error=exc.message)
            return JSONResponse(body, status_code=503)
        body["status"] = "ok"
        return JSONResponse(body)

    return app
