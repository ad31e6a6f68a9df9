"""How the process is doing: ``/health`` (which store answers, and whether it is up) and
``/metrics`` (its counters, in the Prometheus text format)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse, PlainTextResponse

from api.deps import FallbacksDep, StoreDep
from eskg.errors import StoreUnavailableError

router = APIRouter(tags=["status"])


@router.get("/health", summary="Which store answers and whether it is up")
async def health(store: StoreDep) -> JSONResponse:
    body: dict[str, Any] = {"store": store.name}
    try:
        store.health()
    except StoreUnavailableError as exc:
        body.update(status="unavailable", error=exc.message)
        return JSONResponse(body, status_code=503)
    body["status"] = "ok"
    return JSONResponse(body)


@router.get("/metrics", summary="Counters of this process, in the Prometheus text format")
async def metrics(fallbacks: FallbacksDep) -> PlainTextResponse:
    return PlainTextResponse(fallbacks.metrics(), media_type="text/plain; version=0.0.4")
