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
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import HTMLResponse, JSONResponse
from strawberry.fastapi import GraphQLRouter
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult

from api.asgi_body import RequestBody
from api.compiled_http import CompiledGraphQL
from api.context import Context
from api.deps import Services, graphql_context, install
from api.dump_cache import DumpCache
from api.dumps import router as dumps_router
from api.explorer import router as explorer_router
from api.fairness import freeze_startup_objects, prefer_serving
from api.graphiql import page as graphiql_page
from api.graphiql import router as graphiql_router
from api.graphql_http import GRAPHQL_PATH, GraphQLMediaType
from api.http import HttpMethods, cors_options
from api.ids import router as ids_router
from api.limits import Limits, RequestDeadline
from api.linked_data import router as linked_data_router
from api.metrics import Fallbacks
from api.reconcile import router as reconcile_router
from api.response_cache import GraphQLResponseCache
from api.schema import build_schema
from api.sparql import router as sparql_router
from api.status import router as status_router
from eskg.config import Settings, get_settings
from eskg.errors import EskgError, RequestTimeoutError, StoreUnavailableError
from eskg.store.base import Store
from eskg.store.embedded import EmbeddedStore
from eskg.store.read_only import ReadOnlyEmbeddedStore
from loaders import open_filled_store, shared_sparql_path

log = logging.getLogger("eskg.api")


def _prepare_store(settings: Settings) -> Store:
    started = time.perf_counter()
    # read-only on disk: the API never writes, and `eskg load` replaces the store beside
    # it (the store reopens it then: ``EmbeddedStore.reopen_if_replaced``)
    store = open_filled_store(settings, progress=log.info, read_only=True)
    log.info("%s store ready in %.2f s", store.name, time.perf_counter() - started)
    return store


def _sparql_store(settings: Settings, active: Store) -> EmbeddedStore:
    started = time.perf_counter()
    path = shared_sparql_path(settings, progress=log.info)
    found = ReadOnlyEmbeddedStore(active.onto, active.queries, path)
    log.info("SPARQL store %s open read-only in %.2f s", path, time.perf_counter() - started)
    return found


def graphql_status(result: ExecutionResult) -> int | None:
    """The HTTP status a GraphQL result calls for, when it is not 200.

    503 when a resolver met StoreUnavailableError (the store is down: the whole answer is
    unreliable). 400 for a request error: the operation did not run at all (syntax, unknown
    field, a depth/alias/token limit, bad variables): no data and no error with a path.
    Errors of fields that ran (a bad ``limit``) stay 200 with ``errors``, as GraphQL over
    HTTP has it.
    """
    errors = result.errors or []
    if any(
        isinstance(e.original_error, (StoreUnavailableError, RequestTimeoutError)) for e in errors
    ):
        return 503
    if errors and result.data is None and all(not e.path for e in errors):
        return 400
    return None


class _GraphQLRouter(GraphQLRouter[Context, None]):
    """GraphQL over HTTP with statuses that say what happened (see ``graphql_status``),
    and the bundled GraphiQL (no CDN) for browsers."""

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        return graphiql_page()

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        status = graphql_status(result)
        if status is not None:
            request.state.eskg_graphql_status = status
        return await super().process_result(request, result)

    async def run(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        response = await super().run(request, *args, **kwargs)
        status = getattr(getattr(request, "state", None), "eskg_graphql_status", None)
        if status is not None:
            response.status_code = status
            if status == 503:
                response.headers["Retry-After"] = "5"
        return response


def create_app(settings: Settings | None = None, store: Store | None = None) -> FastAPI:
    """The application; pass a store to share one (tests), else the configured one opens."""
    settings = settings or get_settings()
    active = store or _prepare_store(settings)
    limits = Limits(settings)  # the cost limit and fair sharing of both executors
    fallbacks = Fallbacks()  # compiled requests strawberry answered after an exception
    schema = build_schema(active.onto, settings, limits)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        freeze_startup_objects()  # full collections walk only what requests make
        prefer_serving()  # the event loop waits less for an expensive request's thread
        yield
        if store is None:
            active.close()

    app = FastAPI(
        title="eskg",
        summary="Knowledge graph of Japan's economic-security policy landscape",
        version="0.1.0",
        lifespan=lifespan,
    )
    # SPARQL always answers from an embedded store: the active one, or, when Neo4j serves
    # GraphQL, one on disk holding the same data, which every process opens read-only
    # (loaders.sparql_store: ESKG_SPARQL_PATH, ESKG_EMBEDDED_PATH or a cached one).
    embedded = active if isinstance(active, EmbeddedStore) else None
    if embedded is None and store is None:
        embedded = _sparql_store(settings, active)
    install(
        app,
        Services(
            settings=settings,
            store=active,
            embedded=embedded,
            limits=limits,
            fallbacks=fallbacks,
            dumps=DumpCache(active, settings),
        ),
    )

    app.include_router(_GraphQLRouter(schema, context_getter=graphql_context), prefix=GRAPHQL_PATH)
    # SPARQL 1.1 Protocol, read-only, on the embedded store (503 on Neo4j).
    app.include_router(sparql_router)
    # RDF dumps (/dumps/, /.well-known/void) and dereferenceable entity IRIs (/id/...).
    app.include_router(dumps_router)
    app.include_router(ids_router)
    # The JSON-LD context (/context.jsonld) and the ontology at its IRI (/ontology).
    app.include_router(linked_data_router)
    # W3C Reconciliation Service API 0.2 (OpenRefine) at /reconcile.
    app.include_router(reconcile_router)
    # The graph explorer page at / (static assets built from frontend/).
    app.include_router(explorer_router)
    # GraphiQL's built assets (the page itself is GET /graphql from a browser).
    app.include_router(graphiql_router)

    # Health and counters (/health, /metrics).
    app.include_router(status_router)

    if settings.graphql_compiled:  # innermost: behind the cache, the body and CORS
        app.add_middleware(
            CompiledGraphQL,
            schema=schema._schema,
            store=active,
            settings=settings,
            limits=limits,
            fallbacks=fallbacks,
        )
    if settings.response_cache_mb > 0:  # inside RequestBody: it keys on the body read there
        app.add_middleware(
            GraphQLResponseCache,
            store=active,
            max_bytes=settings.response_cache_mb * 1_048_576,
            check_seconds=settings.response_cache_check_seconds,
        )
    # The body, read once within ESKG_MAX_BODY_BYTES (413 past it) for the layers above,
    # inside the deadline, so a client sending its body slowly is stopped by it.
    app.add_middleware(RequestBody, limit=settings.max_body_bytes)
    # the request's deadline and answer size (ESKG_REQUEST_TIMEOUT, ESKG_MAX_RESPONSE_BYTES)
    app.add_middleware(RequestDeadline, settings=settings, limits=limits)
    # GraphQL over HTTP media types and statuses, for every answer of GRAPHQL_PATH.
    app.add_middleware(GraphQLMediaType)
    # HEAD on every GET route, the full Allow on 405, OPTIONS (api/http.py).
    app.add_middleware(HttpMethods, routes=app.router.routes)
    origins = [o.strip() for o in settings.cors_origins.split(",") if o.strip()]
    if origins:  # default none; added last, so outermost: a 413 carries CORS headers too
        app.add_middleware(CORSMiddleware, **cors_options(origins))

    @app.exception_handler(EskgError)
    async def eskg_error(_: Request, exc: EskgError) -> JSONResponse:
        return JSONResponse({"error": exc.message}, status_code=exc.http_status)

    return app
